/**
 * The caches layer: every bounded cache in front of the store, and the cross-node sync that keeps
 * them current (the change feed, polled, woken by PostgreSQL notifications). Each cache is built
 * here and injected into the services that read through it.
 */
import type { FastifyBaseLogger } from 'fastify';
import { CompiledProfileCache } from '../cache/access-profiles.js';
import { CachedApiKeys } from '../cache/api-keys.js';
import { CachedCategories } from '../cache/categories.js';
import { CachedConsumerCredentials } from '../cache/consumer-credentials.js';
import { CachedDirectory } from '../cache/directory.js';
import { CachedEntries } from '../cache/entries.js';
import { Epoch } from '../cache/lru.js';
import { LocalRateLimiter } from '../cache/rate-limiter.js';
import { WindowCounters, type SharedCounters } from '../cache/window-counters.js';
import { SyncedRevocationList } from '../cache/revocations.js';
import { RouteTables } from '../cache/route-tables.js';
import { CacheSync } from '../cache/sync.js';
import { VerifiedKsCache } from '../cache/verified-ks.js';
import { VerifiedCache } from '../cache/verified-tokens.js';
import type { GatehouseConfig } from '../config/index.js';
import { nowSeconds, type Clock } from '../core/clock.js';
import { openGeoLookup } from '../geo/mmdb.js';
import { SigningKeyRing } from '../services/auth/signing-keys.js';
import type { VerifiedTokens } from '../services/consumers/verify-consumer-token.js';
import type { VerifiedKeys } from '../services/gateway/verified-api-keys.js';
import type { Repos } from '../services/ports.js';
import type { LoginAttempts } from '../services/users/login-attempts.js';
import { isDatabaseUnavailable, listenForChanges, type DialectName } from '../store/index.js';

export interface CachesDeps {
  config: GatehouseConfig;
  clock: Clock;
  log: FastifyBaseLogger;
  dialect: DialectName;
  repos: Repos;
  /** Purged of expired counters by the sync's housekeeping, with the expired session rows. */
  attempts: Pick<LoginAttempts, 'purgeExpired'>;
  /** Poll interval of the cross-node cache sync. */
  syncIntervalMs: number;
  /** Services' rate-limit counters shared by the nodes (PostgreSQL); undefined: per node. */
  rateCounters?: SharedCounters | undefined;
}

export type Caches = Awaited<ReturnType<typeof wireCaches>>;

export async function wireCaches(d: CachesDeps) {
  const { config, clock, log, repos } = d;
  const nowSec = () => nowSeconds(clock);
  // The change count of the caches delivery decisions read (cache/lru.ts): the delivery table
  // keeps what it concluded from them while the count stays the same (services/pipeline/prepared.ts).
  const epoch = new Epoch();
  const directory = new CachedDirectory({ partners: repos.partners, roles: repos.roles, users: repos.users, changes: repos.changes, nowSec }, { epoch });
  const revocations = new SyncedRevocationList(repos.sessions, nowSec);
  // One country database per process, opened once; every compiled profile shares it.
  const geo = openGeoLookup(config.geoipDb);
  const accessProfiles = new CompiledProfileCache({
    profiles: repos.accessControl,
    changes: repos.changes,
    geo,
    nowSec,
    onLoadError: (err, profileId) => log.error({ err, profileId }, 'stored access-control profile does not compile; it denies until fixed'),
  }, { epoch });
  // Credential caches re-read a record in use once a minute in the background (a safety net under
  // the change feed); a failed re-read keeps the record until it expires, and is logged here.
  const cacheNow = () => clock.nowMs();
  const apiKeys = new CachedApiKeys(
    { keys: repos.apiKeys, changes: repos.changes, nowSec, onRefreshError: (err, count) => log.warn({ err, count }, 'API key re-read failed; the cached keys are used until they expire') },
    { now: cacheNow },
  );
  // The access tokens' key ring, held in memory; a key another node creates reloads it through the change feed.
  const signingKeys = new SigningKeyRing({ keys: repos.signingKeys, changes: repos.changes, clock, rotation: config.jwtKeyRotation, tokenTtl: config.jwtTtl });
  // Entries for delivery decisions (bounded; invalidated by the entry service and the change feed).
  const entries = new CachedEntries({ entries: repos.entries, changes: repos.changes, nowSec }, { epoch });
  // Gateway (/authz/api): consumer credentials by key and each partner's route table, both bounded
  // and invalidated through the change feed.
  const credentials = new CachedConsumerCredentials({
    consumers: repos.consumers,
    changes: repos.changes,
    nowSec,
    onLoadError: (err, key) => log.error({ err, key }, 'stored consumer credential does not import; it verifies nothing'),
    onRefreshError: (err, count) => log.warn({ err, count }, 'consumer credential re-read failed; the cached entries are used until they expire'),
  }, { now: cacheNow });
  const routeTables = new RouteTables({ services: repos.apiServices, changes: repos.changes, nowSec });
  // Entries' category links and users' memberships for entitlement (issue 17); also the one
  // invalidation point of category changes (CategoryChanges), fed back by the sync on every node.
  const categories = new CachedCategories({ categories: repos.categories, links: repos.categoryLinks, memberships: repos.memberships, changes: repos.changes, nowSec }, { epoch });
  const sync = new CacheSync(
    {
      changes: repos.changes,
      directory,
      revocations,
      listeners: [accessProfiles, apiKeys, signingKeys, entries, credentials, routeTables, categories],
      // The database away (a restart, a failover) is an outage, not a bug: no stack, and one line
      // per outage (CacheSync reports the first failure, then one a minute, then the recovery).
      onError: (err, failed) =>
        isDatabaseUnavailable(err)
          ? log.warn({ failed, cause: ((err as Error).cause as Error | undefined)?.message }, 'cache sync paused: the database is unavailable; retrying')
          : log.error({ err, failed }, 'cache sync failed'),
      onRecovered: (failed) => log.info({ failed }, 'cache sync resumed: changes made meanwhile are applied now'),
      purge: async () => {
        await repos.sessions.purgeExpired(nowSec());
        await d.attempts.purgeExpired();
      },
    },
    d.syncIntervalMs,
  );
  await sync.start();
  // PostgreSQL: other nodes' writes wake the sync at once (LISTEN/NOTIFY); the poll remains the bound.
  const changeListener =
    d.dialect === 'postgres' && config.databaseUrl
      ? await listenForChanges(config.databaseUrl, () => sync.wake(), (err) => log.warn({ cause: (err as Error).message }, 'change notifications interrupted; polling continues, reconnecting'))
      : undefined;

  // Expensive checks recently passed, by digest of the credential (cache/verified-ks.ts and
  // cache/verified-tokens.ts say why that is safe): KS signatures, consumer JWTs, gateway API keys.
  const verifiedKs = new VerifiedKsCache({ nowMs: cacheNow });
  const verifiedConsumerTokens: VerifiedTokens = new VerifiedCache({ nowMs: cacheNow });
  const verifiedGatewayKeys: VerifiedKeys = new VerifiedCache({ nowMs: cacheNow });

  return {
    epoch,
    directory,
    revocations,
    geo,
    accessProfiles,
    apiKeys,
    signingKeys,
    entries,
    categories,
    credentials,
    routeTables,
    sync,
    changeListener,
    verifiedKs,
    verifiedConsumerTokens,
    verifiedGatewayKeys,
    // The gateway's per-credential rate limits, local to this node.
    rateLimiter: new LocalRateLimiter(),
    // Services' rate limits (Kong's windows): in memory, added to the shared counters in small
    // batches on PostgreSQL; a failed write is kept and retried, and logged once a minute.
    windowCounters: new WindowCounters({
      shared: d.rateCounters,
      now: cacheNow,
      onError: (err) =>
        isDatabaseUnavailable(err)
          ? log.warn({ cause: ((err as Error).cause as Error | undefined)?.message }, 'rate-limit counters not shared: the database is unavailable; each node counts alone until it returns')
          : log.error({ err }, 'rate-limit counters not shared'),
    }),
  };
}
