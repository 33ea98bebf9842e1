/**
 * Each partner's services compiled into a route table (core/gateway/routes.ts), loaded once and
 * kept until a service of that partner changes. Every write ends at `changed` (the one invalidation
 * point): this node forgets the table at once, so the gateway applies a change as soon as the write
 * is answered, and `apiService:<partnerId>` goes on the change feed, which CacheSync hands to every
 * other node's `drop`. Bounded like every cache; a
 * partner without services is cached too (an empty table), so unknown paths cost no query.
 */
import { compileRoutes, type RouteTable } from '../core/gateway/routes.js';
import type { ApiService } from '../services/model.js';
import type { ApiServiceRepo, ChangeFeed } from '../services/ports.js';
import { LoadingCache } from './lru.js';

/** Same topic ApiServiceManager publishes (services/api-services), repeated to keep cache/ free of service imports. */
const API_SERVICE_TOPIC = 'apiService';
const PAGE = 500;
/** A partner with more services than this is refused at load time rather than matched partially. */
const MAX_SERVICES = 20_000;

export interface RouteTablesDeps {
  services: ApiServiceRepo;
  changes: ChangeFeed;
  nowSec: () => number;
}

export class RouteTables {
  private readonly cache: LoadingCache<number, RouteTable<ApiService>>;

  constructor(private readonly d: RouteTablesDeps, opts: { maxEntries?: number; ttlMs?: number } = {}) {
    this.cache = new LoadingCache(opts.maxEntries ?? 10_000, opts.ttlMs ?? 60_000, (partnerId) => this.load(partnerId));
  }

  /** The compiled table, without a promise when it is cached. */
  peek(partnerId: number): RouteTable<ApiService> | undefined {
    return this.cache.peek(partnerId) ?? undefined;
  }

  async get(partnerId: number): Promise<RouteTable<ApiService>> {
    return (await this.cache.get(partnerId)) ?? compileRoutes([]);
  }

  /** A service of the partner was written: forget its table here, and tell the other nodes. */
  async changed(partnerId: number): Promise<void> {
    this.cache.invalidate(partnerId);
    await this.d.changes.publish(API_SERVICE_TOPIC, String(partnerId), this.d.nowSec());
  }

  /** Applies a change seen on the feed (ours or another node's). */
  drop(topic: string, key: string): void {
    if (topic === API_SERVICE_TOPIC) this.cache.invalidate(Number(key));
    else if (topic === '*') this.cache.clear();
  }

  private async load(partnerId: number): Promise<RouteTable<ApiService>> {
    const all: ApiService[] = [];
    for (let pageIndex = 1; ; pageIndex++) {
      const r = await this.d.services.list(partnerId, { pageSize: PAGE, pageIndex });
      all.push(...r.objects);
      if (r.objects.length < PAGE || all.length >= r.totalCount) break;
      if (all.length > MAX_SERVICES) throw new Error(`partner ${partnerId} has more than ${MAX_SERVICES} services`);
    }
    return compileRoutes(all);
  }
}
