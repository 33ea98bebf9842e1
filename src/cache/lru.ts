/**
 * A bounded, typed LRU with a time-to-live. Misses can be cached too (store `null`), so a flood of
 * lookups for an unknown id does not reach the database. Keys are ids, never secrets.
 */
export class BoundedCache<K, V> {
  private readonly map = new Map<K, { value: V; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (hit.expiresAt <= this.now()) {
      this.map.delete(key);
      return undefined;
    }
    // Re-insert to mark as most recently used (Map keeps insertion order).
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    else if (this.map.size >= this.maxEntries) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  delete(key: K): void {
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
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
  ) {
    this.cache = new BoundedCache(maxEntries, ttlMs, now);
  }

  async get(key: K): Promise<V | undefined> {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.load(key)
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
