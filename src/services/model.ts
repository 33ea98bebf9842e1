/**
 * Domain records shared by every door. Protocol-neutral: no Kaltura class names, no wire quirks.
 * Times are unix seconds.
 */
import type { RuleSpec } from '../core/access/model.js';

export const PartnerStatus = { DELETED: 0, ACTIVE: 1, CONTENT_BLOCK: 2, FULL_BLOCK: 3, READ_ONLY: 4 } as const;
export const UserStatus = { BLOCKED: 0, ACTIVE: 1, DELETED: 2 } as const;
export const RoleStatus = { ACTIVE: 1, BLOCKED: 2, DELETED: 3 } as const;
export const SessionType = { USER: 0, WIDGET: 1, ADMIN: 2 } as const;

/** System partners (protocol §4.1). */
export const SystemPartner = { ADMIN_CONSOLE: -2, BATCH: -1, GLOBAL: 0, TEMPLATE: 99 } as const;
/** First id handed to a registered partner; everything below is reserved for system partners. */
export const FIRST_PUBLISHER_ID = 100;

export interface Partner {
  id: number;
  name: string;
  description: string;
  adminName: string;
  adminEmail: string;
  status: number;
  /** User secret (USER sessions only). */
  secret: string;
  /** Admin secrets, the main one first. Every KS is signed with one of these. */
  adminSecrets: string[];
  ksMaxExpiry: number;
  maxLoginAttempts: number;
  loginBlockPeriod: number;
  defaultAccessControlId: number | null;
  partnerParentId: number | null;
  settings: PartnerSettings;
  createdAt: number;
  updatedAt: number;
}

/** Descriptive partner fields kept in one JSON column. */
export interface PartnerSettings {
  website?: string;
  notificationUrl?: string;
  appearInSearch?: number;
  adminUserId?: string;
  country?: string;
  state?: string;
  type?: number;
  referenceId?: string;
  adminLoginUsersQuota?: number;
  passwordStructureValidations?: string;
  invalidPasswordStructureMessage?: string;
  [key: string]: unknown;
}

export interface LoginData {
  id: number;
  loginEmail: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  loginAttempts: number;
  blockedUntil: number | null;
  lastLoginPartnerId: number | null;
  lastLoginAt: number | null;
  passwordChangedAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface User {
  /** Internal id (Kaltura's kuser id). */
  kuserId: number;
  partnerId: number;
  /** The partner's own user id (Kaltura's puser id, `KalturaUser.id`). */
  id: string;
  loginDataId: number | null;
  status: number;
  isAdmin: boolean;
  isAccountOwner: boolean;
  roleIds: string;
  email: string;
  firstName: string;
  lastName: string;
  screenName: string;
  ksPrivileges: string | null;
  type: number;
  externalId: string | null;
  data: UserData;
  createdAt: number;
  updatedAt: number;
  statusUpdatedAt: number;
  lastLoginAt: number | null;
  deletedAt: number | null;
}

/** Descriptive user fields kept in one JSON column. */
export interface UserData {
  fullName?: string;
  country?: string;
  state?: string;
  city?: string;
  zip?: string;
  thumbnailUrl?: string;
  description?: string;
  tags?: string;
  adminTags?: string;
  partnerData?: string;
  language?: string;
  title?: string;
  company?: string;
  dateOfBirth?: number;
  gender?: number;
  [key: string]: unknown;
}

export interface Role {
  id: number;
  partnerId: number;
  name: string;
  systemName: string;
  description: string;
  status: number;
  permissionNames: string;
  tags: string;
  createdAt: number;
  updatedAt: number;
}

export interface Widget {
  id: string;
  partnerId: number;
  roleId: number | null;
  privileges: string;
  entryId: string | null;
  createdAt: number;
}

export interface AccessControlProfileRecord {
  id: number;
  partnerId: number;
  name: string;
  systemName: string;
  description: string;
  isDefault: boolean;
  /** Gatehouse's neutral rule model; compiled once per save/load (core/access/compile.ts). */
  rules: RuleSpec[];
  createdAt: number;
  updatedAt: number;
}

/** Kaltura's `KalturaEntryStatus` values Gatehouse uses: entries hold no media, so they are READY at once. */
export const EntryStatus = { READY: 2, DELETED: 3 } as const;

/** A media item's metadata (Gatehouse stores no media files). */
export interface Entry {
  /** `0_` + 8 base-36 characters. */
  id: string;
  partnerId: number;
  name: string;
  description: string;
  /** The owner (partner user id). */
  userId: string;
  creatorId: string;
  tags: string;
  /** null = no access-control profile (allow). */
  accessControlId: number | null;
  /** Unix seconds; null = unbounded. */
  startDate: number | null;
  endDate: number | null;
  /** Comma-separated flavor params ids. */
  flavorParamsIds: string;
  status: number;
  /** `KalturaMediaType` for media entries (1 video, 2 image, 5 audio); null for plain base entries. */
  mediaType: number | null;
  createdAt: number;
  updatedAt: number;
}

export const MetadataObjectType = { ENTRY: 1 } as const;
export const MetadataProfileStatus = { ACTIVE: 1, DEPRECATED: 2, TRANSFORMING: 3 } as const;
export const MetadataStatus = { VALID: 1, INVALID: 2, DELETED: 3 } as const;

/** A custom-metadata schema (XSD) and the field names extracted from it. */
export interface MetadataProfile {
  id: number;
  partnerId: number;
  objectType: number;
  name: string;
  systemName: string;
  description: string;
  xsd: string;
  /** Local names of the XSD's field elements, in document order. */
  fieldNames: string[];
  status: number;
  createdAt: number;
  updatedAt: number;
}

/** Custom metadata of one object: the XML as sent plus its values, extracted once at save time. */
export interface Metadata {
  id: number;
  partnerId: number;
  metadataProfileId: number;
  objectType: number;
  objectId: string;
  xml: string;
  /** Element local name → text values in document order (so evaluation never parses XML). */
  fields: Record<string, string[]>;
  version: number;
  status: number;
  createdAt: number;
  updatedAt: number;
}

export interface AuditEvent {
  atMs: number;
  partnerId: number | null;
  actor: string;
  action: string;
  target: string;
  outcome: 'success' | 'failure';
  clientIp: string;
  detail?: Record<string, unknown>;
}

/** What every Kaltura list filter has: the created/updated time ranges (Unix seconds) and an order. */
export interface TimeRangeFilter {
  createdAtGreaterThanOrEqual?: number;
  createdAtLessThanOrEqual?: number;
  updatedAtGreaterThanOrEqual?: number;
  updatedAtLessThanOrEqual?: number;
  orderBy?: string;
}

export interface Page {
  pageSize: number;
  pageIndex: number;
}

export interface ListResult<T> {
  objects: T[];
  totalCount: number;
}

export const AppTokenStatus = { DISABLED: 1, ACTIVE: 2, DELETED: 3 } as const;
export const APP_TOKEN_HASH_TYPES = ['MD5', 'SHA1', 'SHA256', 'SHA512'] as const;
export type AppTokenHashType = (typeof APP_TOKEN_HASH_TYPES)[number];

export interface AppToken {
  /** `0_` + 8 base-36 characters. */
  id: string;
  partnerId: number;
  /** 32 lower-case hex characters; sealed at rest. */
  token: string;
  hashType: AppTokenHashType;
  status: number;
  sessionType: number | null;
  sessionUserId: string | null;
  sessionDuration: number;
  sessionPrivileges: string | null;
  /** Absolute unix seconds; null = never. */
  expiry: number | null;
  description: string | null;
  createdAt: number;
  updatedAt: number;
}

/** An app token as read back: its value only for a caller who could have created it (grants.ts). */
export type AppTokenView = Omit<AppToken, 'token'> & { token: string | null };

/**
 * A REST API key (seed 004). The key itself is never stored: only its HMAC under the server
 * pepper (`hash`) and a short visible `start` so people can tell their keys apart.
 */
export interface ApiKey {
  /** UUID. */
  id: string;
  /** The key belongs to the partner, not to its creator: it survives the creator's deletion. */
  partnerId: number;
  /** base64url HMAC-SHA-256 of the key under the pepper; the lookup key. */
  hash: string;
  /** The first characters of the key (`gh_` + 6), safe to show. */
  start: string;
  validFrom: number;
  validTo: number;
  /** Our permission names; empty = none (Kala's default). */
  permissions: string[];
  /** Service ids the key may call; empty = all services (Kala's default). */
  services: string[];
  /** User id of the creator, kept for the audit trail. */
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
}

/** A protected upstream API (seed 002 and 004): what the gateway matches and who may call it. */
export interface ApiService {
  /** UUID. */
  id: string;
  partnerId: number;
  name: string;
  /** Starts with '/'; the gateway picks the longest prefix matching a request path. */
  routePrefix: string;
  /** ACL groups (Sunbird/Kong) allowed to call it. */
  allowedGroups: string[];
  /** Permission names an API key needs to call it. */
  requiredPermissions: string[];
  /** Who may call it: see ServiceAccess. */
  access: ServiceAccess;
  /** Kong's acl `deny`: a consumer holding one of these groups is refused. */
  deniedGroups: string[];
  /** Upper-case HTTP methods it answers; empty = every method (Kong's route `methods`). */
  methods: string[];
  /** Kong's `rate-limiting` windows, enforced by the gateway's rate-limit step (core/gateway/rate-windows.ts). */
  rateLimits: ServiceRateLimits | null;
  createdAt: number;
  updatedAt: number;
}

/**
 * - `groups`: a consumer sharing one of `allowedGroups` (none: no consumer), an API key holding its
 *   services and `requiredPermissions` (the rule before issue 19, and the default);
 * - `authenticated`: any valid credential of the partner (Kong's `jwt` without `acl`), API keys
 *   still need `requiredPermissions`;
 * - `public`: no credential needed (a Kong route without auth plugins), at a location the proxy
 *   pins to the partner (X-Gatehouse-Partner).
 */
export const SERVICE_ACCESS = ['groups', 'authenticated', 'public'] as const;
export type ServiceAccess = (typeof SERVICE_ACCESS)[number];

/** Requests per window, as Kong's `rate-limiting` (`limitBy` consumer, credential or ip). */
export interface ServiceRateLimits {
  second?: number;
  minute?: number;
  hour?: number;
  day?: number;
  limitBy: 'consumer' | 'credential' | 'ip';
}

/** One signing key of the REST access tokens. The private JWK is sealed at rest. */
export interface SigningKey {
  /** JWK thumbprint (RFC 7638) of the public key. */
  kid: string;
  alg: 'ES256';
  publicJwk: Record<string, unknown>;
  privateJwk: Record<string, unknown>;
  /** Signs from here ... */
  activatesAt: number;
  /** ... until here; verifies for one token lifetime longer. */
  retiresAt: number;
  createdAt: number;
}

/** JWT algorithms a consumer credential can have; a token must use exactly its credential's. */
export const CREDENTIAL_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export type CredentialAlgorithm = (typeof CREDENTIAL_ALGORITHMS)[number];

/** An API consumer (seed 002, Sunbird/Kong sense): a machine client of the partner's APIs. */
export interface Consumer {
  /** UUID (X-Consumer-ID at the gateway). */
  id: string;
  partnerId: number;
  /** Unique per partner; no spaces, not a UUID (Sunbird's rules). */
  username: string;
  /** ACL groups; a service admits a consumer sharing one of its allowedGroups. */
  groups: string[];
  createdAt: number;
  updatedAt: number;
  /**
   * Set: a device consumer (Sunbird's `mobile_device`). Consumers holding this group may register
   * credentials for it, it holds any number of them, and it may have a signing key pool.
   */
  registrationGroup?: string | null;
  /** Seconds a device credential lives from its (re)registration; null = no expiry. */
  credentialLifetime?: number | null;
  /** Registrations per minute one caller may make for it; null = DEFAULT_REGISTRATION_RATE_LIMIT. */
  registrationRateLimit?: number | null;
}

/**
 * 'standard': made by an admin or imported; 'device': self-registered for a device consumer (its
 * re-registration rotates the secret); 'pool': an RS256 key of a device consumer's signing pool.
 */
export type CredentialKind = 'standard' | 'device' | 'pool';

/**
 * A consumer's JWT credential (Kong `jwt_secrets`). Active, then possibly deprecated: a deprecated
 * credential is refused at the gateway and accepted only by the rotation endpoint, until its
 * optional hard expiry, after which it is accepted nowhere.
 */
export interface ConsumerCredential {
  /** UUID. */
  id: string;
  partnerId: number;
  consumerId: string;
  /** The token's `iss` (or header `kid`); unique across the installation. */
  key: string;
  algorithm: CredentialAlgorithm;
  /** HS256 signing secret; sealed at rest. Null for public-key credentials. */
  secret: string | null;
  /** PEM (SPKI) public key of RS256/ES256 credentials. */
  publicKey: string | null;
  createdAt: number;
  deprecatedAt: number | null;
  /** Hard expiry (unix seconds): of a deprecated credential, or the lifetime of a device credential; null = none. */
  expiresAt: number | null;
  /** Set by the one rotation a deprecated credential allows: the id of its replacement. */
  replacedBy: string | null;
  /** Absent = standard. */
  kind?: CredentialKind;
}
