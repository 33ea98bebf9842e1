/**
 * Entries by id for the delivery hot path: bounded, with negative entries (a flood of requests for
 * made-up ids stops here, not at the database), a TTL as a safety net, and one invalidation point.
 * The entry service calls `changed` after every write; it drops the local copy at once and
 * publishes `entry:<id>` on the change feed, which CacheSync hands to every node's `drop`.
 *
 * Deleting an access-control profile re-points its entries to the partner default in one bulk
 * update that names no entry, so an `accessControl` change clears the whole cache (profile
 * deletions are rare; the entries come back from the database on the next request).
 */
import type { Entry } from '../services/model.js';
import type { ChangeFeed, EntryRepo } from '../services/ports.js';
import { ACCESS_CONTROL_TOPIC } from './access-profiles.js';
import { LoadingCache, type Epoch } from './lru.js';

/** The change-feed topic of this cache. */
export const ENTRY_TOPIC = 'entry';

export interface EntryCacheDeps {
  entries: Pick<EntryRepo, 'get'>;
  changes: ChangeFeed;
  nowSec: () => number;
}

export class CachedEntries {
  private readonly cache: LoadingCache<string, Entry>;

  constructor(private readonly deps: EntryCacheDeps, opts: { ttlMs?: number; maxEntries?: number; epoch?: Epoch } = {}) {
    this.cache = new LoadingCache(opts.maxEntries ?? 50_000, opts.ttlMs ?? 30_000, (id) => deps.entries.get(id), undefined, opts.epoch);
  }

  get(id: string): Promise<Entry | undefined> {
    return this.cache.get(id);
  }

  /** The cached entry without loading (undefined when absent, null for a cached miss). */
  peek(id: string): Entry | null | undefined {
    return this.cache.peek(id);
  }

  /** The entry was written (added, updated, deleted): every node forgets it. */
  async changed(id: string): Promise<void> {
    this.cache.invalidate(id);
    await this.deps.changes.publish(ENTRY_TOPIC, id, this.deps.nowSec());
  }

  /** Drops this node's copy only (a reader found it stale; the writer has published already). */
  forget(id: string): void {
    this.cache.invalidate(id);
  }

  /** Applies a change seen on the feed (ours or another node's). */
  drop(topic: string, key: string): void {
    if (topic === ENTRY_TOPIC) this.cache.invalidate(key);
    else if (topic === ACCESS_CONTROL_TOPIC || topic === '*') this.cache.clear();
  }
}
