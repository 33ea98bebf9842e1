/**
 * Per-credential request counting for the gateway: fixed one-minute windows (aligned to the
 * clock's minutes, like Kong's rate-limiting plugin with `policy: local`), counted in this process's
 * memory. Why local:
 * - a database write per proxied request is exactly what the gateway must not do (protocol §3.6);
 * - one Node.js event loop makes read-check-increment atomic here without locks.
 * The price, documented: with N Gatehouse nodes behind a load balancer a credential can make up to
 * N × the limit per minute, and a restart forgets the current window. The map is bounded: when
 * more credentials are active in one minute than it holds, the least recently counted lose their
 * count (they may briefly get more than the limit, never less).
 */
import { BoundedCache } from './lru.js';

export const RATE_WINDOW_SEC = 60;

export type RateCheck = { ok: true; limit: number; remaining: number } | { ok: false; limit: number; retryAfterSec: number };

interface Counter {
  window: number;
  count: number;
}

export class LocalRateLimiter {
  private readonly counters: BoundedCache<string, Counter>;

  constructor(maxCredentials = 200_000) {
    // Two windows of life: an entry is never read after its window ends, so this is only cleanup.
    this.counters = new BoundedCache(maxCredentials, 2 * RATE_WINDOW_SEC * 1000);
  }

  /** Counts one request of `credentialId` against `limit` per minute (0 = unlimited, not counted). */
  hit(credentialId: string, limit: number, nowMs: number): RateCheck {
    if (limit <= 0) return { ok: true, limit: 0, remaining: Number.POSITIVE_INFINITY };
    const nowSec = Math.floor(nowMs / 1000);
    const window = Math.floor(nowSec / RATE_WINDOW_SEC);
    let c = this.counters.get(credentialId);
    if (!c || c.window !== window) {
      c = { window, count: 0 };
      this.counters.set(credentialId, c);
    }
    if (c.count >= limit) {
      // Whole seconds until the next window opens (at least 1, as Retry-After is an integer).
      return { ok: false, limit, retryAfterSec: Math.max(1, (window + 1) * RATE_WINDOW_SEC - nowSec) };
    }
    c.count++;
    return { ok: true, limit, remaining: limit - c.count };
  }

  clear(): void {
    this.counters.clear();
  }
}
