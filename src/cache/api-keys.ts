/**
 * API keys by HMAC, so verifying a key reads no database in the steady state. Keyed by the HMAC,
 * never by the key itself (STYLE rule 5). Misses are cached in a separate, smaller and shorter-lived
 * negative cache, so a flood of made-up keys neither reaches the database nor evicts real keys.
 * `changed` drops the entry locally and publishes `apiKey:<hash>` on the change feed; CacheSync
 * hands every node's feed to `drop`, so a revoked key stops on every node within one poll interval.
 */
import type { ApiKey } from '../services/model.js';
import type { ApiKeyDirectory, ApiKeyRepo, ChangeFeed } from '../services/ports.js';
import { BoundedCache } from './lru.js';

/** The change-feed topic of this cache. */
export const API_KEY_TOPIC = 'apiKey';

export interface ApiKeyCacheDeps {
  keys: ApiKeyRepo;
  changes: ChangeFeed;
  nowSec: () => number;
}

export interface ApiKeyCacheOptions {
  maxEntries?: number;
  /** Safety net only: invalidation goes through the change feed. */
  ttlMs?: number;
  maxNegative?: number;
  negativeTtlMs?: number;
}

export class CachedApiKeys implements ApiKeyDirectory {
  private readonly hits: BoundedCache<string, ApiKey>;
  private readonly misses: BoundedCache<string, true>;
  private readonly inflight = new Map<string, Promise<ApiKey | undefined>>();

  constructor(private readonly deps: ApiKeyCacheDeps, opts: ApiKeyCacheOptions = {}) {
    this.hits = new BoundedCache(opts.maxEntries ?? 50_000, opts.ttlMs ?? 60_000);
    this.misses = new BoundedCache(opts.maxNegative ?? 10_000, opts.negativeTtlMs ?? 10_000);
  }

  /** The cached key without loading (undefined when not cached or a cached miss). */
  peek(hash: string): ApiKey | undefined {
    return this.hits.get(hash);
  }

  async byHash(hash: string): Promise<ApiKey | undefined> {
    const hit = this.hits.get(hash);
    if (hit) return hit;
    if (this.misses.get(hash)) return undefined;
    const running = this.inflight.get(hash);
    if (running) return running;
    const p = this.deps.keys
      .byHash(hash)
      .then((k) => {
        // A revocation that raced this load removed the in-flight entry: do not cache stale data.
        if (this.inflight.get(hash) === p) {
          if (k) this.hits.set(hash, k);
          else this.misses.set(hash, true);
        }
        return k;
      })
      .finally(() => {
        if (this.inflight.get(hash) === p) this.inflight.delete(hash);
      });
    this.inflight.set(hash, p);
    return p;
  }

  async changed(hash: string): Promise<void> {
    this.forget(hash);
    await this.deps.changes.publish(API_KEY_TOPIC, hash, this.deps.nowSec());
  }

  /** Applies a change seen on the feed (ours or another node's). */
  drop(topic: string, key: string): void {
    if (topic === API_KEY_TOPIC) this.forget(key);
    else if (topic === '*') this.clear();
  }

  clear(): void {
    this.hits.clear();
    this.misses.clear();
    this.inflight.clear();
  }

  private forget(hash: string): void {
    this.hits.delete(hash);
    this.misses.delete(hash);
    this.inflight.delete(hash);
  }
}
