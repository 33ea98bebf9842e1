/**
 * REST access tokens: short-lived ES256 JWTs (RFC 9068 `at+jwt`) over jose. Verification follows
 * ASVS 9.1/9.2: the algorithm is pinned, the key comes only from our own key ring by `kid` (a
 * token's `jku`, `x5u` or embedded `jwk` is never looked at), the signature is checked before
 * any claim is trusted, and `iss`, `aud`, `exp` (and `nbf` when present) are enforced.
 */
import { decodeProtectedHeader, jwtVerify, SignJWT, type CryptoKey, type JWTPayload, type KeyObject } from 'jose';

export const ACCESS_TOKEN_ALG = 'ES256';
export const ACCESS_TOKEN_TYP = 'at+jwt';
/** Every token we issue is far smaller; anything larger is refused before parsing. */
const MAX_TOKEN_LENGTH = 8192;

export type VerifyKey = CryptoKey | KeyObject | Uint8Array;

export interface AccessTokenClaims {
  iss: string;
  aud: string;
  /** The partner's user id. */
  sub: string;
  partnerId: number;
  /** Role ids of the user at issue time (informational: permissions are re-read on every call). */
  roles: string[];
  /** Permission names at issue time, `['*']` for all (informational, as above). */
  permissions: string[];
  jti: string;
  iat: number;
  exp: number;
}

export interface SigningMaterial {
  kid: string;
  key: VerifyKey;
}

export function signAccessToken(claims: AccessTokenClaims, signer: SigningMaterial): Promise<string> {
  const { iss, aud, sub, jti, iat, exp, ...rest } = claims;
  return new SignJWT({ ...rest })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: ACCESS_TOKEN_TYP, kid: signer.kid })
    .setIssuer(iss)
    .setAudience(aud)
    .setSubject(sub)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(signer.key);
}

export type AccessTokenCheck = { ok: true; claims: AccessTokenClaims } | { ok: false; reason: string };

export interface VerifyOptions {
  issuer: string;
  audience: string;
  nowSec: number;
  /** Our verification key for a `kid`, or undefined when we never issued one by that id. */
  keyFor: (kid: string) => Promise<VerifyKey | undefined>;
}

/** Verifies a token; failures are outcomes with a reason for the log, never exceptions. */
export async function verifyAccessToken(token: string, o: VerifyOptions): Promise<AccessTokenCheck> {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'too long' };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  // The allow-list is checked on the header before any key lookup: `none`, HS* (key confusion)
  // and every other algorithm are refused outright.
  if (header.alg !== ACCESS_TOKEN_ALG) return { ok: false, reason: 'algorithm not allowed' };
  if (typeof header.kid !== 'string' || header.kid === '') return { ok: false, reason: 'no kid' };
  const key = await o.keyFor(header.kid);
  if (!key) return { ok: false, reason: 'unknown kid' };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [ACCESS_TOKEN_ALG],
      issuer: o.issuer,
      audience: o.audience,
      typ: ACCESS_TOKEN_TYP,
      currentDate: new Date(o.nowSec * 1000),
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    }));
  } catch (e) {
    return { ok: false, reason: (e as { code?: string }).code ?? 'invalid' };
  }
  const partnerId = payload.partnerId;
  if (typeof partnerId !== 'number' || !Number.isSafeInteger(partnerId)) return { ok: false, reason: 'no partnerId' };
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    ok: true,
    claims: {
      iss: o.issuer,
      aud: o.audience,
      sub: payload.sub!,
      partnerId,
      roles: list(payload.roles),
      permissions: list(payload.permissions),
      jti: payload.jti!,
      iat: payload.iat!,
      exp: payload.exp!,
    },
  };
}
