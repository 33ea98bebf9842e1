/**
 * A bounded, typed LRU with a time-to-live. Misses can be cached too (store `null`), so a flood of
 * lookups for an unknown id does not reach the database. Keys are ids, never secrets.
 */
import type { ChangeEpoch } from '../services/ports.js';

/**
 * A count of changes shared by the caches that feed access decisions (wiring/caches.ts makes one):
 * bumped whenever one of them forgets or replaces a value, never when it first fills a key, evicts
 * the oldest or finds one expired. Whoever keeps something derived from several cached values (the
 * entry table's prepared steps, services/pipeline/prepared.ts) keeps the count it saw; a different
 * count now means one of those values may have changed, so it derives again.
 */
export class Epoch implements ChangeEpoch {
  value = 0;

  bump(): void {
    this.value++;
  }
}

interface Slot<V> {
  value: V;
  expiresAt: number;
  /** When the entry last moved to the most-recently-used end. */
  touchedAt: number;
}

export class BoundedCache<K, V> {
  private readonly map = new Map<K, Slot<V>>();
  /** A hit moves its entry to the recent end only if it has not moved for this long. */
  private readonly touchEveryMs: number;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly epoch?: Epoch,
  ) {
    // Approximate LRU: a delete + re-insert on every hit showed up in the per-request profile, and
    // an entry read again within 1/8 of its lifetime is "recent" enough for choosing evictions.
    // Expiry is unaffected (a hit never extends it), and the size bound is exact.
    this.touchEveryMs = ttlMs / 8;
  }

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    const now = this.now();
    if (hit.expiresAt <= now) {
      this.map.delete(key);
      return undefined;
    }
    if (now - hit.touchedAt >= this.touchEveryMs) {
      // Re-insert to mark as most recently used (Map keeps insertion order).
      this.map.delete(key);
      this.map.set(key, hit);
      hit.touchedAt = now;
    }
    return hit.value;
  }

  set(key: K, value: V, ttlMs = this.ttlMs): void {
    if (this.map.has(key)) {
      this.map.delete(key);
      this.epoch?.bump();
    } else if (this.map.size >= this.maxEntries) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    const now = this.now();
    this.map.set(key, { value, expiresAt: now + Math.min(ttlMs, this.ttlMs), touchedAt: now });
  }

  /** Forgets `key` (an invalidation: the epoch moves even when nothing was cached, as a load may be in flight). */
  delete(key: K): void {
    this.map.delete(key);
    this.epoch?.bump();
  }

  clear(): void {
    this.map.clear();
    this.epoch?.bump();
  }

  get size(): number {
    return this.map.size;
  }
}

/** Loads through the cache; concurrent misses for one key share one load. */
export class LoadingCache<K, V> {
  private readonly cache: BoundedCache<K, V | null>;
  private readonly inflight = new Map<K, Promise<V | undefined>>();

  constructor(
    maxEntries: number,
    ttlMs: number,
    private readonly load: (key: K) => Promise<V | undefined>,
    now?: () => number,
    epoch?: Epoch,
  ) {
    this.cache = new BoundedCache(maxEntries, ttlMs, now, epoch);
  }

  /**
   * The cached answer without loading: the value, `null` for a cached miss, `undefined` when
   * nothing is cached (the caller then uses `get`). Lets a request whose data is all cached run
   * without a chain of awaits.
   */
  peek(key: K): V | null | undefined {
    return this.cache.get(key);
  }

  get(key: K): Promise<V | undefined> {
    const hit = this.cache.get(key);
    if (hit !== undefined) return Promise.resolve(hit ?? undefined);
    const running = this.inflight.get(key);
    if (running) return running;
    let loading: Promise<V | undefined>;
    try {
      loading = this.load(key);
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const p = loading
      .then((v) => {
        // Only cache when no invalidation raced the load (the entry would be stale).
        if (this.inflight.get(key) === p) this.cache.set(key, v ?? null);
        return v;
      })
      .finally(() => {
        if (this.inflight.get(key) === p) this.inflight.delete(key);
      });
    this.inflight.set(key, p);
    return p;
  }

  invalidate(key: K): void {
    this.cache.delete(key);
    this.inflight.delete(key);
  }

  clear(): void {
    this.cache.clear();
    this.inflight.clear();
  }
}
