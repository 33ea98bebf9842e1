/**
 * The one error catalogue. Codes are data: a wire code (Kaltura's, where one exists), the names of
 * its arguments, a message template with `@ARG@` placeholders, and a category that the non-Kaltura
 * doors map onto HTTP statuses. Services throw `GatehouseError`s built from here; each door has one
 * map to its wire shape. Templates are the Kaltura server's own wording (protocol/kaltura.md §7).
 */

export type ErrorCategory =
  | 'invalid_input' // the caller sent something malformed or out of range
  | 'unauthenticated' // no / bad credentials or session
  | 'forbidden' // authenticated but not allowed
  | 'not_found'
  | 'conflict' // duplicates, objects in use
  | 'rate_limited'
  | 'internal'
  | 'unavailable'; // a dependency (the database) cannot be reached right now: retry later

export interface ErrorDef {
  readonly code: string;
  readonly args: readonly string[];
  readonly template: string;
  readonly category: ErrorCategory;
}

function def(code: string, args: readonly string[], template: string, category: ErrorCategory): ErrorDef {
  return { code, args, template, category };
}

/** The seven "needs a privacy context" refusals of category fields share one wording. */
const noContext = (code: string, field: string): ErrorDef => def(code, [], `Cannot set ${field} field when privacy context is not set on the categroy`, 'invalid_input');

export const E = {
  // sessions and authentication
  INVALID_KS: def('INVALID_KS', ['KSID', 'ERR_CODE', 'ERR_DESC'], 'Invalid KS "@KSID@", Error "@ERR_CODE@,@ERR_DESC@"', 'unauthenticated'),
  MISSING_KS: def('MISSING_KS', [], 'Missing KS, session not established', 'unauthenticated'),
  START_SESSION_ERROR: def('START_SESSION_ERROR', ['PID'], 'Error while starting session for partner [@PID@]', 'unauthenticated'),
  INVALID_WIDGET_ID: def('INVALID_WIDGET_ID', ['WIDGET_ID'], 'Unknown widget [@WIDGET_ID@]', 'not_found'),
  START_WIDGET_SESSION_ERROR: def('START_WIDGET_SESSION_ERROR', ['WIDGET_ID'], 'error while starting session for widget id [@WIDGET_ID@]', 'forbidden'),
  UNKNOWN_ROLE_ID: def('UNKNOWN_ROLE_ID', [], 'Unknown role id', 'invalid_input'),
  INVALID_SET_ROLE: def('INVALID_SET_ROLE', [], 'Invalid set role id', 'invalid_input'),
  INVALID_ACTIONS_LIMIT: def('INVALID_ACTIONS_LIMIT', [], 'Invalid actions limit', 'invalid_input'),
  USER_WRONG_PASSWORD: def('USER_WRONG_PASSWORD', [], 'Wrong password supplied', 'unauthenticated'),
  LOGIN_RETRIES_EXCEEDED: def('LOGIN_RETRIES_EXCEEDED', [], 'Maximum login retries exceeded. Your account has been locked and will not be available for 24 hours', 'rate_limited'),
  LOGIN_BLOCKED: def('LOGIN_BLOCKED', [], 'You account is locked', 'rate_limited'),
  // Gatehouse's own: the per-address sign-in throttle (GATEHOUSE_LOGIN_THROTTLE). It says nothing
  // about any account, so every door shows it (REST: 429 + Retry-After; Kaltura: as LOGIN_BLOCKED).
  LOGIN_THROTTLED: def('LOGIN_THROTTLED', ['RETRY_AFTER'], 'Too many failed sign-in attempts from your address; try again in @RETRY_AFTER@ seconds', 'rate_limited'),
  LOGIN_DATA_NOT_FOUND: def('LOGIN_DATA_NOT_FOUND', [], 'Login id not found', 'not_found'),
  USER_IS_BLOCKED: def('USER_IS_BLOCKED', [], 'User is blocked', 'forbidden'),
  USER_BLOCKED: def('USER_BLOCKED', [], 'this user is blocked', 'forbidden'),
  PASSWORD_EXPIRED: def('PASSWORD_EXPIRED', [], 'Current password has expired', 'unauthenticated'),
  DIRECT_LOGIN_BLOCKED: def('DIRECT_LOGIN_BLOCKED', [], 'Direct login is blocked on this partner', 'forbidden'),
  // Two-factor codes: the `otp` of user.loginByLoginId and partner.getSecrets, with the Kaltura server's wording.
  MISSING_OTP: def('MISSING_OTP', [], 'OTP is missing', 'unauthenticated'),
  INVALID_OTP: def('INVALID_OTP', [], 'OTP provided failed to validate', 'unauthenticated'),
  // Gatehouse's own: seed 003 asks for an explicit sentence instead of a broken publisher console.
  SYSTEM_PARTNER_LOGIN: def('SYSTEM_PARTNER_LOGIN', ['LOGIN_ID'], 'The account "@LOGIN_ID@" belongs to the system administration console (partner -2), not to a publisher. Sign in to the operator console, or ask an operator to create a publisher partner for you.', 'forbidden'),

  // dispatch and authorization
  SERVICE_FORBIDDEN: def('SERVICE_FORBIDDEN', ['SERVICE'], 'The access to service [@SERVICE@] is forbidden', 'forbidden'),
  SERVICE_FORBIDDEN_CONTENT_BLOCKED: def('SERVICE_FORBIDDEN_CONTENT_BLOCKED', [], 'The access to this service is forbidden since the specified partner is blocked', 'forbidden'),
  SERVICE_ACCESS_CONTROL_RESTRICTED: def('SERVICE_ACCESS_CONTROL_RESTRICTED', ['SERVICE'], 'The access to service [@SERVICE@] is forbidden due to access control restriction', 'forbidden'),
  ACCESS_UNAUTHORIZED: def('ACCESS_UNAUTHORIZED', [], 'Access unauthorized', 'forbidden'),
  PARTNER_ACCESS_FORBIDDEN: def('PARTNER_ACCESS_FORBIDDEN', ['ACCESSING_PID', 'ACCESSED_PID'], 'Partner [@ACCESSING_PID@] cannot access partner [@ACCESSED_PID@]', 'forbidden'),
  SERVICE_DOES_NOT_EXISTS: def('SERVICE_DOES_NOT_EXISTS', ['SRV_NAME'], 'Service "@SRV_NAME@" does not exists', 'not_found'),
  ACTION_NOT_SPECIFIED: def('ACTION_NOT_SPECIFIED', [], 'Action name was not specified, please specify one', 'invalid_input'),
  ACTION_DOES_NOT_EXISTS: def('ACTION_DOES_NOT_EXISTS', ['ACTION_NAME', 'SERVICE_NAME'], 'Action "@ACTION_NAME@" does not exists for service "@SERVICE_NAME@"', 'not_found'),

  // parameter decoding and validation
  MISSING_MANDATORY_PARAMETER: def('MISSING_MANDATORY_PARAMETER', ['PARAM_NAME'], 'Missing parameter "@PARAM_NAME@"', 'invalid_input'),
  INVALID_ENUM_VALUE: def('INVALID_ENUM_VALUE', ['ENUM_VAL', 'PARAM_NAME', 'ENUM_TYPE'], 'Invalid enumeration value "@ENUM_VAL@" for parameter "@PARAM_NAME@", expecting enumeration type "@ENUM_TYPE@"', 'invalid_input'),
  OBJECT_TYPE_ABSTRACT: def('OBJECT_TYPE_ABSTRACT', ['OBJ_TYPE'], 'The object type "@OBJ_TYPE@" is abstract, use one of the object implementations', 'invalid_input'),
  PROPERTY_VALIDATION_CANNOT_BE_NULL: def('PROPERTY_VALIDATION_CANNOT_BE_NULL', ['PROP_NAME'], 'The property "@PROP_NAME@" cannot be null', 'invalid_input'),
  PROPERTY_VALIDATION_NOT_UPDATABLE: def('PROPERTY_VALIDATION_NOT_UPDATABLE', ['PROP_NAME'], 'The property "@PROP_NAME@" cannot be updated', 'invalid_input'),
  PROPERTY_VALIDATION_MIN_LENGTH: def('PROPERTY_VALIDATION_MIN_LENGTH', ['PROP_NAME', 'MIN_LEN'], 'The property "@PROP_NAME@" must have a min length of @MIN_LEN@ characters', 'invalid_input'),
  PROPERTY_VALIDATION_MAX_LENGTH: def('PROPERTY_VALIDATION_MAX_LENGTH', ['PROP_NAME', 'MAX_LEN'], 'The property "@PROP_NAME@" cannot have more than @MAX_LEN@ characters', 'invalid_input'),
  PROPERTY_VALIDATION_WRONG_FORMAT: def('PROPERTY_VALIDATION_WRONG_FORMAT', ['PROP_NAME', 'FORMAT'], 'The property "@PROP_NAME@" must match format @FORMAT@', 'invalid_input'),
  INVALID_PARAMETER_CHAR: def('INVALID_PARAMETER_CHAR', ['XML_FIELD'], 'Invalid char in "@XML_FIELD@" field', 'invalid_input'),
  INVALID_LANGUAGE_CODE: def('INVALID_LANGUAGE_CODE', ['LANGUAGE_CODE'], ' Invalid language code ["@LANGUAGE_CODE@"]', 'invalid_input'),
  UNKNOWN_RESPONSE_FORMAT: def('UNKNOWN_RESPONSE_FORMAT', ['FORMAT'], 'Response format provided [@FORMAT@] is not recognized by server', 'invalid_input'),
  INVALID_OBJECT_ID: def('INVALID_OBJECT_ID', ['ID'], 'Invalid object id [@ID@]', 'not_found'),
  INVALID_FIELD_VALUE: def('INVALID_FIELD_VALUE', ['FIELD_NAME'], 'value in field [@FIELD_NAME@] is not valid', 'invalid_input'),
  INTERNAL_SERVERL_ERROR: def('INTERNAL_SERVERL_ERROR', [], 'Internal server error occurred', 'internal'),
  INTERNAL_DATABASE_ERROR: def('INTERNAL_DATABASE_ERROR', [], 'Internal database error', 'internal'),
  // Gatehouse's own: the database cannot be reached (restart, failover, a killed connection). Its
  // own code, not INTERNAL_DATABASE_ERROR, so every door can say "try again" (REST and consumer
  // 503, forward-auth 503) and a Kaltura client sees a transient condition, not a server bug.
  SERVICE_UNAVAILABLE: def('SERVICE_UNAVAILABLE', [], 'The service is temporarily unavailable; try again in a few seconds', 'unavailable'),

  // partners
  INVALID_PARTNER_ID: def('INVALID_PARTNER_ID', ['PID'], 'Invalid partner id "@PID@"', 'not_found'),
  PARTNER_REGISTRATION_ERROR: def('PARTNER_REGISTRATION_ERROR', ['MESSAGE'], 'Error while registering partner with message "@MESSAGE@"', 'invalid_input'),
  USER_DATA_ERROR: def('USER_DATA_ERROR', [], 'User data is not valid.', 'unauthenticated'),

  // users and passwords
  USER_NOT_FOUND: def('USER_NOT_FOUND', [], 'User was not found', 'not_found'),
  INVALID_USER_ID: def('INVALID_USER_ID', [], 'Invalid user id', 'not_found'),
  CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION: def('CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION', ['USER_ID'], 'cannot retrieve another user "@USER_ID@" using non-admin session', 'forbidden'),
  DUPLICATE_USER_BY_ID: def('DUPLICATE_USER_BY_ID', ['UID'], 'User with id [@UID@] already exists in system', 'conflict'),
  DUPLICATE_USER_BY_LOGIN_ID: def('DUPLICATE_USER_BY_LOGIN_ID', ['EMAIL'], 'Loginable user with email [@EMAIL@] already exists in system', 'conflict'),
  ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE: def('ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE', [], 'User operations with both id and external id not allowed', 'invalid_input'),
  PASSWORD_STRUCTURE_INVALID: def('PASSWORD_STRUCTURE_INVALID', ['RULES'], 'The password you entered has an invalid structure.\nPasswords must obey the following rules :\n@RULES@', 'invalid_input'),
  PASSWORD_ALREADY_USED: def('PASSWORD_ALREADY_USED', [], 'Chosen password has already been used', 'invalid_input'),
  COMMON_PASSWORD: def('COMMON_PASSWORD', [], 'Chosen password is a common password', 'invalid_input'),
  WRONG_OLD_PASSWORD: def('WRONG_OLD_PASSWORD', [], 'old password is wrong', 'unauthenticated'),
  // Kaltura's login calls (issue 18): adminUser's own wording of a wrong current password, the
  // login id taken by another identity, enabling/disabling a user's login, switching partner.
  ADMIN_KUSER_WRONG_OLD_PASSWORD: def('ADMIN_KUSER_WRONG_OLD_PASSWORD', [], 'Old password is wrong', 'unauthenticated'),
  ADMIN_KUSER_NOT_FOUND: def('ADMIN_KUSER_NOT_FOUND', [], 'The data you entered is invalid', 'forbidden'),
  LOGIN_ID_ALREADY_USED: def('LOGIN_ID_ALREADY_USED', [], 'Same login id is already in use', 'conflict'),
  USER_LOGIN_ALREADY_ENABLED: def('USER_LOGIN_ALREADY_ENABLED', [], 'User is already allowed to login', 'conflict'),
  USER_LOGIN_ALREADY_DISABLED: def('USER_LOGIN_ALREADY_DISABLED', [], 'User is already not allowed to login', 'conflict'),
  CANNOT_DISABLE_LOGIN_FOR_ADMIN_USER: def('CANNOT_DISABLE_LOGIN_FOR_ADMIN_USER', [], 'Login cannot be disabled for admin users', 'forbidden'),
  PARTNER_CHANGE_ACCOUNT_DISABLED: def('PARTNER_CHANGE_ACCOUNT_DISABLED', [], 'Partner change account is disabled for current session', 'forbidden'),
  ADMIN_LOGIN_USERS_QUOTA_EXCEEDED: def('ADMIN_LOGIN_USERS_QUOTA_EXCEEDED', [], 'Partner login users quota exceeded', 'conflict'),
  CANNOT_DELETE_OR_BLOCK_ROOT_ADMIN_USER: def('CANNOT_DELETE_OR_BLOCK_ROOT_ADMIN_USER', [], 'Root admin user cannot be deleted', 'forbidden'),
  CANNOT_SET_ROOT_ADMIN_AS_NO_ADMIN: def('CANNOT_SET_ROOT_ADMIN_AS_NO_ADMIN', [], 'Root admin user cannot be set as non admin', 'forbidden'),
  USER_ROLE_NOT_FOUND: def('USER_ROLE_NOT_FOUND', [], 'User role not found', 'invalid_input'),
  ONLY_ONE_ROLE_PER_USER_ALLOWED: def('ONLY_ONE_ROLE_PER_USER_ALLOWED', [], 'Only one role per user is allowed', 'invalid_input'),
  ROLE_ID_MISSING: def('ROLE_ID_MISSING', [], 'Role id is missing', 'invalid_input'),
  // Gatehouse's own (REST "set password"): the user has no login, or its login is shared with
  // users of other partners, whose admins alone may not change it (one identity, one password).
  USER_LOGIN_NOT_ENABLED: def('USER_LOGIN_NOT_ENABLED', ['USER_ID'], 'User "@USER_ID@" has no login; give it a password when creating it, or create a user with a login', 'conflict'),
  LOGIN_SHARED_WITH_OTHER_PARTNERS: def('LOGIN_SHARED_WITH_OTHER_PARTNERS', ['USER_ID'], 'The login of user "@USER_ID@" is also used in other partners; only its owner can change its password', 'forbidden'),

  // roles and permissions
  ROLE_NAME_ALREADY_EXISTS: def('ROLE_NAME_ALREADY_EXISTS', [], 'A role with the same name already exists', 'conflict'),
  ROLE_IS_BEING_USED: def('ROLE_IS_BEING_USED', [], 'Role is being used', 'conflict'),
  PERMISSION_NOT_FOUND: def('PERMISSION_NOT_FOUND', ['ERR_TEXT'], '@ERR_TEXT@', 'invalid_input'),
  // Gatehouse's own: the global roles (partner 0) are shared by every partner; copy one to change it.
  BUILT_IN_ROLE_READ_ONLY: def('BUILT_IN_ROLE_READ_ONLY', ['ID'], 'Role @ID@ is a built-in role shared by every partner and cannot be changed or deleted', 'forbidden'),

  // app tokens
  APP_TOKEN_ID_NOT_FOUND: def('APP_TOKEN_ID_NOT_FOUND', ['ID'], 'Application token id "@ID@" not found', 'not_found'),
  APP_TOKEN_NOT_ACTIVE: def('APP_TOKEN_NOT_ACTIVE', ['ID'], 'Application token id "@ID@" not active', 'forbidden'),
  APP_TOKEN_EXPIRED: def('APP_TOKEN_EXPIRED', ['ID'], 'Application token id "@ID@" expired', 'forbidden'),
  INVALID_APP_TOKEN_HASH: def('INVALID_APP_TOKEN_HASH', [], 'Invalid application token hash', 'unauthenticated'),

  // access control and entries
  ACCESS_CONTROL_ID_NOT_FOUND: def('ACCESS_CONTROL_ID_NOT_FOUND', ['ID'], 'Access control id "@ID@" not found', 'not_found'),
  CANNOT_DELETE_DEFAULT_ACCESS_CONTROL: def('CANNOT_DELETE_DEFAULT_ACCESS_CONTROL', [], 'Default access control cannot be deleted', 'conflict'),
  MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED: def('MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED', ['MAX_NUM'], 'Max number of "@MAX_NUM@" access controls was reached', 'conflict'),
  SYSTEM_NAME_ALREADY_EXISTS: def('SYSTEM_NAME_ALREADY_EXISTS', ['SYS_NAME'], 'System name [@SYS_NAME@] already exists', 'conflict'),
  EXCEEDED_ENTRIES_PER_ACCESS_CONTROL_FOR_UPDATE: def('EXCEEDED_ENTRIES_PER_ACCESS_CONTROL_FOR_UPDATE', ['id'], 'exceeded entries per access control id @id@ for update', 'conflict'),
  CANNOT_TRANSFER_ENTRIES_TO_ANOTHER_ACCESS_CONTROL_OBJECT: def('CANNOT_TRANSFER_ENTRIES_TO_ANOTHER_ACCESS_CONTROL_OBJECT', [], 'no default access control for current partner', 'conflict'),
  // Gatehouse's own: a rule the engine refuses to compile (bad regex, bad CIDR, ...), named by its
  // path in the profile (`rules[1].conditions[0].values[2]`) so an admin can find and fix it.
  INVALID_ACCESS_CONTROL_RULE: def('INVALID_ACCESS_CONTROL_RULE', ['PROP_NAME', 'REASON'], 'The access control rule property "@PROP_NAME@" is invalid: @REASON@', 'invalid_input'),
  ENTRY_ID_NOT_FOUND: def('ENTRY_ID_NOT_FOUND', ['ENTRY_ID'], 'Entry id "@ENTRY_ID@" not found', 'not_found'),
  INVALID_ENTRY_SCHEDULE_DATES: def('INVALID_ENTRY_SCHEDULE_DATES', [], 'Invalid entry schedule dates', 'invalid_input'),
  PROPERTY_VALIDATION_ADMIN_PROPERTY: def('PROPERTY_VALIDATION_ADMIN_PROPERTY', ['PROP_NAME'], 'The property "@PROP_NAME@" is updatable with admin session only', 'forbidden'),

  // custom metadata (Kaltura's MetadataErrors)
  METADATA_PROFILE_NOT_FOUND: def('METADATA_PROFILE_NOT_FOUND', ['ID'], 'metadata profile not found, id [@ID@]', 'not_found'),
  INVALID_METADATA_PROFILE_SCHEMA: def('INVALID_METADATA_PROFILE_SCHEMA', ['ERR_MSG'], 'invalid metadata profile schema: @ERR_MSG@', 'invalid_input'),
  INVALID_METADATA_PROFILE_TYPE: def('INVALID_METADATA_PROFILE_TYPE', ['TYPE'], 'invalid metadata profile type: @TYPE@', 'invalid_input'),
  INCOMPATIBLE_METADATA_PROFILE_OBJECT_TYPE: def('INCOMPATIBLE_METADATA_PROFILE_OBJECT_TYPE', ['OBJ_TYPE', 'META_OBJ_TYPE'], 'Metadata Profile object type is @OBJ_TYPE@, metadata object type is @META_OBJ_TYPE@', 'invalid_input'),
  INVALID_METADATA_OBJECT: def('INVALID_METADATA_OBJECT', ['OBJECT'], 'invalid metadata object [@OBJECT@]', 'not_found'),
  INVALID_METADATA_DATA: def('INVALID_METADATA_DATA', ['ERR_MSG'], 'invalid metadata data: @ERR_MSG@', 'invalid_input'),
  INVALID_METADATA_VERSION: def('INVALID_METADATA_VERSION', ['VERSION'], 'invalid metadata version [@VERSION@]', 'conflict'),
  METADATA_NOT_FOUND: def('METADATA_NOT_FOUND', ['ID'], 'metadata not found, id [@ID@]', 'not_found'),
  METADATA_ALREADY_EXISTS: def('METADATA_ALREADY_EXISTS', ['ID'], 'Metadata already exists id [@ID@]', 'conflict'),
  METADATA_NO_PERMISSION_ON_ENTRY: def('METADATA_NO_PERMISSION_ON_ENTRY', ['ID'], 'No permissions to add metadata for entry [@ID@]', 'forbidden'),

  // categories, categoryEntry, categoryUser (issue 17; protocol kaltura-entitlements.md §8, "categroy" sic)
  CATEGORY_NOT_FOUND: def('CATEGORY_NOT_FOUND', ['ID'], 'Category id "@ID@" not found', 'not_found'),
  PARENT_CATEGORY_NOT_FOUND: def('PARENT_CATEGORY_NOT_FOUND', ['ID'], 'Parent category id "@ID@" not found', 'not_found'),
  DUPLICATE_CATEGORY: def('DUPLICATE_CATEGORY', ['CATEGORY'], 'The category "@CATEGORY@" already exists', 'conflict'),
  PARENT_CATEGORY_IS_CHILD: def('PARENT_CATEGORY_IS_CHILD', ['PARENT_CATEGORY', 'OTHER_CATEGORY'], 'The parent category "@PARENT_CATEGORY@" is one of the children for category "@OTHER_CATEGORY@"', 'invalid_input'),
  CANNOT_MOVE_CATEGORIES_FROM_DIFFERENT_PARENT_CATEGORY: def('CANNOT_MOVE_CATEGORIES_FROM_DIFFERENT_PARENT_CATEGORY', [], 'Cannot move categories from different parent categories', 'invalid_input'),
  CANNOT_INHERIT_MEMBERS_WHEN_PARENT_CATEGORY_IS_NOT_SET: def('CANNOT_INHERIT_MEMBERS_WHEN_PARENT_CATEGORY_IS_NOT_SET', [], 'Cannot inherit members when parent category is not set', 'invalid_input'),
  NOT_ENTITLED_TO_UPDATE_CATEGORY: def('NOT_ENTITLED_TO_UPDATE_CATEGORY', [], 'Current User is not entitled to update this category', 'forbidden'),
  CANNOT_UPDATE_CATEGORY_PRIVACY_CONTEXT: def('CANNOT_UPDATE_CATEGORY_PRIVACY_CONTEXT', [], 'Cannot update privacy context', 'forbidden'),
  CANNOT_SET_APPEAR_IN_LIST_FIELD_WITH_NO_PRIVACY_CONTEXT: noContext('CANNOT_SET_APPEAR_IN_LIST_FIELD_WITH_NO_PRIVACY_CONTEXT', 'appear in list'),
  CANNOT_SET_INHERITANCE_TYPE_FIELD_WITH_NO_PRIVACY_CONTEXT: noContext('CANNOT_SET_INHERITANCE_TYPE_FIELD_WITH_NO_PRIVACY_CONTEXT', 'inheritance'),
  CANNOT_SET_PRIVACY_FIELD_WITH_NO_PRIVACY_CONTEXT: noContext('CANNOT_SET_PRIVACY_FIELD_WITH_NO_PRIVACY_CONTEXT', 'privacy'),
  CANNOT_SET_OWNER_FIELD_WITH_NO_PRIVACY_CONTEXT: noContext('CANNOT_SET_OWNER_FIELD_WITH_NO_PRIVACY_CONTEXT', 'owner'),
  CANNOT_SET_USER_JOIN_POLICY_FIELD_WITH_NO_PRIVACY_CONTEXT: noContext('CANNOT_SET_USER_JOIN_POLICY_FIELD_WITH_NO_PRIVACY_CONTEXT', 'user join policy'),
  CANNOT_SET_CONTIRUBUTION_POLICY_FIELD_WITH_NO_PRIVACY_CONTEXT: noContext('CANNOT_SET_CONTIRUBUTION_POLICY_FIELD_WITH_NO_PRIVACY_CONTEXT', 'contribution policy'),
  CANNOT_SET_DEFAULT_PERMISSION_LEVEL_FIELD_WITH_NO_PRIVACY_CONTEXT: noContext('CANNOT_SET_DEFAULT_PERMISSION_LEVEL_FIELD_WITH_NO_PRIVACY_CONTEXT', 'default permission level'),
  CANNOT_SET_OWNER_FIELD_WITH_USER_ID: def('CANNOT_SET_OWNER_FIELD_WITH_USER_ID', ['ID'], 'Cannot set owner field with user id "@ID@", user id is invalid', 'invalid_input'),
  PRIVACY_CONTEXT_INVALID_STRING: def('PRIVACY_CONTEXT_INVALID_STRING', ['CONTEXT'], 'Privacy context is invalid "@CONTEXT@"', 'invalid_input'),
  CANNOT_SET_OWNER_WHEN_CATEGORY_INHERIT_MEMBERS: def('CANNOT_SET_OWNER_WHEN_CATEGORY_INHERIT_MEMBERS', [], 'Cannot set owner when category is set to inherit', 'invalid_input'),
  CANNOT_SET_USER_JOIN_POLICY_WHEN_CATEGORY_INHERIT_MEMBERS: def('CANNOT_SET_USER_JOIN_POLICY_WHEN_CATEGORY_INHERIT_MEMBERS', [], 'Cannot set user join policy when category is set to inherit', 'invalid_input'),
  CANNOT_SET_DEFAULT_PERMISSION_LEVEL_WHEN_CATEGORY_INHERIT_MEMBERS: def('CANNOT_SET_DEFAULT_PERMISSION_LEVEL_WHEN_CATEGORY_INHERIT_MEMBERS', [], 'Cannot set default permission level when category is set to inherit', 'invalid_input'),
  INVALID_CATEGORY_USER_ID: def('INVALID_CATEGORY_USER_ID', ['CAT', 'USER'], 'Invalid CategoryUser for category ["@CAT@"] and for user ["@USER@"]', 'not_found'),
  CATEGORY_USER_ALREADY_EXISTS: def('CATEGORY_USER_ALREADY_EXISTS', [], 'CategoryUser already exists', 'conflict'),
  CATEGORY_INHERIT_MEMBERS: def('CATEGORY_INHERIT_MEMBERS', ['CAT'], 'Cannot add members to this category since its inherit members from parent category ["@CAT@"]', 'conflict'),
  CATEGORY_USER_JOIN_NOT_ALLOWED: def('CATEGORY_USER_JOIN_NOT_ALLOWED', ['CAT'], 'cannot register to this category ["@CAT@"]', 'forbidden'),
  CANNOT_UPDATE_CATEGORY_USER: def('CANNOT_UPDATE_CATEGORY_USER', [], 'cannot update category user', 'forbidden'),
  CANNOT_UPDATE_CATEGORY_USER_OWNER: def('CANNOT_UPDATE_CATEGORY_USER_OWNER', [], 'Cannot change CategoryUser object for category Owner', 'forbidden'),
  CANNOT_OVERRIDE_MANUAL_CHANGES: def('CANNOT_OVERRIDE_MANUAL_CHANGES', [], 'Cannot override manual changes', 'conflict'),
  MUST_FILTER_USERS_OR_CATEGORY: def('MUST_FILTER_USERS_OR_CATEGORY', [], 'Must filter users or categories', 'invalid_input'),
  CATEGORY_MAX_USER_REACHED: def('CATEGORY_MAX_USER_REACHED', ['MAX'], 'Max amount of users per category @MAX@ has been reached', 'conflict'),
  INVALID_ENTRY_ID: def('INVALID_ENTRY_ID', ['ID'], 'Invalid entry id ["@ID@"]', 'not_found'),
  CANNOT_ASSIGN_ENTRY_TO_CATEGORY: def('CANNOT_ASSIGN_ENTRY_TO_CATEGORY', [], 'Cannot assign entry to category', 'forbidden'),
  CANNOT_REMOVE_ENTRY_FROM_CATEGORY: def('CANNOT_REMOVE_ENTRY_FROM_CATEGORY', [], 'Cannot remove entry from category', 'forbidden'),
  ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY: def('ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY', [], "Entry doesn't assigned to category", 'not_found'),
  CATEGORY_ENTRY_ALREADY_EXISTS: def('CATEGORY_ENTRY_ALREADY_EXISTS', [], 'Entry already assigned to this category', 'conflict'),
  MUST_FILTER_ON_ENTRY_OR_CATEGORY: def('MUST_FILTER_ON_ENTRY_OR_CATEGORY', [], 'Must filter on entry id or category', 'invalid_input'),
  MAX_CATEGORIES_FOR_ENTRY_REACHED: def('MAX_CATEGORIES_FOR_ENTRY_REACHED', ['CATEGORIES'], 'Entry can be linked with a maximum of "@CATEGORIES@" categories', 'conflict'),

  // REST door (Kala-compatible auth, API keys, protected services). Gatehouse's own codes.
  INVALID_REQUEST: def('INVALID_REQUEST', ['DETAIL'], 'The request is not valid: @DETAIL@', 'invalid_input'),
  REQUEST_TOO_LARGE: def('REQUEST_TOO_LARGE', ['MAX_LEN'], 'The request body is larger than @MAX_LEN@ bytes', 'invalid_input'),
  UNSUPPORTED_MEDIA_TYPE: def('UNSUPPORTED_MEDIA_TYPE', [], 'Send the request body as application/json', 'invalid_input'),
  ROUTE_NOT_FOUND: def('ROUTE_NOT_FOUND', ['METHOD', 'PATH'], 'No route @METHOD@ @PATH@', 'not_found'),
  // A fault, spelled correctly: the REST door's answer. INTERNAL_SERVERL_ERROR (sic) above is the
  // real Kaltura server's wire code, which Kaltura clients know, and stays the Kaltura door's.
  INTERNAL_SERVER_ERROR: def('INTERNAL_SERVER_ERROR', [], 'Internal server error occurred', 'internal'),
  // One message for every failed username/password login, so a caller cannot tell which part was wrong (ASVS 6.3.8).
  INVALID_CREDENTIALS: def('INVALID_CREDENTIALS', [], 'Invalid username or password', 'unauthenticated'),
  AUTHENTICATION_REQUIRED: def('AUTHENTICATION_REQUIRED', [], 'Authentication required: send Authorization: Bearer <access token> or X-API-Key: <api key>', 'unauthenticated'),
  AMBIGUOUS_CREDENTIALS: def('AMBIGUOUS_CREDENTIALS', [], 'More than one credential was sent; send exactly one', 'unauthenticated'),
  INVALID_ACCESS_TOKEN: def('INVALID_ACCESS_TOKEN', [], 'The access token is invalid or expired', 'unauthenticated'),
  ACCESS_TOKEN_REQUIRED: def('ACCESS_TOKEN_REQUIRED', [], 'This operation needs a user access token (Authorization: Bearer), not an API key', 'unauthenticated'),
  INVALID_API_KEY: def('INVALID_API_KEY', [], 'The API key is invalid, expired, not yet valid or revoked', 'unauthenticated'),
  PERMISSION_REQUIRED: def('PERMISSION_REQUIRED', ['PERMISSIONS'], 'This operation requires one of the permissions: @PERMISSIONS@', 'forbidden'),
  PERMISSION_NOT_HELD: def('PERMISSION_NOT_HELD', ['PERMISSIONS'], 'You cannot grant permissions you do not hold: @PERMISSIONS@', 'forbidden'),
  // Gatehouse's own (services/grants.ts): a session not started with the admin secret or an app
  // token never carries a privilege that widens its permissions.
  PRIVILEGE_NOT_ALLOWED: def('PRIVILEGE_NOT_ALLOWED', ['PRIVILEGE'], 'The privilege "@PRIVILEGE@" can only be given by the admin secret or an app token', 'forbidden'),
  API_KEY_NOT_FOUND: def('API_KEY_NOT_FOUND', ['ID'], 'API key "@ID@" not found', 'not_found'),
  API_KEY_VALIDITY_INVALID: def('API_KEY_VALIDITY_INVALID', ['REASON'], 'Invalid API key validity: @REASON@', 'invalid_input'),
  API_SERVICE_NOT_FOUND: def('API_SERVICE_NOT_FOUND', ['ID'], 'Service "@ID@" not found', 'not_found'),
  UNKNOWN_API_SERVICES: def('UNKNOWN_API_SERVICES', ['IDS'], 'Unknown services: @IDS@', 'invalid_input'),
  API_SERVICE_ALREADY_EXISTS: def('API_SERVICE_ALREADY_EXISTS', ['FIELD', 'VALUE'], 'A service with @FIELD@ "@VALUE@" already exists', 'conflict'),
  // Two-factor codes on the REST door: the access token's refusals (401, as every sign-in failure)
  // and the answers of enrolment, which a signed-in user gets (a wrong code there is a 400, not a 401 that would end the session).
  OTP_REQUIRED: def('OTP_REQUIRED', [], 'A two-factor code is required: send it as otp (a recovery code is accepted too)', 'unauthenticated'),
  INVALID_TWO_FACTOR_CODE: def('INVALID_TWO_FACTOR_CODE', [], 'The two-factor code is wrong, expired or already used', 'invalid_input'),
  TWO_FACTOR_ALREADY_ENROLLED: def('TWO_FACTOR_ALREADY_ENROLLED', [], 'Two-factor codes are already set up for this login; remove them first', 'conflict'),
  TWO_FACTOR_NOT_PENDING: def('TWO_FACTOR_NOT_PENDING', [], 'No two-factor enrolment is waiting for confirmation; start one first', 'conflict'),
  TWO_FACTOR_NOT_ENROLLED: def('TWO_FACTOR_NOT_ENROLLED', [], 'Two-factor codes are not set up for this login', 'not_found'),
  TWO_FACTOR_ENROLMENT_REQUIRED: def('TWO_FACTOR_ENROLMENT_REQUIRED', [], 'This partner requires two-factor codes: set them up before using it', 'forbidden'),

  // Consumer door (Sunbird adminutil). Where adminutil has a code for the case, its code and
  // upper-case wording; Gatehouse's own codes where it had none (duplicates, deprecation, rotation).
  BAD_REQUEST: def('BAD_REQUEST', ['DETAIL'], '@DETAIL@', 'invalid_input'),
  CONSUMER_ALREADY_EXISTS: def('CONSUMER_ALREADY_EXISTS', ['USERNAME'], 'CONSUMER ALREADY EXISTS. USERNAME: @USERNAME@', 'conflict'),
  CONSUMER_GET_ERROR: def('CONSUMER_GET_ERROR', ['USERNAME'], 'ERROR WHEN GETTING CONSUMER, USERNAME: @USERNAME@. CONSUMER DOES NOT EXIST', 'not_found'),
  CREATE_CREDENTIAL_ERROR: def('CREATE_CREDENTIAL_ERROR', ['DETAIL'], 'ERROR WHEN CREATING CREDENTIAL FOR CONSUMER. @DETAIL@', 'conflict'),
  CREDENTIAL_NOT_FOUND: def('CREDENTIAL_NOT_FOUND', ['KEY'], 'CREDENTIAL NOT FOUND. KEY: @KEY@', 'not_found'),
  // The rotation endpoint's own refusals: a bad, expired or unknown consumer token is 401; a valid
  // token whose credential may not rotate (still active, or already rotated once) is 403.
  INVALID_CONSUMER_CREDENTIAL: def('INVALID_CONSUMER_CREDENTIAL', ['REASON'], 'The consumer credential cannot be used: @REASON@', 'unauthenticated'),
  ROTATION_NOT_ALLOWED: def('ROTATION_NOT_ALLOWED', ['REASON'], 'The credential cannot be rotated: @REASON@', 'forbidden'),
  // Device self-registration (issue 19): a consumer caller outside the target's registrationGroup
  // is 403; too many registrations from one caller in a minute, 429 with Retry-After.
  REGISTRATION_NOT_ALLOWED: def('REGISTRATION_NOT_ALLOWED', ['USERNAME'], 'THIS CONSUMER MAY NOT REGISTER CREDENTIALS FOR CONSUMER @USERNAME@', 'forbidden'),
  REGISTRATION_RATE_LIMITED: def('REGISTRATION_RATE_LIMITED', ['RETRY_AFTER'], 'TOO MANY CREDENTIAL REGISTRATIONS; TRY AGAIN IN @RETRY_AFTER@ SECONDS', 'rate_limited'),

  // Single sign-on (OpenID Connect). SSO_NOT_FOUND is the Kaltura sso plugin's code, with its
  // (empty) text; the others are Gatehouse's own.
  SSO_NOT_FOUND: def('SSO_NOT_FOUND', [], '', 'not_found'),
  IDENTITY_PROVIDER_NOT_FOUND: def('IDENTITY_PROVIDER_NOT_FOUND', ['ID'], 'Identity provider "@ID@" not found', 'not_found'),
  IDENTITY_PROVIDER_INVALID: def('IDENTITY_PROVIDER_INVALID', ['REASON'], 'The identity provider cannot be used: @REASON@', 'invalid_input'),
  EMAIL_DOMAIN_TAKEN: def('EMAIL_DOMAIN_TAKEN', ['DOMAIN'], 'The e-mail domain "@DOMAIN@" already belongs to another enabled identity provider of this partner', 'conflict'),
  SSO_CODE_INVALID: def('SSO_CODE_INVALID', [], 'The sign-in code is invalid, expired or already used; sign in again', 'unauthenticated'),
} as const satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof E;

/** A catalogued failure. `args` are the wire arguments (all strings, like the Kaltura server's). */
export class GatehouseError extends Error {
  readonly code: ErrorCode;
  readonly def: ErrorDef;
  readonly args: Readonly<Record<string, string>>;

  constructor(def: ErrorDef, args: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    super(renderMessage(def, args), options);
    this.name = 'GatehouseError';
    this.code = def.code as ErrorCode;
    this.def = def;
    const norm: Record<string, string> = {};
    for (const name of def.args) norm[name] = args[name] === undefined ? 'N/A' : String(args[name]);
    this.args = norm;
  }
}

/** Renders a template the way the Kaltura server does: `@ARG@` replaced, missing values "N/A". */
export function renderMessage(def: ErrorDef, args: Record<string, string | number>): string {
  let out = def.template;
  for (const name of def.args) out = out.split(`@${name}@`).join(args[name] === undefined ? 'N/A' : String(args[name]));
  return out;
}

/** Shorthand for services: `throw fail(E.INVALID_USER_ID)`. */
export function fail(def: ErrorDef, args: Record<string, string | number> = {}): GatehouseError {
  return new GatehouseError(def, args);
}

export function isGatehouseError(e: unknown): e is GatehouseError {
  return e instanceof GatehouseError;
}
