/**
 * REST access tokens (seed 004: `POST /api/auth/access-token`): a partner user's login id and
 * password in, a short-lived ES256 JWT out. The password checks, partner choice and lockout are
 * the ones of Kaltura's user.loginByLoginId, on the same failure counter.
 */
import { randomUUID } from 'node:crypto';
import { nowSeconds } from '../../core/clock.js';
import { E, fail, isGatehouseError } from '../../core/errors/index.js';
import { signAccessToken, verifyAccessToken, type AccessTokenCheck } from '../../core/jwt/access-token.js';
import type { PublicJwk } from '../../core/jwt/keys.js';
import type { RequestMeta } from '../context.js';
import type { User } from '../model.js';
import { userPermissions } from '../sessions/user-permissions.js';
import { recordLoginSuccess, verifyLogin, type VerifiedLogin, type VerifyLoginDeps } from '../users/verify-login.js';
import type { SigningKeyRing } from './signing-keys.js';

/** The `aud` of tokens for the REST door (one key ring signs only these). */
export const ACCESS_TOKEN_AUDIENCE = 'urn:gatehouse:api';
const ACTION = 'auth.accessToken';

/**
 * Failures shown as themselves; everything else reads INVALID_CREDENTIALS so nobody can learn
 * whether a login exists, is locked or is blocked (ASVS 6.3.8). SYSTEM_PARTNER_LOGIN needs the
 * right password first, so it tells nothing to a guesser.
 */
const SHOWN = new Set(['SYSTEM_PARTNER_LOGIN']);

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

export class AccessTokenService {
  constructor(private readonly d: AccessTokenDeps) {}

  async issue(input: { username: string; password: string; partnerId?: number | undefined }, meta: RequestMeta): Promise<IssuedToken> {
    let v: VerifiedLogin;
    try {
      v = await verifyLogin(this.d, { loginId: input.username, password: input.password, partnerId: input.partnerId ?? 0 }, meta, ACTION);
    } catch (e) {
      if (isGatehouseError(e) && !SHOWN.has(e.code)) throw fail(E.INVALID_CREDENTIALS);
      throw e;
    }
    const perms = await userPermissions(this.d.directory, v.user);
    const signer = await this.d.ring.signer();
    const accessToken = await signAccessToken(
      {
        iss: this.d.issuer,
        aud: ACCESS_TOKEN_AUDIENCE,
        sub: v.user.id,
        partnerId: v.user.partnerId,
        roles: v.user.roleIds.split(',').filter(Boolean),
        permissions: perms === '*' ? ['*'] : [...perms],
        jti: randomUUID(),
        iat: v.now,
        exp: v.now + this.d.ttl,
      },
      signer,
    );
    await recordLoginSuccess(this.d, v, meta, ACTION);
    return { accessToken, expiresIn: this.d.ttl, user: v.user };
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
