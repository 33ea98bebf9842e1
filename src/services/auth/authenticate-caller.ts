/**
 * Who is calling a REST route: a user with an access token, or a machine with an API key. Both
 * become the same protocol-neutral Principal that every service takes. Outcomes are values with a
 * catalogue error and a reason for the log; only faults throw.
 */
import { E, type ErrorDef } from '../../core/errors/index.js';
import type { Principal } from '../context.js';
import { SessionType, type ApiKey, type Partner } from '../model.js';
import type { Directory } from '../ports.js';
import type { ApiKeyVerifier } from '../api-keys/verify-api-key.js';
import { userPermissions } from '../sessions/user-permissions.js';
import type { AccessTokenService } from './access-tokens.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';
import { userUsable } from '../pipeline/steps/user-usable.js';

export type Credential = { kind: 'accessToken'; token: string } | { kind: 'apiKey'; key: string };

export interface Caller {
  principal: Principal;
  via: Credential['kind'];
  /** The key used, for API-key callers (its services limit the gateway, not the REST door). */
  apiKey?: ApiKey;
}

export type CallerCheck = { ok: true; caller: Caller } | { ok: false; error: ErrorDef; reason: string };

export interface CallerAuthenticatorDeps {
  tokens: AccessTokenService;
  apiKeys: ApiKeyVerifier;
  directory: Directory;
}

export class CallerAuthenticator {
  constructor(private readonly d: CallerAuthenticatorDeps) {}

  authenticate(c: Credential): Promise<CallerCheck> {
    return c.kind === 'accessToken' ? this.byToken(c.token) : this.byApiKey(c.key);
  }

  private async byToken(token: string): Promise<CallerCheck> {
    const check = await this.d.tokens.verify(token);
    if (!check.ok) return { ok: false, error: E.INVALID_ACCESS_TOKEN, reason: check.reason };
    const { partnerId, sub } = check.claims;
    const partner = await this.partner(partnerId);
    if (!partner) return { ok: false, error: E.SERVICE_FORBIDDEN_CONTENT_BLOCKED, reason: 'partner blocked' };
    // The user is re-read on every call: a blocked or deleted user's tokens stop at once (ASVS 7.4.2),
    // and permissions follow role changes without waiting for the token to expire.
    const user = await this.d.directory.user(partnerId, sub);
    if (!user || !userUsable(user).ok) return { ok: false, error: E.INVALID_ACCESS_TOKEN, reason: 'user not active' };
    return { ok: true, caller: { via: 'accessToken', principal: principal(partner, user.id, await userPermissions(this.d.directory, user), user) } };
  }

  private async byApiKey(presented: string): Promise<CallerCheck> {
    const check = await this.d.apiKeys.verify(presented);
    if (!check.ok) return { ok: false, error: E.INVALID_API_KEY, reason: check.reason };
    const partner = await this.partner(check.key.partnerId);
    if (!partner) return { ok: false, error: E.SERVICE_FORBIDDEN_CONTENT_BLOCKED, reason: 'partner blocked' };
    return { ok: true, caller: { via: 'apiKey', apiKey: check.key, principal: principal(partner, `apikey:${check.key.id}`, new Set(check.key.permissions)) } };
  }

  private async partner(id: number): Promise<Partner | undefined> {
    const entry = await this.d.directory.partner(id);
    return entry && partnerUsable(entry.partner).ok ? entry.partner : undefined;
  }
}

/**
 * REST principals are ADMIN-typed: the REST door has no USER/ADMIN session distinction, every
 * route is guarded by permissions instead, and services that ask "is this an admin session"
 * (e.g. reading another user) are only reached after that guard.
 */
function principal(partner: Partner, userId: string, permissions: ReadonlySet<string> | '*', user?: Principal['user']): Principal {
  return {
    partnerId: partner.id,
    partner,
    ksString: '',
    ks: null,
    userId,
    user,
    sessionType: SessionType.ADMIN,
    privileges: new Map(),
    isWidget: false,
    permissions,
  };
}
