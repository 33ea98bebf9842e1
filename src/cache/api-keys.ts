/**
 * API keys by HMAC, so verifying a key reads no database in the steady state. Keyed by the HMAC,
 * never by the key itself (STYLE rule 5). Misses are cached in a separate, smaller and shorter-lived
 * negative cache, so a flood of made-up keys neither reaches the database nor evicts real keys.
 * `changed` drops the entry locally and publishes `apiKey:<hash>` on the change feed; CacheSync
 * hands every node's feed to `drop`, so a revoked key stops on every node within one poll interval.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ApiKey } from '../services/model.js';
import type { ApiKeyDirectory, ApiKeyRepo, ChangeFeed } from '../services/ports.js';
import { RecordCache, type RecordCacheLimits } from './record-cache.js';

/** The change-feed topic of this cache. */
export const API_KEY_TOPIC = 'apiKey';

export interface ApiKeyCacheDeps {
  keys: ApiKeyRepo;
  changes: ChangeFeed;
  nowSec: () => number;
  /** A background re-read of `count` keys that failed (the held keys stay usable until they expire). */
  onRefreshError?: (e: unknown, count: number) => void;
}

export type ApiKeyCacheOptions = RecordCacheLimits;

export class CachedApiKeys implements ApiKeyDirectory {
  private readonly records: RecordCache<ApiKey>;

  constructor(private readonly deps: ApiKeyCacheDeps, opts: ApiKeyCacheOptions = {}) {
    this.records = new RecordCache<ApiKey>({
      ...opts,
      maxEntries: opts.maxEntries ?? 50_000,
      load: (hash) => deps.keys.byHash(hash),
      loadMany: (hashes) => deps.keys.byHashes(hashes),
      same: isDeepStrictEqual,
      onRefreshError: deps.onRefreshError,
    });
  }

  /** The cached key without loading (undefined when not cached or a cached miss). */
  peek(hash: string): ApiKey | undefined {
    return this.records.peek(hash) ?? undefined;
  }

  byHash(hash: string): Promise<ApiKey | undefined> {
    return this.records.get(hash);
  }

  async changed(hash: string): Promise<void> {
    this.records.forget(hash);
    await this.deps.changes.publish(API_KEY_TOPIC, hash, this.deps.nowSec());
  }

  /** Applies a change seen on the feed (ours or another node's). */
  drop(topic: string, key: string): void {
    if (topic === API_KEY_TOPIC) this.records.forget(key);
    else if (topic === '*') this.clear();
  }

  clear(): void {
    this.records.clear();
  }

  /** Resolves once no background re-read is queued or running. */
  settled(): Promise<void> {
    return this.records.settled();
  }
}
