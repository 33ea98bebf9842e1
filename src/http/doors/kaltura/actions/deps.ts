/** The services the Kaltura door's actions call (wired in main.ts). */
import type { AppTokenService } from '../../../../services/app-tokens/app-token-service.js';
import type { LoginService } from '../../../../services/users/login.js';
import type { PartnerService } from '../../../../services/partners/partner-service.js';
import type { RoleService } from '../../../../services/roles/role-service.js';
import type { SessionService } from '../../../../services/sessions/session-service.js';
import type { UserService } from '../../../../services/users/user-service.js';

export interface KalturaServices {
  sessions: SessionService;
  logins: LoginService;
  users: UserService;
  roles: RoleService;
  partners: PartnerService;
  appTokens: AppTokenService;
}

export const ALWAYS = ['ALWAYS_ALLOWED_ACTIONS'] as const;
