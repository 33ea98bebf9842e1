/**
 * App-token creation for callers whose permissions are arbitrary subsets (REST access tokens and
 * API keys holding APP_TOKEN_ADD), with the same rule against escalation as users and roles: a
 * token mints sessions, so it may not mint more power than its creator holds. A token whose
 * sessions act with a role (`setrole`) needs the role's permissions; one that can mint ADMIN
 * sessions without a role (sessionType admin, or unset: the integration then picks) needs every
 * permission of the partner. USER sessions without a role hold only the basic user permissions.
 */
import { E, fail } from '../../core/errors/index.js';
import { parsePrivileges, PRIV, privilegeValue } from '../../core/ks/index.js';
import { parsePermissionNames } from '../../core/permissions/catalogue.js';
import type { Principal, RequestMeta } from '../context.js';
import { SessionType, SystemPartner, type AppToken } from '../model.js';
import type { Authenticator } from '../sessions/authenticate.js';
import { holdsAll, type Permissions } from '../sessions/user-permissions.js';
import type { AppTokenInput, AppTokenService } from './app-token-service.js';

export class AppTokenAdministration {
  constructor(private readonly d: { tokens: AppTokenService; authenticator: Pick<Authenticator, 'findRole'> }) {}

  async add(p: Principal, input: AppTokenInput, meta: RequestMeta): Promise<AppToken> {
    const setrole = input.sessionPrivileges ? privilegeValue(parsePrivileges(input.sessionPrivileges), PRIV.setrole) : undefined;
    if (setrole) {
      const role = await this.d.authenticator.findRole(setrole, p.partnerId);
      // An unknown role is left to the service, which answers UNKNOWN_ROLE_ID.
      if (role) this.require(p, parsePermissionNames(role.permissionNames));
    } else if (input.sessionType !== SessionType.USER) {
      this.require(p, '*');
    }
    return this.d.tokens.add(p, input, meta);
  }

  private require(p: Principal, wanted: Permissions): void {
    const operator = p.partnerId === SystemPartner.ADMIN_CONSOLE;
    if (holdsAll(p.permissions, wanted, operator)) return;
    const missing = wanted === '*' ? ['*'] : [...wanted].filter((n) => !holdsAll(p.permissions, new Set([n]), operator));
    throw fail(E.PERMISSION_NOT_HELD, { PERMISSIONS: missing.join(', ') });
  }
}
