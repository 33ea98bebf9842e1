/**
 * Per-caller counting of device credential registrations (issue 19): fixed one-minute windows
 * aligned to the clock, in this process's memory, like the gateway's local limiter and with the
 * same documented price (N nodes allow up to N × the limit). Registration writes a row, so its
 * limit is about storage growth and secret churn from one leaked app token, not about precision.
 * Bounded: when more callers are active than it holds, the least recently counted lose their count.
 */
import { BoundedCache } from './lru.js';

const WINDOW_SEC = 60;

export type RegistrationCheck = { ok: true } | { ok: false; retryAfterSec: number };

export class RegistrationLimiter {
  private readonly counters: BoundedCache<string, { window: number; count: number }>;

  constructor(maxCallers = 50_000) {
    this.counters = new BoundedCache(maxCallers, 2 * WINDOW_SEC * 1000);
  }

  /** Counts one registration by `caller` against `limit` per minute. */
  hit(caller: string, limit: number, nowMs: number): RegistrationCheck {
    const nowSec = Math.floor(nowMs / 1000);
    const window = Math.floor(nowSec / WINDOW_SEC);
    let c = this.counters.get(caller);
    if (!c || c.window !== window) {
      c = { window, count: 0 };
      this.counters.set(caller, c);
    }
    if (c.count >= limit) return { ok: false, retryAfterSec: Math.max(1, (window + 1) * WINDOW_SEC - nowSec) };
    c.count++;
    return { ok: true };
  }
}
