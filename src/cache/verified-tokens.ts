/**
 * Credentials whose expensive check was recently passed, by the digest of what the client sent, so
 * a client that sends the same credential on every call pays for that check once:
 * - consumer JWTs: decoding and the signature (Sunbird's never-expiring `{"iss": key}` tokens are
 *   sent unchanged forever; for RS256/ES256 this saves jose's whole verification);
 * - API keys: the pepper HMAC and the constant-time comparison of ApiKeyVerifier.
 *
 * Why this is safe (as VerifiedKsCache for KS strings):
 * - Keyed by the SHA-256 of the credential, never the credential itself (STYLE rule 5: a heap dump
 *   of this cache yields nothing usable); SHA-256 is collision resistant, so no other string lands
 *   on a verified entry.
 * - Only the expensive part is remembered. Everything that depends on time or state (`exp`/`nbf`,
 *   the lifetime policy, deprecation, hard expiry, revocation, the validity window) is checked on
 *   every request by the caller.
 * - An entry names the cached record it was checked against (the credential entry, the API key
 *   record), and the caller uses it only while the record cache still holds that very object:
 *   any write (a deleted consumer, a deprecated or replaced credential, new groups, a revoked key)
 *   drops or replaces it, locally at once and on other nodes through the change feed, so the next
 *   request is checked from scratch.
 * - Bounded in number; an entry lives at most `ttlMs` (ten minutes by default, as long as the
 *   credential caches keep an unused record) and never past the lifetime its caller gives it (the
 *   token's `exp`, the key's `validTo`). Their once-a-minute re-read keeps the record object when
 *   the row is unchanged (record-cache.ts), so a verified entry stays usable across it when nothing changed.
 */
import * as nodeCrypto from 'node:crypto';
import { BoundedCache } from './lru.js';

/** One-shot hash (crypto.hash, Node ≥ 20.12) skips the Hash stream object; fall back on older 20.x. */
const sha256: (s: string) => string =
  typeof nodeCrypto.hash === 'function' ? (s) => nodeCrypto.hash('sha256', s, 'base64url') : (s) => nodeCrypto.createHash('sha256').update(s, 'utf8').digest('base64url');

export class VerifiedCache<V> {
  private readonly cache: BoundedCache<string, V>;

  constructor(opts: { maxEntries?: number; ttlMs?: number; nowMs?: () => number } = {}) {
    this.cache = new BoundedCache(opts.maxEntries ?? 50_000, opts.ttlMs ?? 600_000, opts.nowMs);
  }

  digest(credential: string): string {
    return sha256(credential);
  }

  get(digest: string): V | undefined {
    return this.cache.get(digest);
  }

  /** Remembers a verified credential for at most `lifetimeMs`; nothing when that is not positive. */
  set(digest: string, value: V, lifetimeMs = Number.POSITIVE_INFINITY): void {
    if (lifetimeMs > 0) this.cache.set(digest, value, lifetimeMs);
  }

  get size(): number {
    return this.cache.size;
  }
}
