/**
 * Domain records shared by every door. Protocol-neutral: no Kaltura class names, no wire quirks.
 * Times are unix seconds.
 */

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
  rules: unknown[];
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
