/**
 * Consumer JWTs whose signature was recently checked, so a client that sends the same token on
 * every call (Sunbird's never-expiring `{"iss": key}` tokens are exactly that) pays for decoding
 * and the signature once, not per request. For HS256 that halves the decision's cost; for
 * RS256/ES256 it saves jose's whole verification.
 *
 * Why this is safe (as VerifiedKsCache for KS strings):
 * - Keyed by the SHA-256 of the token, never the token itself (STYLE rule 5: a heap dump of this
 *   cache yields no usable credential); SHA-256 is collision resistant, so no other string lands
 *   on a verified entry.
 * - Only the decoding and the signature are remembered. `exp`/`nbf`, the partner's lifetime policy
 *   and the credential's state (deprecated, hard expiry) are checked on every request.
 * - An entry is tied to the credential entry (credential + consumer + key) it was verified with,
 *   and used only while the credential cache still holds that very object: deleting the consumer,
 *   deprecating or replacing the credential, or new groups replace or drop it, locally at once and
 *   on other nodes through the change feed, so the next request is verified from scratch.
 * - Bounded in number, each entry lives at most `ttlMs` and never past the token's own `exp`.
 */
import * as nodeCrypto from 'node:crypto';
import type { ParsedJwt } from '../core/jwt/consumer-token.js';
import type { CredentialEntry } from '../services/ports.js';
import { BoundedCache } from './lru.js';

export interface VerifiedToken {
  jwt: ParsedJwt;
  /** The credential entry the signature was checked with; valid only while it is current. */
  entry: CredentialEntry;
}

/** One-shot hash (crypto.hash, Node ≥ 20.12) skips the Hash stream object; fall back on older 20.x. */
const sha256: (s: string) => string =
  typeof nodeCrypto.hash === 'function' ? (s) => nodeCrypto.hash('sha256', s, 'base64url') : (s) => nodeCrypto.createHash('sha256').update(s, 'utf8').digest('base64url');

export class VerifiedTokenCache {
  private readonly cache: BoundedCache<string, VerifiedToken>;

  constructor(opts: { maxEntries?: number; ttlMs?: number; nowMs?: () => number } = {}) {
    this.cache = new BoundedCache(opts.maxEntries ?? 50_000, opts.ttlMs ?? 60_000, opts.nowMs);
  }

  digest(token: string): string {
    return sha256(token);
  }

  get(digest: string): VerifiedToken | undefined {
    return this.cache.get(digest);
  }

  /** Remembers a verified token, until its `exp` at the latest; an expired one is not stored. */
  set(digest: string, value: VerifiedToken, nowSec: number): void {
    const exp = value.jwt.payload.exp;
    const leftMs = typeof exp === 'number' ? (exp - nowSec) * 1000 : Number.POSITIVE_INFINITY;
    if (leftMs > 0) this.cache.set(digest, value, leftMs);
  }

  delete(digest: string): void {
    this.cache.delete(digest);
  }

  get size(): number {
    return this.cache.size;
  }
}
