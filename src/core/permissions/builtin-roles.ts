/**
 * Roles every installation starts with (protocol §4.5). Global roles live in partner 0 and are
 * visible to every partner; template roles live in partner 99 and are copied into each new partner;
 * the operator role lives in the admin-console partner -2.
 */

export interface BuiltinRole {
  readonly name: string;
  readonly systemName: string;
  readonly description: string;
  readonly permissionNames: string;
  /** kmc-ng lists the roles tagged `kmc` and finds the administrator's by `partner_admin`, as on Kaltura's server. */
  readonly tags?: string;
}

const USER_BASICS = 'BASE_USER_SESSION_PERMISSION,PLAYBACK_BASE_PERMISSION,WIDGET_SESSION_PERMISSION';

export const GLOBAL_ROLES: readonly BuiltinRole[] = [
  { name: 'Publisher Administrator', systemName: 'PARTNER_ADMIN_ROLE', description: 'Full control of the partner', permissionNames: '*', tags: 'kmc,partner_admin' },
  { name: 'Basic User Session Role', systemName: 'BASE_USER_SESSION_ROLE', description: 'Default role of USER sessions', permissionNames: USER_BASICS },
  { name: 'Widget Session Role', systemName: 'WIDGET_SESSION_ROLE', description: 'Default role of player (widget) sessions', permissionNames: 'WIDGET_SESSION_PERMISSION,PLAYBACK_BASE_PERMISSION' },
  { name: 'No Session', systemName: 'NO_SESSION_ROLE', description: 'Calls made without a session', permissionNames: 'ALWAYS_ALLOWED_ACTIONS' },
  { name: 'Playback Base Role', systemName: 'PLAYBACK_BASE_ROLE', description: 'Playback only', permissionNames: 'PLAYBACK_BASE_PERMISSION' },
];

export const TEMPLATE_ROLES: readonly BuiltinRole[] = [
  {
    name: 'Manager',
    systemName: 'MANAGER',
    description: 'Manages content, users, app tokens and access control',
    tags: 'kmc',
    permissionNames: [
      USER_BASICS,
      'KMC_ACCESS,SESSION_READ_PERMISSION,ADMIN_BASE,ADMIN_USER_ADD,ADMIN_USER_UPDATE,ADMIN_USER_DELETE,ACCOUNT_BASE,INTEGRATION_BASE',
      'APP_TOKEN_BASE,APP_TOKEN_ADD,APP_TOKEN_UPDATE,APP_TOKEN_DELETE',
      'ACCESS_CONTROL_BASE,ACCESS_CONTROL_ADD,ACCESS_CONTROL_UPDATE,ACCESS_CONTROL_DELETE',
      'CONTENT_MANAGE_BASE,CONTENT_INGEST_BASE,CONTENT_MANAGE_EDIT,CONTENT_MANAGE_DELETE,CONTENT_MANAGE_ACCESS_CONTROL,CONTENT_MANAGE_SCHEDULE',
      // As the real server's Manager template: categories and their entries, not their entitlement fields.
      'CONTENT_MANAGE_ASSIGN_CATEGORIES,CONTENT_MANAGE_EDIT_CATEGORIES',
      'CUSTOM_DATA_PROFILE_BASE,CUSTOM_DATA_FIELD_ADD,CUSTOM_DATA_FIELD_UPDATE,CUSTOM_DATA_FIELD_DELETE,AUDIT_LOG_READ',
    ].join(','),
  },
  {
    name: 'Content Uploader',
    systemName: 'CONTENT_UPLOADER',
    description: 'Uploads and edits own content',
    tags: 'kmc',
    permissionNames: `${USER_BASICS},KMC_ACCESS,CONTENT_MANAGE_BASE,CONTENT_INGEST_BASE,CONTENT_MANAGE_EDIT`,
  },
  {
    name: 'Content Moderator',
    systemName: 'CONTENT_MODERATOR',
    description: 'Reviews content',
    tags: 'kmc',
    permissionNames: `${USER_BASICS},KMC_ACCESS,KMC_READ_ONLY,CONTENT_MANAGE_BASE`,
  },
  {
    name: 'Player Designer',
    systemName: 'PLAYER_DESIGNER',
    description: 'Designs players',
    tags: 'kmc',
    permissionNames: `${USER_BASICS},KMC_ACCESS,CONTENT_MANAGE_BASE`,
  },
];

export const OPERATOR_ROLES: readonly BuiltinRole[] = [
  { name: 'System Administrator', systemName: 'SYSTEM_ADMIN_ROLE', description: 'Operates the Gatehouse installation', permissionNames: '*' },
];
