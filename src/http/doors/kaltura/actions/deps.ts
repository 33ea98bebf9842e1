/** The services the Kaltura door's actions call (wired in src/wiring/doors.ts); each action module takes the Pick of it that it uses. */
import type { AccessControlService } from '../../../../services/access-control/access-control-service.js';
import type { ContextDataService } from '../../../../services/access-control/context-data.js';
import type { AppTokenService } from '../../../../services/app-tokens/app-token-service.js';
import type { CategoryEntryService } from '../../../../services/categories/category-entry-service.js';
import type { CategoryService } from '../../../../services/categories/category-service.js';
import type { MembershipService } from '../../../../services/categories/membership-service.js';
import type { EntryService } from '../../../../services/entries/entry-service.js';
import type { MetadataService } from '../../../../services/metadata/metadata-service.js';
import type { LoginService } from '../../../../services/users/login.js';
import type { PartnerService } from '../../../../services/partners/partner-service.js';
import type { RoleService } from '../../../../services/roles/role-service.js';
import type { SessionService } from '../../../../services/sessions/session-service.js';
import type { UserService } from '../../../../services/users/user-service.js';
import type { LoginDataService } from '../../../../services/users/login-data.js';
import type { SsoSignIn } from '../../../../services/sso/sign-in.js';

export interface KalturaServices {
  sessions: SessionService;
  logins: LoginService;
  /** Kaltura's login calls beyond the sign-in (user-login.ts, admin-user.ts). */
  loginData: LoginDataService;
  users: UserService;
  roles: RoleService;
  partners: PartnerService;
  appTokens: AppTokenService;
  accessControl: AccessControlService;
  entries: EntryService;
  contextData: ContextDataService;
  metadata: MetadataService;
  categories: CategoryService;
  categoryEntries: CategoryEntryService;
  categoryUsers: MembershipService;
  sso: SsoSignIn;
}

export const ALWAYS = ['ALWAYS_ALLOWED_ACTIONS'] as const;
