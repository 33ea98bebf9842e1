/**
 * Verifies a presented API key: shape, HMAC, cached lookup, revocation and validity window. The
 * outcome is a value with a reason (for logs and the later gateway), never an exception. Reused by
 * every door that accepts API keys. No database read in the steady state: lookups go through the
 * bounded cache in front of the key table.
 */
import { hashApiKey, isWellFormedApiKey } from '../../core/api-keys/format.js';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { safeEqual } from '../../core/crypto/compare.js';
import type { ApiKey } from '../model.js';
import type { ApiKeyDirectory } from '../ports.js';

export type ApiKeyFailure = 'malformed' | 'unknown' | 'revoked' | 'not yet valid' | 'expired';
export type ApiKeyCheck = { ok: true; key: ApiKey } | { ok: false; reason: ApiKeyFailure };

export interface ApiKeyVerifierDeps {
  keys: ApiKeyDirectory;
  pepper: Buffer;
  clock: Clock;
}

export class ApiKeyVerifier {
  constructor(private readonly d: ApiKeyVerifierDeps) {}

  /** The storage form of a key (for lookups and cache invalidation). */
  hash(key: string): string {
    return hashApiKey(this.d.pepper, key);
  }

  async verify(presented: string): Promise<ApiKeyCheck> {
    if (!isWellFormedApiKey(presented)) return { ok: false, reason: 'malformed' };
    const hash = this.hash(presented);
    const key = await this.d.keys.byHash(hash);
    // The lookup already matched on the HMAC; the constant-time comparison makes sure nothing but
    // an exact match is ever accepted, whatever the cache or the database collation did.
    if (!key || !safeEqual(key.hash, hash)) return { ok: false, reason: 'unknown' };
    return apiKeyState(key, nowSeconds(this.d.clock));
  }
}

/** The checks of a found key that depend on time and state: revocation and the validity window. */
export function apiKeyState(key: ApiKey, nowSec: number): ApiKeyCheck {
  if (key.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (nowSec < key.validFrom) return { ok: false, reason: 'not yet valid' };
  if (nowSec >= key.validTo) return { ok: false, reason: 'expired' };
  return { ok: true, key };
}
