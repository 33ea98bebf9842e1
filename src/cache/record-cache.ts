/**
 * Stored records by key (API keys by HMAC, consumer credentials by key) for the gateway's hot path:
 * one database read per key, negative entries for unknown keys, and invalidation from outside
 * (`forget`, called for the change feed). What the caller keys by a record's identity (the
 * verified-credential caches, the gateway's callers) stays valid exactly as long as the record
 * object here does.
 *
 * The change feed is what makes a write take effect; the time limits are a safety net for a lost
 * invalidation, and they are paid without making a request wait:
 * - a record older than `refreshAfterMs` is read again in the background the next time it is used,
 *   while requests go on using the one held. When the stored row says nothing new (`same`), the
 *   held object is kept, so nothing keyed by it has to be checked again: no signature, no HMAC.
 *   A changed row replaces it; a deleted one becomes a miss.
 * - a record not refreshed for `expireAfterMs` (not used for about that long) is dropped and loaded
 *   again, awaited, on its next use.
 * A refresh per record and minute, instead of an awaited reload with a fresh signature check (as
 * a plain 60 s expiry did): with 10,000 credentials in rotation that reload was one request in
 * five and doubled the gateway's CPU per request in the bench.
 */
import { BoundedCache } from './lru.js';

export interface RecordCacheOptions<V> {
  /** The stored record, `undefined` when there is none. */
  load(key: string): Promise<V | undefined>;
  /** True when a reloaded record is equivalent to the held one (the held object is then kept). */
  same(held: V, fresh: V): boolean;
  /** A background refresh that failed (the held record stays until it expires). */
  onRefreshError?(e: unknown, key: string): void;
  maxEntries: number;
  refreshAfterMs?: number;
  expireAfterMs?: number;
  maxNegative?: number;
  negativeTtlMs?: number;
  now?: () => number;
}

interface Held<V> {
  value: V;
  refreshAt: number;
}

/** Retried this long after a refresh that failed (a database that is down is not asked per request). */
const RETRY_MS = 5_000;

export class RecordCache<V> {
  private readonly hits: BoundedCache<string, Held<V>>;
  private readonly misses: BoundedCache<string, true>;
  private readonly inflight = new Map<string, Promise<V | undefined>>();
  private readonly now: () => number;
  private readonly refreshAfterMs: number;
  private readonly expireAfterMs: number;

  constructor(private readonly o: RecordCacheOptions<V>) {
    this.now = o.now ?? Date.now;
    this.refreshAfterMs = o.refreshAfterMs ?? 60_000;
    this.expireAfterMs = o.expireAfterMs ?? 600_000;
    this.hits = new BoundedCache(o.maxEntries, this.expireAfterMs, this.now);
    this.misses = new BoundedCache(o.maxNegative ?? 10_000, o.negativeTtlMs ?? 10_000, this.now);
  }

  /** The cached record without waiting: the record, `null` for a cached miss, `undefined` when nothing is cached. */
  peek(key: string): V | null | undefined {
    const held = this.hits.get(key);
    if (held) return this.use(key, held);
    return this.misses.get(key) ? null : undefined;
  }

  get(key: string): Promise<V | undefined> {
    const held = this.hits.get(key);
    if (held) return Promise.resolve(this.use(key, held));
    if (this.misses.get(key)) return Promise.resolve(undefined);
    const running = this.inflight.get(key);
    if (running) return running;
    const p = this.o.load(key).then(
      (fresh) => {
        // An invalidation that raced this load removed the in-flight entry: do not cache stale data.
        if (this.inflight.get(key) === p) this.keep(key, fresh);
        return fresh;
      },
      (e: unknown) => {
        if (this.inflight.get(key) === p) this.inflight.delete(key);
        throw e;
      },
    );
    this.inflight.set(key, p);
    return p;
  }

  /** Drops what is cached for the key, including a load or refresh under way (whose result is then discarded). */
  forget(key: string): void {
    this.hits.delete(key);
    this.misses.delete(key);
    this.inflight.delete(key);
  }

  clear(): void {
    this.hits.clear();
    this.misses.clear();
    this.inflight.clear();
  }

  private use(key: string, held: Held<V>): V {
    if (held.refreshAt <= this.now() && !this.inflight.has(key)) this.refresh(key, held);
    return held.value;
  }

  /** Reads the record again in the background; never rejects (a failure keeps the held record). */
  private refresh(key: string, held: Held<V>): void {
    const p: Promise<V | undefined> = this.o.load(key).then(
      (fresh) => {
        if (this.inflight.get(key) !== p) return fresh;
        const kept = fresh !== undefined && this.o.same(held.value, fresh) ? held.value : fresh;
        this.keep(key, kept);
        return kept;
      },
      (e: unknown) => {
        if (this.inflight.get(key) === p) {
          this.inflight.delete(key);
          held.refreshAt = this.now() + RETRY_MS;
        }
        this.o.onRefreshError?.(e, key);
        return held.value;
      },
    );
    this.inflight.set(key, p);
  }

  /** Holds a loaded record (or its absence); the spread keeps records loaded together from refreshing and expiring together. */
  private keep(key: string, value: V | undefined): void {
    this.inflight.delete(key);
    if (value === undefined) {
      this.hits.delete(key);
      this.misses.set(key, true);
      return;
    }
    const spread = 0.75 + Math.random() / 4;
    this.hits.set(key, { value, refreshAt: this.now() + this.refreshAfterMs * spread }, this.expireAfterMs * spread);
  }
}
