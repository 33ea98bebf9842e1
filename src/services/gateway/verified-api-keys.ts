/**
 * API keys at the gateway: ApiKeyVerifier (the REST door's verification, reused as is) behind a
 * cache of keys verified recently, by digest (cache/verified-tokens.ts explains why that is safe).
 * A hit skips the pepper HMAC and the constant-time comparison, and is used only while the
 * key cache still holds the very record it was verified against; revocation and the validity
 * window are checked on every request, hit or not.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { apiKeyState, type ApiKeyCheck, type ApiKeyVerifier } from '../api-keys/verify-api-key.js';
import type { ApiKey } from '../model.js';
import type { Maybe } from '../../core/maybe.js';

export interface VerifiedKeys {
  digest(presented: string): string;
  get(digest: string): ApiKey | undefined;
  set(digest: string, key: ApiKey, lifetimeMs?: number): void;
}

export interface GatewayApiKeysDeps {
  verifier: ApiKeyVerifier;
  /** The key cache's current record for a hash, without loading (CachedApiKeys.peek). */
  current: (hash: string) => ApiKey | undefined;
  verified: VerifiedKeys;
  clock: Clock;
}

export class GatewayApiKeys {
  constructor(private readonly d: GatewayApiKeysDeps) {}

  /** At once for a key verified before and still current, else after the full verification. */
  check(presented: string): Maybe<ApiKeyCheck> {
    const digest = this.d.verified.digest(presented);
    const seen = this.d.verified.get(digest);
    if (seen && this.d.current(seen.hash) === seen) return apiKeyState(seen, nowSeconds(this.d.clock));
    return this.verifyFully(presented, digest);
  }

  private async verifyFully(presented: string, digest: string): Promise<ApiKeyCheck> {
    const check = await this.d.verifier.verify(presented);
    if (check.ok) this.d.verified.set(digest, check.key, check.key.validTo * 1000 - this.d.clock.nowMs());
    return check;
  }
}
