/**
 * Table types for Kysely. Times are unix seconds (`*_at`) except the audit log, which keeps
 * milliseconds; booleans are 0/1 integers so SQLite and PostgreSQL read back the same values.
 */
import type { Generated } from 'kysely';
import type { CategoriesTable, CategoryEntriesTable, CategoryUsersTable } from './schema-categories.js';
import type { IdentityProviderDomainsTable, IdentityProvidersTable, SsoTicketsTable } from './schema-sso.js';
import type { RateCountersTable } from './schema-rate-counters.js';
import type { TwoFactorRecoveryCodesTable, TwoFactorTable } from './schema-two-factor.js';

export interface PartnersTable {
  id: number;
  name: string;
  description: string;
  admin_name: string;
  admin_email: string;
  status: number;
  /** AES-256-GCM sealed user secret. */
  secret_enc: string;
  /** AES-256-GCM sealed JSON array of admin secrets, the main one first. */
  admin_secrets_enc: string;
  ks_max_expiry: number;
  max_login_attempts: number;
  login_block_period: number;
  default_access_control_id: number | null;
  partner_parent_id: number | null;
  /** JSON object: the remaining KalturaPartner fields (website, country, password rules, ...). */
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface LoginDataTable {
  id: Generated<number>;
  /** As entered; `login_key` (lower-cased) is the unique lookup key. */
  login_email: string;
  login_key: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  /** Not written since migration 0006 (the counters live in `login_attempts`). */
  login_attempts: number;
  /** Not written since migration 0006 (the counters live in `login_attempts`). */
  blocked_until: number | null;
  last_login_partner_id: number | null;
  last_login_at: number | null;
  password_changed_at: number;
  created_at: number;
  updated_at: number;
}

/** Hashes a login used before its current password, newest first by id (migration 0008). */
export interface PasswordHistoryTable {
  id: Generated<number>;
  login_data_id: number;
  password_hash: string;
  created_at: number;
}

export interface UsersTable {
  id: Generated<number>;
  partner_id: number;
  puser_id: string;
  login_data_id: number | null;
  status: number;
  is_admin: number;
  is_account_owner: number;
  role_ids: string;
  email: string;
  first_name: string;
  last_name: string;
  screen_name: string;
  ks_privileges: string | null;
  type: number;
  external_id: string | null;
  /** JSON object: descriptive KalturaUser fields that need no index (country, title, ...). */
  data: string;
  created_at: number;
  updated_at: number;
  status_updated_at: number;
  last_login_at: number | null;
  deleted_at: number | null;
}

export interface UserRolesTable {
  id: Generated<number>;
  partner_id: number;
  name: string;
  system_name: string;
  description: string;
  status: number;
  permission_names: string;
  tags: string;
  created_at: number;
  updated_at: number;
}

export interface WidgetsTable {
  id: string;
  partner_id: number;
  role_id: number | null;
  privileges: string;
  entry_id: string | null;
  created_at: number;
}

export interface AccessControlProfilesTable {
  id: Generated<number>;
  partner_id: number;
  name: string;
  system_name: string;
  description: string;
  is_default: number;
  /** JSON array of rules in Gatehouse's neutral rule model. */
  rules: string;
  created_at: number;
  updated_at: number;
  /** Soft delete: entries re-pointed, row kept for the audit trail. */
  deleted_at: number | null;
}

export interface EntriesTable {
  id: string;
  partner_id: number;
  name: string;
  description: string;
  user_id: string;
  creator_id: string;
  tags: string;
  access_control_id: number | null;
  start_date: number | null;
  end_date: number | null;
  flavor_params_ids: string;
  status: number;
  media_type: number | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface MetadataProfilesTable {
  id: Generated<number>;
  partner_id: number;
  object_type: number;
  name: string;
  system_name: string;
  description: string;
  xsd: string;
  /** JSON array of the XSD's field element names. */
  field_names: string;
  status: number;
  created_at: number;
  updated_at: number;
}

export interface MetadataTable {
  id: Generated<number>;
  partner_id: number;
  metadata_profile_id: number;
  object_type: number;
  object_id: string;
  xml: string;
  /** JSON object: element local name → text values, extracted at save time. */
  fields: string;
  version: number;
  status: number;
  created_at: number;
  updated_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  at_ms: number;
  partner_id: number | null;
  actor: string;
  action: string;
  target: string;
  outcome: string;
  client_ip: string;
  /** JSON object, never a secret. */
  detail: string;
}

export interface InvalidSessionsTable {
  id: Generated<number>;
  /** sha1 hex of a KS (its "hash") or of `partnerId_sessionId`. */
  hash: string;
  expires_at: number;
  created_at: number;
}

export interface KsUsageTable {
  hash: string;
  remaining: number;
  expires_at: number;
}

export interface ChangeLogTable {
  id: Generated<number>;
  topic: string;
  key: string;
  at: number;
}

export interface SystemStateTable {
  key: string;
  value: string;
}

export interface AppTokensTable {
  id: string;
  partner_id: number;
  token_enc: string;
  hash_type: string;
  status: number;
  session_type: number | null;
  session_user_id: string | null;
  session_duration: number;
  session_privileges: string | null;
  expiry: number | null;
  description: string | null;
  created_at: number;
  updated_at: number;
}

export interface Database {
  app_tokens: AppTokensTable;
  partners: PartnersTable;
  login_data: LoginDataTable;
  password_history: PasswordHistoryTable;
  users: UsersTable;
  user_roles: UserRolesTable;
  widgets: WidgetsTable;
  access_control_profiles: AccessControlProfilesTable;
  entries: EntriesTable;
  metadata_profiles: MetadataProfilesTable;
  metadata: MetadataTable;
  audit_log: AuditLogTable;
  invalid_sessions: InvalidSessionsTable;
  ks_usage: KsUsageTable;
  change_log: ChangeLogTable;
  system_state: SystemStateTable;
  signing_keys: SigningKeysTable;
  api_keys: ApiKeysTable;
  api_services: ApiServicesTable;
  consumers: ConsumersTable;
  consumer_credentials: ConsumerCredentialsTable;
  login_attempts: LoginAttemptsTable;
  categories: CategoriesTable;
  category_entries: CategoryEntriesTable;
  category_users: CategoryUsersTable;
  identity_providers: IdentityProvidersTable;
  identity_provider_domains: IdentityProviderDomainsTable;
  sso_tickets: SsoTicketsTable;
  two_factor: TwoFactorTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodesTable;
  rate_counters: RateCountersTable;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  /** JSON public JWK. */
  public_jwk: string;
  /** AES-256-GCM sealed JSON private JWK. */
  private_jwk_enc: string;
  activates_at: number;
  retires_at: number;
  created_at: number;
}

export interface ApiKeysTable {
  id: string;
  partner_id: number;
  /** base64url HMAC-SHA-256 of the key under the server pepper; never the key. */
  hash: string;
  start: string;
  valid_from: number;
  valid_to: number;
  /** JSON array of permission names. */
  permissions: string;
  /** JSON array of service ids; empty = all services. */
  services: string;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
}

export interface ApiServicesTable {
  id: string;
  partner_id: number;
  name: string;
  route_prefix: string;
  /** JSON array of ACL group names. */
  allowed_groups: string;
  /** JSON array of permission names. */
  required_permissions: string;
  /** 'groups' | 'authenticated' | 'public' (migration 0011). */
  access: Generated<string>;
  /** JSON array of ACL group names (Kong's acl deny). */
  denied_groups: Generated<string>;
  /** JSON array of upper-case HTTP methods; [] = every method. */
  methods: Generated<string>;
  /** JSON ServiceRateLimits, or null. */
  rate_limits: string | null;
  created_at: number;
  updated_at: number;
}

export interface ConsumersTable {
  id: string;
  partner_id: number;
  username: string;
  /** JSON array of ACL group names. */
  groups: string;
  created_at: number;
  updated_at: number;
  /** Set: a device consumer, accepting registrations from consumers in this group (migration 0012). */
  registration_group: string | null;
  /** Seconds a device credential lives from its (re)registration; null = no expiry. */
  credential_lifetime: number | null;
  /** Registrations per minute one caller may make for this consumer; null = the default. */
  registration_rate_limit: number | null;
}

export interface ConsumerCredentialsTable {
  id: string;
  partner_id: number;
  consumer_id: string;
  /** The token's `iss` (or header `kid`); unique across the installation. */
  key: string;
  algorithm: string;
  /** AES-256-GCM sealed HS256 secret; null for public-key credentials. */
  secret_enc: string | null;
  /** PEM (SPKI) public key of RS256/ES256 credentials. */
  public_key: string | null;
  created_at: number;
  deprecated_at: number | null;
  expires_at: number | null;
  /** The credential a rotation exchanged this one for. */
  replaced_by: string | null;
  /** 'standard' | 'device' | 'pool' (migration 0012). */
  kind: Generated<string>;
  /** A pool key's sealed PKCS#8 private key; null otherwise and once retired. */
  private_key_enc: string | null;
}

/** A sign-in attempt counter (core/login-counter.ts); one row per scope, login and address. */
export interface LoginAttemptsTable {
  /** 'address' | 'login' | 'login_address'. */
  scope: string;
  /** Lower-cased login id; '' for an address counter. */
  login_key: string;
  /** Client address (an IPv6 /64 as its network); '' for a login counter. */
  address: string;
  epoch: number;
  failures: number;
  cleared: number;
  pending: number;
  pending_until: number;
  blocked_until: number | null;
  window_ends: number;
  /** When nothing depends on the row any more (it may be deleted). */
  expires_at: number;
  updated_at: number;
}
