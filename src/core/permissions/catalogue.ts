/**
 * The permission catalogue: one list of names (Kaltura's, so existing roles and scripts keep their
 * meaning). Roles name permissions from here; every API action requires any one of a set of them.
 * Ids are stable (position + 1) so `permission.list` can report them; append, never reorder.
 */
import { UNSERVED_KALTURA_PERMISSIONS } from './unserved.js';

export interface PermissionDef {
  readonly id: number;
  readonly name: string;
  readonly friendlyName: string;
  readonly description: string;
  /** Kaltura's KalturaPermissionType: 1 NORMAL, 2 SPECIAL_FEATURE, 3 PLUGIN, 4 PARTNER_GROUP. */
  readonly type: number;
}

const defs: Array<[name: string, friendlyName: string, description: string, type?: number]> = [
  ['ALWAYS_ALLOWED_ACTIONS', 'Always allowed', 'Actions that need no session: login, session start, registration.'],
  ['BASE_USER_SESSION_PERMISSION', 'User session', 'What any USER session may do.'],
  ['WIDGET_SESSION_PERMISSION', 'Widget session', 'What a player (widget) session may do.'],
  ['PLAYBACK_BASE_PERMISSION', 'Playback', 'Play content.'],
  ['SESSION_READ_PERMISSION', 'Read sessions', 'Inspect session details (session.get).'],
  ['KMC_ACCESS', 'Management console access', 'Sign in to the partner management console.'],
  ['KMC_READ_ONLY', 'Management console (read only)', 'Read-only access to the partner management console.'],
  ['ADMIN_BASE', 'Administration', 'See users and roles of the partner.'],
  ['ADMIN_USER_ADD', 'Add users', 'Create users.'],
  ['ADMIN_USER_UPDATE', 'Update users', 'Change users, block them, assign roles.'],
  ['ADMIN_USER_DELETE', 'Delete users', 'Delete users.'],
  ['ADMIN_ROLE_ADD', 'Add roles', 'Create roles.'],
  ['ADMIN_ROLE_UPDATE', 'Update roles', 'Change roles.'],
  ['ADMIN_ROLE_DELETE', 'Delete roles', 'Delete roles.'],
  ['ACCOUNT_BASE', 'Account', 'See the partner account.'],
  ['ACCOUNT_UPDATE_SETTINGS', 'Account settings', 'Change partner account settings.'],
  ['INTEGRATION_BASE', 'Integration', 'See integration settings (partner info, secrets page).'],
  ['APP_TOKEN_BASE', 'App tokens (read)', 'List and read application tokens.'],
  ['APP_TOKEN_ADD', 'Add app tokens', 'Create application tokens.'],
  ['APP_TOKEN_UPDATE', 'Update app tokens', 'Change application tokens.'],
  ['APP_TOKEN_DELETE', 'Delete app tokens', 'Revoke application tokens.'],
  ['ACCESS_CONTROL_BASE', 'Access control (read)', 'List and read access-control profiles.'],
  ['ACCESS_CONTROL_ADD', 'Add access control', 'Create access-control profiles.'],
  ['ACCESS_CONTROL_UPDATE', 'Update access control', 'Change access-control profiles.'],
  ['ACCESS_CONTROL_DELETE', 'Delete access control', 'Delete access-control profiles.'],
  ['CONTENT_MANAGE_BASE', 'Content (read)', 'List and read entries.'],
  ['CONTENT_INGEST_BASE', 'Content ingest', 'Create entries.'],
  ['CONTENT_MANAGE_EDIT', 'Content edit', 'Change entries.'],
  ['CONTENT_MANAGE_DELETE', 'Content delete', 'Delete entries.'],
  ['CONTENT_MANAGE_ACCESS_CONTROL', 'Content access control', 'Assign access-control profiles to entries.'],
  ['CONTENT_MANAGE_SCHEDULE', 'Content scheduling', 'Set entry start and end dates.'],
  ['CUSTOM_DATA_PROFILE_BASE', 'Metadata profiles (read)', 'Read custom metadata profiles.'],
  ['CUSTOM_DATA_PROFILE_ADD', 'Add metadata profiles', 'Create custom metadata profiles.'],
  ['CUSTOM_DATA_PROFILE_DELETE', 'Delete metadata profiles', 'Delete custom metadata profiles.'],
  ['CUSTOM_DATA_FIELD_ADD', 'Add metadata', 'Attach custom metadata to entries.'],
  ['CUSTOM_DATA_FIELD_UPDATE', 'Update metadata', 'Change custom metadata of entries.'],
  ['CUSTOM_DATA_FIELD_DELETE', 'Delete metadata', 'Remove custom metadata from entries.'],
  ['SYSTEM_ADMIN_BASE', 'Operator console', 'Operator (admin console) access.'],
  ['SYSTEM_ADMIN_PUBLISHER_BASE', 'Publishers (read)', 'List and read partners (publishers).'],
  ['SYSTEM_ADMIN_PUBLISHER_ADD', 'Add publishers', 'Register partners.'],
  ['SYSTEM_ADMIN_PUBLISHER_CONFIG', 'Configure publishers', 'Change partner configuration, block partners.'],
  ['SYSTEM_ADMIN_PUBLISHER_KMC_ACCESS', 'Publisher impersonation', 'Open a partner console as its admin.'],
  ['AUDIT_LOG_READ', 'Audit log', 'Read the audit log.'],
  ['API_KEY_MANAGE', 'API keys', 'Create, list and revoke the partner\'s API keys (REST door).'],
  ['SERVICE_MANAGE', 'Protected services', 'Define the upstream APIs (route prefixes) the gateway protects.'],
  ['CONSUMER_MANAGE', 'API consumers', 'Manage API consumers, their groups and credentials (consumer door).'],
  ['CONTENT_MANAGE_ASSIGN_CATEGORIES', 'Assign categories', 'Put entries into categories and manage category members.'],
  ['CONTENT_MANAGE_EDIT_CATEGORIES', 'Edit categories', 'Create, change, move and delete categories.'],
  ['CONTENT_MANAGE_CATEGORY_USERS', 'Category entitlements', "Set categories' privacy, privacy context, owner and member policies."],
  ['SSO_MANAGE', 'Single sign-on', "Register, change and remove the partner's OpenID Connect identity providers."],
  // A partner feature (type 2) on Kaltura's server, switched on for every partner here: Gatehouse
  // always serves categories' privacy contexts and members. kmc-ng shows a category's Entitlements
  // section (and its entitlement filters) only when permission.list names it.
  ['FEATURE_ENTITLEMENT', 'Entitlement', "Categories' privacy contexts, privacy and members decide who sees their entries.", 2],
  // Kaltura's "Modify integration settings": kmc-ng enables Settings › Integration › Entitlement's
  // add, edit and remove with it. It is a switch of the console, not the server's rule: what those
  // buttons save, a category's privacy context, takes CONTENT_MANAGE_EDIT_CATEGORIES and
  // CONTENT_MANAGE_CATEGORY_USERS, as on Kaltura's server, so a Manager (neither) changes nothing
  // whatever kmc-ng shows it. Held by the partner administrator role (`*`), not by the templates.
  ['INTEGRATION_UPDATE_SETTINGS', 'Modify integration settings', "Change integration settings: categories' privacy contexts (entitlements) in the management console."],
  // The custom metadata plugin (type 3) on Kaltura's server, on for every partner here: Gatehouse
  // always serves metadata profiles and metadata. kmc-ng drops a role's CUSTOM_DATA_PROFILE_* (its
  // Settings › Custom Data) unless the partner's permission.list (typeIn 2,3) names it. It lets no
  // action through by itself.
  ['METADATA_PLUGIN_PERMISSION', 'Custom metadata', 'Custom metadata profiles and the metadata of entries (a partner feature, always on).', 3],
];

export const PERMISSIONS: readonly PermissionDef[] = defs.map(([name, friendlyName, description, type], i) => ({
  id: i + 1,
  name,
  friendlyName,
  description,
  type: type ?? 1,
}));

const byName = new Map(PERMISSIONS.map((p) => [p.name, p]));

export function permissionByName(name: string): PermissionDef | undefined {
  return byName.get(name);
}

/**
 * A `*` role's names spelled out, as Kaltura's UserRole::getPermissionNames resolves `*`: every
 * permission Gatehouse serves, the operator's ones only in an operator role. kmc-ng reads these
 * from userRole.get as what its user may do.
 */
export function expandAll(operator: boolean): string {
  return PERMISSIONS.filter((p) => operator || !isOperatorPermission(p.name))
    .map((p) => p.name)
    .join(',');
}

/** Permission names given to every caller, with or without a session. */
export const ALWAYS_ALLOWED = 'ALWAYS_ALLOWED_ACTIONS';

/** Parses a role's comma-separated `permissionNames`; `*` means every permission. */
export function parsePermissionNames(text: string): ReadonlySet<string> | '*' {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.includes('*')) return '*';
  return new Set(names);
}

/** Names in `text` that are neither in the catalogue nor Kaltura's unserved ones (for PERMISSION_NOT_FOUND). */
export function unknownPermissions(text: string): string[] {
  const set = parsePermissionNames(text);
  if (set === '*') return [];
  return [...set].filter((n) => !byName.has(n) && !UNSERVED_KALTURA_PERMISSIONS.has(n));
}

/** Permissions that act across partners; only admin-console (operator) sessions can hold them. */
export function isOperatorPermission(name: string): boolean {
  return name.startsWith('SYSTEM_ADMIN_');
}

/**
 * True when a granted set satisfies any one of the required names. A publisher's `*` role means
 * "everything within the partner": operator permissions are never granted outside the
 * admin-console partner, whatever a role there says.
 */
export function satisfiesAny(granted: ReadonlySet<string> | '*', required: readonly string[], operator = false): boolean {
  for (const r of required) {
    if (r === ALWAYS_ALLOWED) return true;
    if (!operator && isOperatorPermission(r)) continue;
    if (granted === '*' || granted.has(r)) return true;
  }
  return false;
}

/** A permission of Kala's fixed catalogue (seed 004): one UUID standing for several of our names. */
export interface KalaPermission {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly includes: readonly string[];
}

/**
 * Kala's two permission UUIDs, mapped onto our names so Kala clients can send them unchanged.
 * "Data Management" (CRUD on the datastore) covers content and custom metadata.
 */
export const KALA_PERMISSIONS: readonly KalaPermission[] = [
  {
    id: '01968c91-8789-7288-a337-f0e398711aac',
    name: 'User Management',
    description: 'Create, read, update, and delete users.',
    includes: ['ADMIN_BASE', 'ADMIN_USER_ADD', 'ADMIN_USER_UPDATE', 'ADMIN_USER_DELETE'],
  },
  {
    id: '01968c91-8789-7724-b62d-946b118ce9d6',
    name: 'Data Management',
    description: 'Create, read, update, and delete datastore.',
    includes: [
      'CONTENT_MANAGE_BASE',
      'CONTENT_INGEST_BASE',
      'CONTENT_MANAGE_EDIT',
      'CONTENT_MANAGE_DELETE',
      'CONTENT_MANAGE_ACCESS_CONTROL',
      'CONTENT_MANAGE_SCHEDULE',
      'CUSTOM_DATA_PROFILE_BASE',
      'CUSTOM_DATA_PROFILE_ADD',
      'CUSTOM_DATA_PROFILE_DELETE',
      'CUSTOM_DATA_FIELD_ADD',
      'CUSTOM_DATA_FIELD_UPDATE',
      'CUSTOM_DATA_FIELD_DELETE',
    ],
  },
];

const kalaById = new Map(KALA_PERMISSIONS.map((k) => [k.id.toLowerCase(), k]));

/**
 * Expands permission references (our names or Kala UUIDs, case-insensitive for UUIDs) into our
 * names, deduplicated in first-seen order. Returns the references that match neither.
 */
export function expandPermissionRefs(refs: readonly string[]): { names: string[]; unknown: string[] } {
  const names = new Set<string>();
  const unknown: string[] = [];
  for (const ref of refs) {
    const kala = kalaById.get(ref.toLowerCase());
    if (kala) for (const n of kala.includes) names.add(n);
    else if (byName.has(ref)) names.add(ref);
    else unknown.push(ref);
  }
  return { names: [...names], unknown };
}
