/**
 * KS strings whose signature was recently checked, so a client that sends the same KS on every
 * call pays for the base64 decode, AES decryption, sha1 check and privilege parsing once instead of
 * on every request (they were most of the cost of validating a KS).
 *
 * Why this is safe:
 * - Only the signature check and the decoding are remembered. Expiry, `iprestrict`, `urirestrict`,
 *   the revocation list and the `actionslimit` counter are still checked on every request (the
 *   Authenticator's `validate`), and partner and user status in `principal`.
 * - Keyed by the SHA-256 of the KS string, never the KS itself (STYLE rule 5: no cache keyed by a
 *   plaintext secret; a heap dump of this cache yields no usable session). SHA-256 is collision
 *   resistant, so no other string can be made to land on a verified entry.
 * - Only strings that passed decodeKs are stored, so junk cannot fill the cache; entries are
 *   bounded in number and live at most `ttlMs` and never past the KS's own `validUntil`.
 * - An entry is tied to the partner entry (partner plus derived keys) it was verified with, and the
 *   caller uses it only while the Directory still holds that very object: any change to the partner
 *   (a new admin secret, a status change) replaces the object, locally at once and on other nodes
 *   through the change feed, so the next request is verified against the current secrets.
 */
import * as nodeCrypto from 'node:crypto';
import type { VerifiedKs, VerifiedKsCache as VerifiedKsPort } from '../services/ports-verified-ks.js';
import { BoundedCache } from './lru.js';

export type { VerifiedKs };

/** One-shot hash (crypto.hash, Node ≥ 20.12) skips the Hash stream object; fall back on older 20.x. */
const sha256: (s: string) => string =
  typeof nodeCrypto.hash === 'function'
    ? (s) => nodeCrypto.hash('sha256', s, 'base64')
    : (s) => nodeCrypto.createHash('sha256').update(s, 'utf8').digest('base64');

export class VerifiedKsCache implements VerifiedKsPort {
  private readonly cache: BoundedCache<string, VerifiedKs>;

  constructor(opts: { maxEntries?: number; ttlMs?: number; nowMs?: () => number } = {}) {
    this.cache = new BoundedCache(opts.maxEntries ?? 10_000, opts.ttlMs ?? 60_000, opts.nowMs);
  }

  /** The cache key of a KS string. */
  digest(ks: string): string {
    return sha256(ks);
  }

  get(digest: string): VerifiedKs | undefined {
    return this.cache.get(digest);
  }

  /** Remembers a verified KS until its validUntil at the latest; an expired one is not stored. */
  set(digest: string, value: VerifiedKs, nowSec: number): void {
    const leftMs = (value.ks.validUntil - nowSec) * 1000;
    if (leftMs > 0) this.cache.set(digest, value, leftMs);
  }

  clear(): void {
    this.cache.clear();
  }

  get size(): number {
    return this.cache.size;
  }
}
