/**
 * REST and console access tokens, minted here only (one code path for their claims and lifetime):
 * a partner user's login id and password in (seed 004: `POST /api/auth/access-token`), a
 * short-lived ES256 JWT out — the password checks, partner choice, throttle and lockout being the
 * ones of Kaltura's user.loginByLoginId, on the same counters; the console's "Change Account"; and
 * a user an identity provider signed in (single sign-on), after the second factor it still owes.
 */
import { randomUUID } from 'node:crypto';
import { nowSeconds } from '../../core/clock.js';
import { E, fail, isGatehouseError, type ErrorDef } from '../../core/errors/index.js';
import { signAccessToken, verifyAccessToken, type AccessTokenCheck } from '../../core/jwt/access-token.js';
import type { PublicJwk } from '../../core/jwt/keys.js';
import type { RequestMeta } from '../context.js';
import type { User } from '../model.js';
import { userPermissions } from '../sessions/user-permissions.js';
import { recordLoginSuccess, verifyLogin, type VerifiedLogin, type VerifyLoginDeps } from '../users/verify-login.js';
import { useSecondFactor } from '../two-factor/second-factor.js';
import type { SigningKeyRing } from './signing-keys.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';
import { userUsable } from '../pipeline/steps/user-usable.js';
import { checkPartnerSwitch } from '../users/partner-switch.js';

/** The `aud` of tokens for the REST door (one key ring signs only these). */
export const ACCESS_TOKEN_AUDIENCE = 'urn:gatehouse:api';
/**
 * The `aud` of the restricted token given to a login that must set up two-factor codes and has
 * not: no route but the two enrolment calls takes it (the guard verifies ACCESS_TOKEN_AUDIENCE
 * only), and it carries no permission.
 */
export const ENROLMENT_TOKEN_AUDIENCE = 'urn:gatehouse:two-factor-enrolment';
/** Enough to scan a QR code and type a first code. */
export const ENROLMENT_TOKEN_TTL = 600;
const ACTION = 'auth.accessToken';
const SWITCH = 'auth.switchPartner';
const SSO = 'auth.sso.token';

/**
 * Failures shown as themselves; everything else reads INVALID_CREDENTIALS so nobody can learn
 * whether a login exists, is locked or is blocked (ASVS 6.3.8). SYSTEM_PARTNER_LOGIN,
 * DIRECT_LOGIN_BLOCKED and the second factor's refusals need the right password first, so they tell nothing to a guesser;
 * LOGIN_THROTTLED (429) is about the caller's address, whichever login it names.
 */
const SHOWN = new Set(['SYSTEM_PARTNER_LOGIN', 'LOGIN_THROTTLED', 'INVALID_OTP', 'DIRECT_LOGIN_BLOCKED']);

export interface AccessTokenDeps extends VerifyLoginDeps {
  ring: SigningKeyRing;
  issuer: string;
  /** Token lifetime, seconds. */
  ttl: number;
}

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  user: User;
}

/** A sign-in's answer: a token, or (two-factor codes required, none set up) a token for enrolment only. */
export type SignIn = ({ kind: 'token' } & IssuedToken) | { kind: 'enrolment'; enrolmentToken: string; expiresIn: number; user: User };

/** After single sign-on: a sign-in, or the code still owed (asked for, wrong, or the login locked). */
export type ProviderSignIn = SignIn | { kind: 'code'; error: 'OTP_REQUIRED' | 'INVALID_OTP' | 'LOGIN_BLOCKED' };

export class AccessTokenService {
  constructor(private readonly d: AccessTokenDeps) {}

  async issue(input: { username: string; password: string; partnerId?: number | undefined; otp?: string | undefined }, meta: RequestMeta): Promise<SignIn> {
    let v: VerifiedLogin;
    try {
      v = await verifyLogin(this.d, { loginId: input.username, password: input.password, partnerId: input.partnerId ?? 0, otp: input.otp }, meta, ACTION, true);
    } catch (e) {
      // The console asks for the code when it reads OTP_REQUIRED (Kaltura's MISSING_OTP).
      if (isGatehouseError(e) && e.code === 'MISSING_OTP') throw fail(E.OTP_REQUIRED);
      // An unreachable database is not a login outcome: it stays SERVICE_UNAVAILABLE (a 503).
      if (isGatehouseError(e) && e.def.category !== 'unavailable' && !SHOWN.has(e.code)) throw fail(E.INVALID_CREDENTIALS);
      throw e;
    }
    if (v.factor.kind === 'enrolment_required') return this.enrolment(v.user, v.loginId, v.now, meta, ACTION);
    const accessToken = await this.sign(v.user, v.now);
    await recordLoginSuccess(this.d, v, meta, ACTION);
    return { kind: 'token', accessToken, expiresIn: this.d.ttl, user: v.user };
  }

  /**
   * The console's sign-in for a user an identity provider signed in (single sign-on). The provider
   * proved who this is; the second factor is another matter (README "Single sign-on and two-factor
   * codes"): unless the provider is trusted for MFA and asserted it (`providerMfa`), the login is
   * asked what its password sign-in would be — its code when it set codes up, enrolment when its
   * partner requires codes it has none of. A good code is spent in the transaction that records
   * the sign-in, as after a password.
   */
  async afterProvider(user: User, o: { providerMfa: boolean; otp?: string | undefined }, meta: RequestMeta): Promise<ProviderSignIn> {
    const factor = o.providerMfa ? ({ kind: 'not_required' } as const) : await this.d.twoFactor.afterSso(user, o.otp, meta);
    const now = nowSeconds(this.d.clock);
    const actor = user.email || user.id;
    const failure = async (reason: string, error: 'OTP_REQUIRED' | 'INVALID_OTP' | 'LOGIN_BLOCKED'): Promise<ProviderSignIn> => {
      await this.d.audit.record({ partnerId: user.partnerId, actor, action: SSO, target: actor, outcome: 'failure', clientIp: meta.clientIp, detail: { reason } });
      return { kind: 'code', error };
    };
    switch (factor.kind) {
      case 'missing':
        // Asked for, not failed: the console always asks first without a code.
        return { kind: 'code', error: 'OTP_REQUIRED' };
      case 'invalid':
        return failure('wrong code', 'INVALID_OTP');
      case 'locked':
        return failure('locked', 'LOGIN_BLOCKED');
      case 'enrolment_required':
        return this.enrolment(user, actor, now, meta, SSO);
    }
    const accessToken = await this.sign(user, now);
    const spent = await this.d.uow.transaction(async (r) => {
      if (factor.kind === 'passed' && !(await useSecondFactor(r.twoFactor, factor.use, now))) return false;
      if (user.loginDataId !== null) await r.logins.recordSuccess(user.loginDataId, user.partnerId, now);
      await r.users.update(user.kuserId, { lastLoginAt: now });
      return true;
    });
    if (!spent) return failure('code already used', 'INVALID_OTP');
    const secondFactor = factor.kind === 'passed' ? factor.via : o.providerMfa ? 'provider' : 'none';
    await this.d.audit.record({ partnerId: user.partnerId, actor, action: SSO, target: actor, outcome: 'success', clientIp: meta.clientIp, detail: { secondFactor } });
    return { kind: 'token', accessToken, expiresIn: this.d.ttl, user };
  }

  /**
   * Security: the sign-in was right, but the partner requires a second factor this login does not
   * have yet. It gets nothing but the means to set one up (ENROLMENT_TOKEN_AUDIENCE); confirming
   * the enrolment with a first code then completes the sign-in (completeEnrolment).
   */
  private async enrolment(user: User, actor: string, now: number, meta: RequestMeta, action: string): Promise<SignIn> {
    const enrolmentToken = await this.sign(user, now, ENROLMENT_TOKEN_AUDIENCE, ENROLMENT_TOKEN_TTL);
    await this.d.audit.record({ partnerId: user.partnerId, actor, action, target: actor, outcome: 'failure', clientIp: meta.clientIp, detail: { reason: 'two-factor enrolment required' } });
    return { kind: 'enrolment', enrolmentToken, expiresIn: ENROLMENT_TOKEN_TTL, user };
  }

  /**
   * The user an enrolment token stands for, while it is valid and the user can still sign in;
   * undefined otherwise (the caller then treats the token as any other bearer token).
   */
  async enrolmentUser(token: string): Promise<User | undefined> {
    const check = await verifyAccessToken(token, { issuer: this.d.issuer, audience: ENROLMENT_TOKEN_AUDIENCE, nowSec: nowSeconds(this.d.clock), keyFor: (kid) => this.d.ring.verifier(kid) });
    if (!check.ok) return undefined;
    const user = await this.d.directory.user(check.claims.partnerId, check.claims.sub);
    const entry = user && (await this.d.directory.partner(user.partnerId));
    return user && entry && partnerUsable(entry.partner).ok && userUsable(user).ok ? user : undefined;
  }

  /** The sign-in an enrolment token stood for, completed once the enrolment was confirmed with a code. */
  async completeEnrolment(user: User, meta: RequestMeta): Promise<IssuedToken> {
    const now = nowSeconds(this.d.clock);
    const accessToken = await this.sign(user, now);
    if (user.loginDataId !== null) await this.d.logins.recordSuccess(user.loginDataId, user.partnerId, now);
    await this.d.users.update(user.kuserId, { lastLoginAt: now });
    const actor = user.email || user.id;
    await this.d.audit.record({ partnerId: user.partnerId, actor, action: ACTION, target: actor, outcome: 'success', clientIp: meta.clientIp, detail: { secondFactor: 'enrolment' } });
    return { accessToken, expiresIn: this.d.ttl, user };
  }

  /**
   * A token for the same login identity in another partner it is a user of (the console's
   * "Change Account"). The caller already proved the identity with its current token, so no
   * password is asked; the membership must exist and be able to sign in there (active user in an
   * active partner, login not locked), else the answer is a 403 problem. Audited either way.
   */
  async switchPartner(current: User, partnerId: number, meta: RequestMeta): Promise<IssuedToken> {
    const now = nowSeconds(this.d.clock);
    const actor = current.email || current.id;
    const refuse = async (error: ErrorDef, reason: string): Promise<never> => {
      await this.d.audit.record({ partnerId: current.partnerId, actor, action: SWITCH, target: String(partnerId), outcome: 'failure', clientIp: meta.clientIp, detail: { reason } });
      throw fail(error, error === E.PARTNER_ACCESS_FORBIDDEN ? { ACCESSING_PID: current.partnerId, ACCESSED_PID: partnerId } : {});
    };
    // The rules of "Change Account" are written once (users/partner-switch.ts), with user.loginByKs.
    const sw = await checkPartnerSwitch(this.d, current, partnerId, now);
    if (!sw.ok) return refuse(sw.error, sw.reason);
    const { login, target } = sw;
    // The identity proved no second factor when it signed in elsewhere: a partner that requires one
    // of this user is not entered before the login has set codes up (which it then always needs).
    if (await this.d.twoFactor.mustEnrol(target)) return refuse(E.TWO_FACTOR_ENROLMENT_REQUIRED, 'two-factor enrolment required');
    const accessToken = await this.sign(target, now);
    // The partner switched to becomes the "last used" one, the default of the next sign-in.
    await this.d.logins.recordSuccess(login.id, partnerId, now);
    await this.d.users.update(target.kuserId, { lastLoginAt: now });
    await this.d.audit.record({ partnerId, actor, action: SWITCH, target: String(partnerId), outcome: 'success', clientIp: meta.clientIp, detail: { fromPartnerId: current.partnerId } });
    return { accessToken, expiresIn: this.d.ttl, user: target };
  }

  private async sign(user: User, now: number, aud = ACCESS_TOKEN_AUDIENCE, ttl = this.d.ttl): Promise<string> {
    const perms = aud === ACCESS_TOKEN_AUDIENCE ? await userPermissions(this.d.directory, user) : new Set<string>();
    const signer = await this.d.ring.signer();
    return signAccessToken(
      {
        iss: this.d.issuer,
        aud,
        sub: user.id,
        partnerId: user.partnerId,
        roles: aud === ACCESS_TOKEN_AUDIENCE ? user.roleIds.split(',').filter(Boolean) : [],
        permissions: perms === '*' ? ['*'] : [...perms],
        jti: randomUUID(),
        iat: now,
        exp: now + ttl,
      },
      signer,
    );
  }

  verify(token: string): Promise<AccessTokenCheck> {
    return verifyAccessToken(token, {
      issuer: this.d.issuer,
      audience: ACCESS_TOKEN_AUDIENCE,
      nowSec: nowSeconds(this.d.clock),
      keyFor: (kid) => this.d.ring.verifier(kid),
    });
  }

  jwks(): Promise<{ keys: PublicJwk[] }> {
    return this.d.ring.jwks();
  }
}
