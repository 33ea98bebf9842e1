/**
 * What services need from storage. `src/store` implements these; services never see SQL.
 * Every method that changes data is the single invalidation point of the cache in front of it.
 */
import type { KsKey } from '../core/ks/index.js';
import type { AppToken, AccessControlProfileRecord, AuditEvent, ListResult, LoginData, Page, Partner, Role, User, Widget } from './model.js';

export interface PartnerFilter {
  idEqual?: number;
  idIn?: number[];
  nameLike?: string;
  statusEqual?: number;
  statusIn?: number[];
  partnerParentIdEqual?: number;
  /** Only partners with id > 0 and != template, for the operator's list. */
  publishersOnly?: boolean;
}

export interface PartnerRepo {
  get(id: number): Promise<Partner | undefined>;
  /** Inserts with the next free publisher id (>= FIRST_PUBLISHER_ID) unless `id` is given. */
  insert(p: Omit<Partner, 'id'> & { id?: number }): Promise<Partner>;
  update(id: number, patch: Partial<Omit<Partner, 'id' | 'createdAt'>>): Promise<Partner | undefined>;
  list(filter: PartnerFilter, page: Page): Promise<ListResult<Partner>>;
}

export interface LoginDataRepo {
  get(id: number): Promise<LoginData | undefined>;
  /** Case-insensitive lookup. */
  byEmail(email: string): Promise<LoginData | undefined>;
  insert(l: Omit<LoginData, 'id'>): Promise<LoginData>;
  update(id: number, patch: Partial<Omit<LoginData, 'id' | 'createdAt'>>): Promise<void>;
  /**
   * Atomically counts one failed attempt and, when the count reaches `maxAttempts`, blocks the
   * login until `blockUntil`. Returns the new count and whether this call blocked it.
   */
  recordFailure(id: number, maxAttempts: number, blockUntil: number, now: number): Promise<{ attempts: number; blocked: boolean }>;
  recordSuccess(id: number, partnerId: number, now: number): Promise<void>;
}

export interface UserFilter {
  idEqual?: string;
  idIn?: string[];
  typeEqual?: number;
  typeIn?: number[];
  isAdminEqual?: boolean;
  loginEnabledEqual?: boolean;
  roleIdEqual?: string;
  roleIdsIn?: string[];
  statusEqual?: number;
  statusIn?: number[];
  firstNameStartsWith?: string;
  lastNameStartsWith?: string;
  firstNameOrLastNameStartsWith?: string;
  idOrScreenNameStartsWith?: string;
  screenNameLike?: string;
  screenNameStartsWith?: string;
  emailLike?: string;
  emailStartsWith?: string;
  createdAtGreaterThanOrEqual?: number;
  createdAtLessThanOrEqual?: number;
  updatedAtGreaterThanOrEqual?: number;
  updatedAtLessThanOrEqual?: number;
  orderBy?: string;
}

export interface UserRepo {
  /** Live (non-deleted) user by the partner's user id. */
  byId(partnerId: number, id: string): Promise<User | undefined>;
  byKuserId(kuserId: number): Promise<User | undefined>;
  /** The newest row for an id, deleted or not (so a deleted user's sessions stop working). */
  latestById(partnerId: number, id: string): Promise<User | undefined>;
  /** Live users of a login identity, across partners. */
  byLoginData(loginDataId: number): Promise<User[]>;
  insert(u: Omit<User, 'kuserId'>): Promise<User>;
  update(kuserId: number, patch: Partial<Omit<User, 'kuserId' | 'partnerId' | 'createdAt'>>): Promise<User>;
  list(partnerId: number, filter: UserFilter, page: Page): Promise<ListResult<User>>;
  countLoginAdmins(partnerId: number): Promise<number>;
  countWithRole(roleId: number): Promise<number>;
}

export interface RoleFilter {
  idEqual?: number;
  idIn?: number[];
  nameEqual?: string;
  nameIn?: string[];
  systemNameEqual?: string;
  systemNameIn?: string[];
  descriptionLike?: string;
  statusEqual?: number;
  statusIn?: number[];
  partnerIdEqual?: number;
  partnerIdIn?: number[];
  tagsMultiLikeOr?: string[];
  tagsMultiLikeAnd?: string[];
  createdAtGreaterThanOrEqual?: number;
  createdAtLessThanOrEqual?: number;
  updatedAtGreaterThanOrEqual?: number;
  updatedAtLessThanOrEqual?: number;
  orderBy?: string;
}

export interface RoleRepo {
  get(id: number): Promise<Role | undefined>;
  /** Roles visible to a partner: its own plus the global (partner 0) ones, deleted excluded. */
  list(partnerIds: number[], filter: RoleFilter, page: Page): Promise<ListResult<Role>>;
  insert(r: Omit<Role, 'id'>): Promise<Role>;
  update(id: number, patch: Partial<Omit<Role, 'id' | 'partnerId' | 'createdAt'>>): Promise<Role>;
}

export interface WidgetRepo {
  get(id: string): Promise<Widget | undefined>;
  insert(w: Widget): Promise<Widget>;
}

export interface AccessControlRepo {
  listByPartner(partnerId: number): Promise<AccessControlProfileRecord[]>;
  insert(p: Omit<AccessControlProfileRecord, 'id'>): Promise<AccessControlProfileRecord>;
}

export interface AuditFilter {
  partnerId?: number;
  actor?: string;
  action?: string;
  fromMs?: number;
  toMs?: number;
}

export interface AuditRepo {
  append(e: AuditEvent): Promise<void>;
  list(filter: AuditFilter, page: Page): Promise<ListResult<AuditEvent & { id: number }>>;
}

export interface SessionStateRepo {
  /** Marks a KS hash or session-id hash as invalid until `expiresAt`. Idempotent. */
  revoke(hash: string, expiresAt: number, now: number): Promise<void>;
  /** Revocations written after `cursor` (an increasing id), for the cross-node revocation cache. */
  revokedSince(cursor: number, now: number): Promise<{ cursor: number; hashes: Array<{ hash: string; expiresAt: number }> }>;
  /**
   * Uses one action of an `actionslimit` KS: initialises the counter at `limit` on first use, then
   * decrements it only while it is above zero (a guarded update, no read-modify-write race).
   * Returns false when no use is left.
   */
  consumeAction(hash: string, limit: number, expiresAt: number): Promise<boolean>;
  purgeExpired(now: number): Promise<void>;
}

export interface ChangeFeed {
  /** Publishes "this object changed" so every node drops its cached copy. */
  publish(topic: string, key: string, now: number): Promise<void>;
  since(cursor: number): Promise<{ cursor: number; changes: Array<{ topic: string; key: string }> }>;
}

export interface SystemStateRepo {
  get(key: string): Promise<string | undefined>;
  /** Sets the key only if absent; returns true when this call set it. */
  setIfAbsent(key: string, value: string): Promise<boolean>;
}

/** Runs `fn` in one transaction, handing it repositories bound to that transaction. */
export interface UnitOfWork {
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
}

export interface Repos {
  partners: PartnerRepo;
  logins: LoginDataRepo;
  users: UserRepo;
  roles: RoleRepo;
  widgets: WidgetRepo;
  accessControl: AccessControlRepo;
  audit: AuditRepo;
  sessions: SessionStateRepo;
  changes: ChangeFeed;
  system: SystemStateRepo;
  appTokens: AppTokenRepo;
}

/** A partner with the KS keys derived from its admin secrets (derived once per cache fill). */
export interface PartnerEntry {
  partner: Partner;
  ksKeys: readonly KsKey[];
}

/**
 * Cached reads of the objects every authenticated call needs, plus the single place that says
 * "this changed": `changed` drops the local copy at once and tells every other node.
 */
export interface Directory {
  partner(id: number): Promise<PartnerEntry | undefined>;
  role(id: number): Promise<Role | undefined>;
  user(partnerId: number, id: string): Promise<User | undefined>;
  changed(topic: 'partner' | 'role' | 'user', key: string): Promise<void>;
}

/** Invalidated KS hashes and session ids, shared by every node. */
export interface RevocationList {
  isRevoked(hash: string, nowSec: number): boolean;
  revoke(hash: string, expiresAt: number): Promise<void>;
}

/** Thrown by a repository when an insert or update hits a unique constraint. */
export class DuplicateKeyError extends Error {
  constructor(readonly constraint: string) {
    super(`duplicate key: ${constraint}`);
    this.name = 'DuplicateKeyError';
  }
}

/** The Directory's key for a user: `changed('user', userKey(partnerId, id))`. */
export function userKey(partnerId: number, id: string): string {
  return `${partnerId}:${id}`;
}

export interface AppTokenFilter {
  idEqual?: string;
  idIn?: string[];
  statusEqual?: number;
  statusIn?: number[];
  sessionUserIdEqual?: string;
  createdAtGreaterThanOrEqual?: number;
  createdAtLessThanOrEqual?: number;
  updatedAtGreaterThanOrEqual?: number;
  updatedAtLessThanOrEqual?: number;
  orderBy?: string;
}

export interface AppTokenRepo {
  get(id: string): Promise<AppToken | undefined>;
  insert(t: AppToken): Promise<AppToken>;
  update(id: string, patch: Partial<Omit<AppToken, 'id' | 'partnerId' | 'token' | 'createdAt'>>): Promise<AppToken>;
  /** Tokens of a partner; DELETED ones only when the filter asks for that status. */
  list(partnerId: number, filter: AppTokenFilter, page: Page): Promise<ListResult<AppToken>>;
}
