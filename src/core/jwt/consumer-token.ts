/**
 * Consumer JWTs as Kong's `jwt` plugin takes them (protocol §1.3-1.4): compact JWS, the credential
 * found by the header's `kid` (Sunbird's patched handler) or else the payload's `iss`, the token's
 * `alg` required to equal the credential's, then the signature, then `exp`/`nbf`.
 *
 * HS256 is checked with one node:crypto HMAC instead of jose: jose's general JWS path does ~9-18k
 * verifications/s here against ~128k/s for the bare HMAC, and a gateway verifies on every request.
 * The direct path is strict rather than lenient: the header is parsed and its `alg` compared with
 * the credential's before any key is used, and the signature must be the one canonical base64url
 * encoding of the expected MAC, compared in constant time. RS256/ES256 go through jose.
 */
import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { compactVerify } from 'jose';

/** Far larger than any consumer token; anything longer is refused before decoding. */
export const MAX_CONSUMER_TOKEN_LENGTH = 8192;
const B64URL = /^[A-Za-z0-9_-]+$/;
/** base64url (unpadded) length of a 32-byte HMAC-SHA-256. */
const HS256_SIG_LENGTH = 43;

export interface ParsedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  alg: string;
  /** The header's `kid`, when it has one. */
  kid: string | undefined;
  /** `base64url(header) + '.' + base64url(payload)`: what the signature covers. */
  signingInput: string;
  signature: string;
  token: string;
}

export type ParseFailure = 'malformed' | 'unsupported header';
export type ParseResult = { ok: true; jwt: ParsedJwt } | { ok: false; reason: ParseFailure };

function decodeJson(part: string): Record<string, unknown> | undefined {
  const text = Buffer.from(part, 'base64url').toString('utf8');
  // Only an object will do; refusing anything else up front spares junk tokens a thrown (and
  // costly) SyntaxError. Encoders write no whitespace before the brace.
  if (text.charCodeAt(0) !== 123 /* '{' */) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Splits and decodes a compact JWS. Nothing here is trusted yet: the signature is unchecked. */
export function parseCompactJwt(token: string): ParseResult {
  if (token.length > MAX_CONSUMER_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const a = token.indexOf('.');
  const b = a < 0 ? -1 : token.indexOf('.', a + 1);
  if (a <= 0 || b < 0 || token.indexOf('.', b + 1) >= 0) return { ok: false, reason: 'malformed' };
  const h = token.slice(0, a);
  const p = token.slice(a + 1, b);
  const signature = token.slice(b + 1);
  // An empty signature is what `alg: none` looks like; it never verifies, so refuse it as malformed.
  if (!B64URL.test(h) || !B64URL.test(p) || !B64URL.test(signature)) return { ok: false, reason: 'malformed' };
  const header = decodeJson(h);
  const payload = decodeJson(p);
  if (!header || !payload || typeof header.alg !== 'string') return { ok: false, reason: 'malformed' };
  // RFC 7515 §4.1.11: extensions we do not understand (e.g. unencoded payloads, `b64`) must be refused.
  if (header.crit !== undefined || header.b64 !== undefined) return { ok: false, reason: 'unsupported header' };
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) return { ok: false, reason: 'malformed' };
  return { ok: true, jwt: { header, payload, alg: header.alg, kid, signingInput: token.slice(0, b), signature, token } };
}

/**
 * HS256 with the credential's secret (a `createSecretKey` KeyObject). The caller has already
 * checked that the token's `alg` is HS256 and that the credential is an HS256 one.
 */
export function verifyHs256(jwt: ParsedJwt, secret: KeyObject): boolean {
  if (jwt.signature.length !== HS256_SIG_LENGTH) return false;
  const expected = createHmac('sha256', secret).update(jwt.signingInput).digest('base64url');
  // Equal lengths (43), so timingSafeEqual applies; only the canonical encoding can match.
  return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(jwt.signature, 'latin1'));
}

/** RS256 / ES256 with the credential's public key, the algorithm pinned to the credential's. */
export async function verifyAsymmetric(jwt: ParsedJwt, alg: 'RS256' | 'ES256', publicKey: KeyObject): Promise<boolean> {
  try {
    await compactVerify(jwt.token, publicKey, { algorithms: [alg] });
    return true;
  } catch {
    return false;
  }
}

export type ClaimFailure = 'bad claim' | 'expired' | 'not yet valid' | 'exp required' | 'exceeds max lifetime';

/**
 * `exp` and `nbf` are enforced whenever present (ASVS 9.2.1; Kong checks them only when listed in
 * claims_to_verify). With `maxLifetime` > 0, `exp` is required and may lie at most that many
 * seconds ahead (Kong's maximum_expiration). No clock leeway: a few seconds of skew between the
 * token's issuer and Gatehouse show up as early expiry, never as a longer life.
 */
export function checkTimeClaims(payload: Record<string, unknown>, nowSec: number, maxLifetime: number): ClaimFailure | undefined {
  const { exp, nbf } = payload;
  if (exp !== undefined && (typeof exp !== 'number' || !Number.isFinite(exp))) return 'bad claim';
  if (nbf !== undefined && (typeof nbf !== 'number' || !Number.isFinite(nbf))) return 'bad claim';
  if (typeof exp === 'number' && nowSec >= exp) return 'expired';
  if (typeof nbf === 'number' && nowSec < nbf) return 'not yet valid';
  if (maxLifetime > 0) {
    if (typeof exp !== 'number') return 'exp required';
    if (exp - nowSec > maxLifetime) return 'exceeds max lifetime';
  }
  return undefined;
}
