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
 * Re-reads that fall due together are gathered for a few milliseconds and read in one query per
 * batch (`loadMany`). Before this, a plain 60 s expiry made the next request of every credential
 * wait for its own database read and a fresh signature or HMAC check: with 10,000 credentials in
 * rotation in the bench, one request in five, and 1.5–2× the gateway's CPU per request; with
 * background, batched re-reads the rotating rows cost what one credential does.
 */
import { BoundedCache } from './lru.js';

/** Sizes and times; the credential caches take these as their own options. */
export interface RecordCacheLimits {
  maxEntries?: number;
  /** Safety net only (invalidation goes through the change feed): re-read a record in use after this long (default 60 s). */
  refreshAfterMs?: number;
  /** Drop a record not re-read for this long (default 10 minutes). */
  expireAfterMs?: number;
  maxNegative?: number;
  negativeTtlMs?: number;
  now?: () => number;
  /** How long due re-reads are gathered into one read (default 20 ms). */
  batchDelayMs?: number;
}

export interface RecordCacheOptions<V> extends RecordCacheLimits {
  /** The stored record, `undefined` when there is none. */
  load(key: string): Promise<V | undefined>;
  /** Several stored records in one read (for the re-reads); a key left out has no record. */
  loadMany(keys: readonly string[]): Promise<Map<string, V>>;
  /** True when a reloaded record is equivalent to the held one (the held object is then kept). */
  same(held: V, fresh: V): boolean;
  /** A background re-read of `count` records that failed (the held records stay until they expire). */
  onRefreshError?(e: unknown, count: number): void;
}

interface Held<V> {
  value: V;
  refreshAt: number;
}

/** A re-read waiting for its batch: what it re-reads, and the promise a caller joining it waits on. */
interface Due<V> {
  held: Held<V>;
  promise: Promise<V | undefined>;
  settle: (v: V | undefined) => void;
}

/** Retried this long after a refresh that failed (a database that is down is not asked per request). */
const RETRY_MS = 5_000;
/** Keys per batched read (well under SQLite's bound-parameter limit). */
const BATCH = 200;

export class RecordCache<V> {
  private readonly hits: BoundedCache<string, Held<V>>;
  private readonly misses: BoundedCache<string, true>;
  private readonly inflight = new Map<string, Promise<V | undefined>>();
  private readonly now: () => number;
  private readonly refreshAfterMs: number;
  private readonly expireAfterMs: number;
  private readonly due = new Map<string, Due<V>>();
  private flushTimer: NodeJS.Timeout | undefined;
  /** Batches being read, and who waits for the background work to end (`settled`). */
  private reading = 0;
  private idle: Array<() => void> = [];

  constructor(private readonly o: RecordCacheOptions<V>) {
    this.now = o.now ?? Date.now;
    this.refreshAfterMs = o.refreshAfterMs ?? 60_000;
    this.expireAfterMs = o.expireAfterMs ?? 600_000;
    this.hits = new BoundedCache(o.maxEntries ?? 50_000, this.expireAfterMs, this.now);
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
    // Due re-reads are no longer in `inflight`: their results will be discarded.
  }

  /** Resolves once no re-read is queued or running (tests; an orderly shutdown). */
  settled(): Promise<void> {
    if (this.due.size === 0 && this.reading === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private use(key: string, held: Held<V>): V {
    if (held.refreshAt <= this.now() && !this.inflight.has(key)) this.refresh(key, held);
    return held.value;
  }

  /**
   * Queues a background re-read. Due re-reads are gathered for a few milliseconds and read in one
   * query per batch: a re-read per record and minute is then a fraction of a point read each.
   */
  private refresh(key: string, held: Held<V>): void {
    let settle!: (v: V | undefined) => void;
    const promise = new Promise<V | undefined>((resolve) => (settle = resolve));
    this.inflight.set(key, promise);
    this.due.set(key, { held, promise, settle });
    this.flushTimer ??= setTimeout(() => void this.flush(), this.o.batchDelayMs ?? 20).unref();
  }

  /** Reads one batch of due records; never rejects (a failure keeps the held records). */
  private async flush(): Promise<void> {
    this.flushTimer = undefined;
    this.reading++;
    try {
      await this.readBatch();
    } finally {
      this.reading--;
      if (this.due.size === 0 && this.reading === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  private async readBatch(): Promise<void> {
    const batch: Array<[string, Due<V>]> = [];
    for (const [key, d] of this.due) {
      this.due.delete(key);
      // Forgotten or cleared while waiting: nothing to re-read.
      if (this.inflight.get(key) === d.promise) batch.push([key, d]);
      else d.settle(d.held.value);
      if (batch.length === BATCH) break;
    }
    if (this.due.size > 0) this.flushTimer = setTimeout(() => void this.flush(), 0).unref();
    if (batch.length === 0) return;
    let found: Map<string, V>;
    try {
      found = await this.o.loadMany(batch.map(([key]) => key));
    } catch (e) {
      const retryAt = this.now() + RETRY_MS;
      for (const [key, d] of batch) {
        if (this.inflight.get(key) === d.promise) {
          this.inflight.delete(key);
          d.held.refreshAt = retryAt;
        }
        d.settle(d.held.value);
      }
      this.o.onRefreshError?.(e, batch.length);
      return;
    }
    for (const [key, d] of batch) {
      const fresh = found.get(key);
      // An invalidation while the read ran wins over its result.
      if (this.inflight.get(key) !== d.promise) {
        d.settle(fresh);
        continue;
      }
      const kept = fresh !== undefined && this.o.same(d.held.value, fresh) ? d.held.value : fresh;
      this.keep(key, kept);
      d.settle(kept);
    }
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
