/**
 * What services need from storage. `src/store` implements these; services never see SQL.
 * Every method that changes data is the single invalidation point of the cache in front of it.
 */
import type { LogCursor } from '../core/log-cursor.js';
import type { CompiledProfile } from '../core/access/compile.js';
import type { RuleSpec } from '../core/access/model.js';
import type { KsKey } from '../core/ks/index.js';
import type { ApiKeyRepo, ApiServiceRepo, ConsumerRepo, SigningKeyRepo } from './ports-api-access.js';
import type { MetadataProfileRepo, MetadataRepo } from './ports-metadata.js';
import type { LoginAttemptRepo } from './ports-login-attempts.js';
import type { TwoFactorRepo } from './ports-two-factor.js';
import type { CategoryLinkRepo, CategoryRepo, EntitlementScope, MembershipRepo } from './ports-categories.js';
import type { AppToken, AccessControlProfileRecord, AuditEvent, Entry, ListResult, LoginData, Page, Partner, Role, TimeRangeFilter, User, Widget } from './model.js';

export interface PartnerFilter {
  idEqual?: number;
  idIn?: number[];
  nameLike?: string;
  statusEqual?: number;
  statusIn?: number[];
  partnerParentIdEqual?: number;
  /** Only partners with id > 0 and != template, for the operator's list. */
  publishersOnly?: boolean;
  /** Name or admin email contains the text (case-insensitive), or the id equals it. */
  search?: string;
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
  /**
   * `loginAttempts: 0` or `blockedUntil: null` unlocks the login: its sign-in counters (every
   * address and the ceiling, LoginAttemptRepo) are deleted.
   */
  update(id: number, patch: Partial<Omit<LoginData, 'id' | 'createdAt'>>): Promise<void>;
  /** Records a sign-in: the partner used becomes the default of the next one. (Failures are counted by LoginAttemptRepo.) */
  recordSuccess(id: number, partnerId: number, now: number): Promise<void>;
  /** The hashes the login used before its current password, newest first, at most `limit`. */
  previousPasswords(id: number, limit: number): Promise<string[]>;
  /**
   * Replaces the password: the current hash joins the history, which keeps its newest `keep`
   * (0 keeps none), in one transaction.
   */
  changePassword(id: number, change: { passwordHash: string; keep: number; now: number }): Promise<void>;
}

export interface UserFilter extends TimeRangeFilter {
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
  /** Kaltura's esearch on `external_id` (kmc-ng: is this id an external user's?). */
  externalIdEqual?: string;
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

export interface RoleFilter extends TimeRangeFilter {
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

export interface AccessControlFilter extends TimeRangeFilter {
  idEqual?: number;
  idIn?: number[];
  systemNameEqual?: string;
  systemNameIn?: string[];
}

/** Access-control profiles. Deleted profiles are soft-deleted and invisible to every method. */
export interface AccessControlRepo {
  get(id: number): Promise<AccessControlProfileRecord | undefined>;
  /** Live profiles of a partner, by id (what a new partner copies from the template). */
  listByPartner(partnerId: number): Promise<AccessControlProfileRecord[]>;
  list(partnerId: number, filter: AccessControlFilter, page: Page): Promise<ListResult<AccessControlProfileRecord>>;
  /**
   * Counts a partner's live profiles after taking the partner's row lock, so two concurrent adds
   * in separate transactions cannot both pass the per-partner limit.
   */
  countForInsert(partnerId: number): Promise<number>;
  /** Throws DuplicateKeyError when a live profile of the partner has the same non-empty system name. */
  insert(p: Omit<AccessControlProfileRecord, 'id'>): Promise<AccessControlProfileRecord>;
  update(id: number, patch: Partial<Pick<AccessControlProfileRecord, 'name' | 'systemName' | 'description' | 'rules' | 'updatedAt'>>): Promise<AccessControlProfileRecord>;
  /** Marks `id` as the partner's only default profile (the partner row is updated separately). */
  markDefault(partnerId: number, id: number): Promise<void>;
  softDelete(id: number, now: number): Promise<void>;
}

export interface EntryFilter extends TimeRangeFilter {
  idEqual?: string;
  idIn?: string[];
  idNotIn?: string[];
  nameEqual?: string;
  nameLike?: string;
  userIdEqual?: string;
  userIdIn?: string[];
  tagsLike?: string;
  /**
   * Kaltura's free-text search: every word (split on spaces) is in the name, description or tags
   * (case-insensitive), or is the entry id.
   */
  freeText?: string;
  accessControlIdEqual?: number;
  accessControlIdIn?: number[];
  mediaTypeEqual?: number;
  mediaTypeIn?: number[];
  /** Only entries that are media entries (media.list). */
  mediaOnly?: boolean;
  /**
   * Only entries this scope is entitled to (entitlement enforced: pipeline/steps/entitlement.ts):
   * its own, those linked to `categoryIds` (the categories it is entitled through), those named by
   * `liftedEntryIds` (disableentitlementforentry), and without a context the uncategorised ones.
   */
  entitledTo?: { scope: EntitlementScope; categoryIds: readonly number[]; liftedEntryIds: readonly string[] };
  statusEqual?: number;
  statusIn?: number[];
  startDateGreaterThanOrEqual?: number;
  startDateLessThanOrEqual?: number;
  endDateGreaterThanOrEqual?: number;
  endDateLessThanOrEqual?: number;
  /**
   * OR groups, each ANDed with the rest: an entry matches a group when it matches any one of the
   * group's conditions (an empty group matches nothing). eSearch's `OR` operator (issue 20).
   */
  anyOf?: ReadonlyArray<readonly EntryCondition[]>;
}

/** A filter's plain properties: what an OR group may hold (no entitlement, order or nested groups). */
export type EntryCondition = Omit<EntryFilter, 'entitledTo' | 'anyOf' | 'orderBy'>;

/** Entries. Deleted entries are soft-deleted and invisible to every method. */
export interface EntryRepo {
  get(id: string): Promise<Entry | undefined>;
  /** Throws DuplicateKeyError on an id collision (the caller draws a new id). */
  insert(e: Entry): Promise<Entry>;
  update(id: string, patch: Partial<Omit<Entry, 'id' | 'partnerId' | 'createdAt'>>): Promise<Entry>;
  softDelete(id: string, now: number): Promise<void>;
  list(partnerId: number, filter: EntryFilter, page: Page): Promise<ListResult<Entry>>;
  countWithAccessControl(partnerId: number, accessControlId: number): Promise<number>;
  /** Re-points every live entry of the partner from one profile to another; returns how many. */
  repointAccessControl(partnerId: number, from: number, to: number | null, now: number): Promise<number>;
}

export interface AuditFilter {
  partnerId?: number;
  actor?: string;
  /** The actor whatever its case (a login id as typed), by the `lower(actor)` index. */
  actorKey?: string;
  actionIn?: readonly string[];
  action?: string;
  fromMs?: number;
  toMs?: number;
}

export interface AuditRepo {
  append(e: AuditEvent): Promise<void>;
  /** Several events in one statement (one transaction, one disk sync). */
  appendMany(events: readonly AuditEvent[]): Promise<void>;
  list(filter: AuditFilter, page: Page): Promise<ListResult<AuditEvent & { id: number }>>;
}

export interface SessionStateRepo {
  /** Marks a KS hash or session-id hash as invalid until `expiresAt`. Idempotent. */
  revoke(hash: string, expiresAt: number, now: number): Promise<void>;
  /** Revocations written after `cursor` (core/log-cursor.ts), for the cross-node revocation cache. */
  revokedSince(cursor: LogCursor, now: number): Promise<{ cursor: LogCursor; hashes: Array<{ hash: string; expiresAt: number }> }>;
  /**
   * Uses one action of an `actionslimit` KS: initialises the counter at `limit` on first use, then
   * decrements it only while it is above zero (a guarded update, no read-modify-write race).
   * Returns false when no use is left.
   */
  consumeAction(hash: string, limit: number, expiresAt: number): Promise<boolean>;
  purgeExpired(now: number): Promise<void>;
}

/**
 * How many times the caches that feed access decisions have forgotten or replaced a value
 * (cache/lru.ts's Epoch). Something derived from several cached values is current while the count
 * is the one it was derived under.
 */
export interface ChangeEpoch {
  readonly value: number;
}

export interface ChangeFeed {
  /** Publishes "this object changed" so every node drops its cached copy. */
  publish(topic: string, key: string, now: number): Promise<void>;
  /** Changes written after `cursor`, including late commits of ids it skipped (core/log-cursor.ts). */
  since(cursor: LogCursor): Promise<{ cursor: LogCursor; changes: Array<{ topic: string; key: string }> }>;
}

/**
 * The gateway's route tables' one invalidation point (cache/route-tables.ts): a service write ends
 * here, so this node applies it at once and the others through the change feed.
 */
export interface RouteChanges {
  changed(partnerId: number): Promise<void>;
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
  loginAttempts: LoginAttemptRepo;
  users: UserRepo;
  roles: RoleRepo;
  widgets: WidgetRepo;
  accessControl: AccessControlRepo;
  audit: AuditRepo;
  sessions: SessionStateRepo;
  changes: ChangeFeed;
  system: SystemStateRepo;
  appTokens: AppTokenRepo;
  entries: EntryRepo;
  metadataProfiles: MetadataProfileRepo;
  metadata: MetadataRepo;
  apiKeys: ApiKeyRepo;
  apiServices: ApiServiceRepo;
  signingKeys: SigningKeyRepo;
  consumers: ConsumerRepo;
  categories: CategoryRepo;
  categoryLinks: CategoryLinkRepo;
  memberships: MembershipRepo;
  twoFactor: TwoFactorRepo;
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

/**
 * Synchronous reads of a Directory's cache, which CachedDirectory offers, for callers that answer
 * without awaiting when everything is cached (the delivery and gateway hot paths): the object,
 * `null` for a cached miss, `undefined` when nothing is cached. With them, a call whose partner,
 * user and roles are cached runs without awaiting a promise per lookup; without them every lookup
 * is awaited.
 */
export interface DirectoryPeek {
  peekPartner(id: number): PartnerEntry | null | undefined;
  peekRole(id: number): Role | null | undefined;
  peekUser(partnerId: number, id: string): User | null | undefined;
}

export function peekable(d: Directory): (Directory & DirectoryPeek) | undefined {
  const p = d as Directory & Partial<DirectoryPeek>;
  return typeof p.peekPartner === 'function' && typeof p.peekRole === 'function' && typeof p.peekUser === 'function' ? (p as Directory & DirectoryPeek) : undefined;
}

/** A live profile with its rules compiled once (never per request). */
export interface CompiledAccessProfile {
  profile: AccessControlProfileRecord;
  compiled: CompiledProfile;
  /** Whether any rule reads custom metadata, so a scope loads the entry's metadata only then. */
  usesMetadata: boolean;
  /**
   * Whether every rule reads only the client (address, country, referrer, user agent), the session
   * and the entry: then, for one session and entry, the same client always gets the same decision
   * (no time, header, hash, action or metadata condition), and a repeat may reuse it (prepared.ts).
   */
  clientOnly: boolean;
}

/**
 * Compiled access-control profiles by id, cached and bounded. `changed` is the one invalidation
 * point: it drops the local copy (or replaces it with the saved record, compiled) and tells every
 * other node through the change feed, so each recompiles within one poll interval.
 */
export interface AccessProfiles {
  /** Compiles rules without caching them; throws RuleCompileError (used to refuse bad rules at save time). */
  compile(rules: readonly RuleSpec[]): CompiledProfile;
  get(id: number): Promise<CompiledAccessProfile | undefined>;
  /** The cached profile without loading (null: a cached miss, undefined: not cached); optional. */
  peek?(id: number): CompiledAccessProfile | null | undefined;
  changed(id: number, saved?: AccessControlProfileRecord): Promise<void>;
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

export interface AppTokenFilter extends TimeRangeFilter {
  idEqual?: string;
  idIn?: string[];
  statusEqual?: number;
  statusIn?: number[];
  sessionUserIdEqual?: string;
}

export interface AppTokenRepo {
  get(id: string): Promise<AppToken | undefined>;
  insert(t: AppToken): Promise<AppToken>;
  update(id: string, patch: Partial<Omit<AppToken, 'id' | 'partnerId' | 'token' | 'createdAt'>>): Promise<AppToken>;
  /** Tokens of a partner; DELETED ones only when the filter asks for that status. */
  list(partnerId: number, filter: AppTokenFilter, page: Page): Promise<ListResult<AppToken>>;
}

export * from './ports-api-access.js';
export * from './ports-metadata.js';
export * from './ports-categories.js';
export * from './ports-two-factor.js';
