/**
 * The console's access token for a user signed in through single sign-on: the same ES256 JWT, with
 * the same claims and lifetime, that a password sign-in gets from AccessTokenService.
 */
import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../../core/jwt/access-token.js';
import type { User } from '../model.js';
import type { Directory } from '../ports.js';
import { ACCESS_TOKEN_AUDIENCE } from '../auth/access-tokens.js';
import type { SigningKeyRing } from '../auth/signing-keys.js';
import { userPermissions } from '../sessions/user-permissions.js';

export interface ConsoleTokenDeps {
  ring: SigningKeyRing;
  directory: Directory;
  issuer: string;
  /** Seconds (GATEHOUSE_JWT_TTL). */
  ttl: number;
}

export async function consoleAccessToken(d: ConsoleTokenDeps, user: User, now: number): Promise<{ accessToken: string; expiresIn: number }> {
  const perms = await userPermissions(d.directory, user);
  const signer = await d.ring.signer();
  const accessToken = await signAccessToken(
    {
      iss: d.issuer,
      aud: ACCESS_TOKEN_AUDIENCE,
      sub: user.id,
      partnerId: user.partnerId,
      roles: user.roleIds.split(',').filter(Boolean),
      permissions: perms === '*' ? ['*'] : [...perms],
      jti: randomUUID(),
      iat: now,
      exp: now + d.ttl,
    },
    signer,
  );
  return { accessToken, expiresIn: d.ttl };
}
