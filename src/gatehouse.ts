/**
 * Builds one Gatehouse: store → repositories → caches → services → HTTP doors. Explicit wiring:
 * each service gets exactly what it uses. main.ts and the tests both start from here.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { CompiledProfileCache } from './cache/access-profiles.js';
import { CachedApiKeys } from './cache/api-keys.js';
import { CachedConsumerCredentials } from './cache/consumer-credentials.js';
import { CachedDirectory } from './cache/directory.js';
import { CachedEntries } from './cache/entries.js';
import { SyncedRevocationList } from './cache/revocations.js';
import { LocalRateLimiter } from './cache/rate-limiter.js';
import { RouteTables } from './cache/route-tables.js';
import { VerifiedCache } from './cache/verified-tokens.js';
import { CacheSync } from './cache/sync.js';
import type { GatehouseConfig } from './config/index.js';
import { systemClock, nowSeconds, type Clock } from './core/clock.js';
import { SecretBox } from './core/crypto/secret-box.js';
import { deriveDeliveryTokenKey } from './core/delivery/token.js';
import { consoleUi } from './http/console.js';
import { answerConsumerFrameworkError, consumerDoor } from './http/doors/consumer/plugin.js';
import { deliveryDoor } from './http/doors/delivery/plugin.js';
import { answerGatewayFrameworkError, gatewayDoor } from './http/doors/gateway/plugin.js';
import { buildRegistry } from './http/doors/kaltura/actions/index.js';
import { Dispatcher } from './http/doors/kaltura/dispatch.js';
import { answerKalturaFrameworkError, kalturaDoor } from './http/doors/kaltura/plugin.js';
import { wellKnownJwks } from './http/doors/rest/jwks.js';
import { registerDocsUi, registerOpenApi } from './http/doors/rest/openapi.js';
import { answerRestFrameworkError, restDoor } from './http/doors/rest/plugin.js';
import { loggerOptions } from './http/logger.js';
import { RawRoutes } from './http/raw-routes.js';
import { createMetricsRegistry, registerOps } from './http/ops.js';
import { openGeoLookup } from './geo/mmdb.js';
import { AccessControlService } from './services/access-control/access-control-service.js';
import { AccessSimulator } from './services/access-control/simulate.js';
import { ApiKeyService } from './services/api-keys/api-key-service.js';
import { loadApiKeyPepper } from './services/api-keys/pepper.js';
import { ApiKeyVerifier } from './services/api-keys/verify-api-key.js';
import { ApiServiceManager } from './services/api-services/api-service-manager.js';
import { AccessTokenService } from './services/auth/access-tokens.js';
import { CallerAuthenticator } from './services/auth/authenticate-caller.js';
import { SigningKeyRing } from './services/auth/signing-keys.js';
import { ContextDataService } from './services/access-control/context-data.js';
import { EntryAccessPipeline } from './services/pipeline/entry-access.js';
import { AppTokenService } from './services/app-tokens/app-token-service.js';
import { Auditor } from './services/audit.js';
import { AuditLog } from './services/audit-log.js';
import { bootstrap, type BootstrapResult } from './services/bootstrap.js';
import { ConsumerService } from './services/consumers/consumer-service.js';
import { ConsoleIdentity } from './services/console/console-identity.js';
import { ConsumerTokenVerifier } from './services/consumers/verify-consumer-token.js';
import { DeliveryService } from './services/delivery/delivery-service.js';
import { EntryService } from './services/entries/entry-service.js';
import { GatewayService } from './services/gateway/gateway-service.js';
import { GatewayApiKeys } from './services/gateway/verified-api-keys.js';
import { MetadataService } from './services/metadata/metadata-service.js';
import { PartnerService } from './services/partners/partner-service.js';
import { PartnerAdministration } from './services/partners/partner-admin.js';
import { PasswordService } from './services/passwords.js';
import { RoleAdministration } from './services/roles/role-admin.js';
import { RoleService } from './services/roles/role-service.js';
import { Authenticator } from './services/sessions/authenticate.js';
import { VerifiedKsCache } from './cache/verified-ks.js';
import { SessionService } from './services/sessions/session-service.js';
import { LoginService } from './services/users/login.js';
import { LoginAttempts } from './services/users/login-attempts.js';
import { UserAdministration } from './services/users/user-admin.js';
import { UserService } from './services/users/user-service.js';
import { checkReady, createRepos, createUnitOfWork, isDatabaseUnavailable, listenForChanges, migrateToLatest, type Store } from './store/index.js';

export interface GatehouseOptions {
  config: GatehouseConfig;
  store: Store;
  masterKey: Buffer;
  clock?: Clock;
  /** A pino-compatible logger stream/destination for tests; default stdout. */
  logger?: boolean | Logger;
  /** Poll interval of the cross-node cache sync. */
  syncIntervalMs?: number;
}

export interface Gatehouse {
  app: FastifyInstance;
  bootstrap: BootstrapResult;
  sync: CacheSync;
  directory: CachedDirectory;
  close(): Promise<void>;
}

export async function createGatehouse(opts: GatehouseOptions): Promise<Gatehouse> {
  const { config, store } = opts;
  const clock = opts.clock ?? systemClock;
  await migrateToLatest(store.db);

  // The forward-auth endpoints and delivery URLs, answered ahead of Fastify's router (raw-routes.ts).
  const raw = new RawRoutes();
  const app = Fastify({
    serverFactory: raw.serverFactory(),
    // No logger at all when silenced: Fastify would still build a redacting child logger per request.
    // Fastify 5 takes a ready-made logger (tests capturing log lines) only as `loggerInstance`.
    ...(typeof opts.logger === 'object'
      ? { loggerInstance: opts.logger as FastifyBaseLogger }
      : { logger: opts.logger === undefined ? (config.logLevel === 'silent' ? false : loggerOptions(config.logLevel)) : opts.logger }),
    // Client addresses come from X-Forwarded-For only when the hop is a configured proxy.
    trustProxy: config.trustedProxies.length ? [...config.trustedProxies] : false,
    bodyLimit: config.bodyLimit,
    requestIdHeader: false,
    // Requests the router rejects (bad %-escapes in the path) are answered in the shape of the
    // door they were meant for.
    frameworkErrors: (err, req, reply) => {
      if (answerKalturaFrameworkError(req.url, reply)) return;
      if (answerRestFrameworkError(req.url, reply)) return;
      if (answerConsumerFrameworkError(req.url, reply, clock.nowMs())) return;
      if (answerGatewayFrameworkError(req.url, reply)) return;
      const status = typeof err.statusCode === 'number' ? err.statusCode : 400;
      void (reply as FastifyReply).code(status).send({ statusCode: status, error: 'Bad Request', message: err.message });
    },
  });

  const box = new SecretBox(opts.masterKey);
  const repos = createRepos(store.db, box);
  const uow = createUnitOfWork(store.db, box);
  const passwords = new PasswordService();
  // Every password sign-in's budgets (throttle per address, lockout per login and address, ceiling per login), in the database.
  const attempts = new LoginAttempts({ repo: repos.loginAttempts, clock, throttle: config.loginThrottle, ceiling: config.loginCeiling });
  const audit = new Auditor(repos.audit, clock, (err, e) => app.log.error({ err, action: e.action }, 'audit write failed'));
  const nowSec = () => nowSeconds(clock);

  const boot = await bootstrap({ uow, passwords, clock }, { adminEmail: config.adminEmail, adminPassword: config.adminPassword });

  const directory = new CachedDirectory({ partners: repos.partners, roles: repos.roles, users: repos.users, changes: repos.changes, nowSec });
  const revocations = new SyncedRevocationList(repos.sessions, nowSec);
  // One country database per process, opened once; every compiled profile shares it.
  const geo = openGeoLookup(config.geoipDb);
  const accessProfiles = new CompiledProfileCache({
    profiles: repos.accessControl,
    changes: repos.changes,
    geo,
    nowSec,
    onLoadError: (err, profileId) => app.log.error({ err, profileId }, 'stored access-control profile does not compile; it denies until fixed'),
  });
  // Credential caches re-read a record in use once a minute in the background (a safety net under
  // the change feed); a failed re-read keeps the record until it expires, and is logged here.
  const cacheNow = () => clock.nowMs();
  const apiKeyCache = new CachedApiKeys(
    { keys: repos.apiKeys, changes: repos.changes, nowSec, onRefreshError: (err, count) => app.log.warn({ err, count }, 'API key re-read failed; the cached keys are used until they expire') },
    { now: cacheNow },
  );
  const signingKeys = new SigningKeyRing({ keys: repos.signingKeys, changes: repos.changes, clock, rotation: config.jwtKeyRotation, tokenTtl: config.jwtTtl });
  // Entries for delivery decisions (bounded; invalidated by the entry service and the change feed).
  const entryCache = new CachedEntries({ entries: repos.entries, changes: repos.changes, nowSec });
  // Gateway (/authz/api): consumer credentials by key and each partner's route table, both bounded
  // and invalidated through the change feed.
  const credentialCache = new CachedConsumerCredentials({
    consumers: repos.consumers,
    changes: repos.changes,
    nowSec,
    onLoadError: (err, key) => app.log.error({ err, key }, 'stored consumer credential does not import; it verifies nothing'),
    onRefreshError: (err, count) => app.log.warn({ err, count }, 'consumer credential re-read failed; the cached entries are used until they expire'),
  }, { now: cacheNow });
  const routeTables = new RouteTables(repos.apiServices);
  const sync = new CacheSync(
    {
      changes: repos.changes,
      directory,
      revocations,
      listeners: [accessProfiles, apiKeyCache, signingKeys, entryCache, credentialCache, routeTables],
      // The database away (a restart, a failover) is an outage, not a bug: no stack, and one line
      // per outage (CacheSync reports the first failure, then one a minute, then the recovery).
      onError: (err, failed) =>
        isDatabaseUnavailable(err)
          ? app.log.warn({ failed, cause: ((err as Error).cause as Error | undefined)?.message }, 'cache sync paused: the database is unavailable; retrying')
          : app.log.error({ err, failed }, 'cache sync failed'),
      onRecovered: (failed) => app.log.info({ failed }, 'cache sync resumed: changes made meanwhile are applied now'),
      purge: async () => {
        await repos.sessions.purgeExpired(nowSec());
        await attempts.purgeExpired();
      },
    },
    opts.syncIntervalMs ?? 500,
  );
  await sync.start();
  // PostgreSQL: other nodes' writes wake the sync at once (LISTEN/NOTIFY); the poll remains the bound.
  const changeListener =
    store.dialect === 'postgres' && config.databaseUrl
      ? await listenForChanges(config.databaseUrl, () => sync.wake(), (err) => app.log.warn({ cause: (err as Error).message }, 'change notifications interrupted; polling continues, reconnecting'))
      : undefined;

  const authenticator = new Authenticator({ directory, revocations, sessions: repos.sessions, roles: repos.roles, clock, verified: new VerifiedKsCache({ nowMs: () => clock.nowMs() }) });
  const findRole = (idOrSystemName: string, partnerId: number) => authenticator.findRole(idOrSystemName, partnerId);
  const services = {
    sessions: new SessionService({ directory, revocations, widgets: repos.widgets, authenticator, audit, clock }),
    logins: new LoginService({ logins: repos.logins, users: repos.users, directory, passwords, attempts, audit, clock }),
    users: new UserService({ uow, users: repos.users, roles: repos.roles, directory, passwords, audit, clock, findRole }),
    roles: new RoleService({ roles: repos.roles, users: repos.users, directory, audit, clock }),
    appTokens: new AppTokenService({ tokens: repos.appTokens, users: repos.users, directory, revocations, authenticator, audit, clock }),
    partners: new PartnerService({ uow, partners: repos.partners, logins: repos.logins, users: repos.users, roles: repos.roles, directory, passwords, attempts, audit, clock, openRegistration: config.openRegistration }),
    accessControl: new AccessControlService({ uow, profiles: repos.accessControl, compiled: accessProfiles, directory, audit, clock, maxProfiles: config.accessControlProfileLimit }),
    entries: new EntryService({ entries: repos.entries, profiles: repos.accessControl, directory, audit, clock, cache: entryCache }),
    contextData: new ContextDataService({ pipeline: new EntryAccessPipeline({ entries: repos.entries, metadata: repos.metadata, profiles: accessProfiles, directory, authenticator, clock }) }),
    metadata: new MetadataService({ uow, profiles: repos.metadataProfiles, metadata: repos.metadata, entries: repos.entries, audit, clock }),
  };

  const registry = createMetricsRegistry();
  const recordRequest = registerOps(app, {
    registry,
    ready: async () => {
      const r = await checkReady(store.db);
      // The country database is loaded at start-up (a bad GATEHOUSE_GEOIP_DB stops the server), so
      // this only says which one answers country conditions and how old it is.
      const g = geo.info;
      return { ok: r.database && r.migrations, checks: { ...r, geoip: `loaded (${g.databaseType ?? 'mmdb'}, built ${g.buildEpoch?.toISOString().slice(0, 10) ?? 'unknown'})` } };
    },
  });
  raw.recordWith(recordRequest);
  // Closing: new requests go through Fastify, which answers them 503.
  app.addHook('preClose', (done) => {
    raw.close();
    done();
  });
  const dispatcher = new Dispatcher({ registry: buildRegistry(services), authenticator, clock, onFault: (err, where) => app.log.error({ err, where }, 'unexpected fault') });
  await app.register(kalturaDoor, { dispatcher, bodyLimit: config.bodyLimit });

  // REST door (/api): access tokens, API keys, users, protected services; OpenAPI at /docs.
  const apiKeyVerifier = new ApiKeyVerifier({ keys: apiKeyCache, pepper: await loadApiKeyPepper(repos.system, box), clock });
  const tokens = new AccessTokenService({ logins: repos.logins, users: repos.users, directory, passwords, attempts, audit, clock, ring: signingKeys, issuer: config.jwtIssuer, ttl: config.jwtTtl });
  await registerOpenApi(app, { apiKeyInQuery: config.apiKeyInQuery });
  // One consumer service for both of its doors (/v1/consumer and the REST door's /api/consumers).
  const consumers = new ConsumerService({ uow, consumers: repos.consumers, credentials: credentialCache, audit, clock });
  await app.register(restDoor, {
    prefix: '/api',
    tokens,
    callers: new CallerAuthenticator({ tokens, apiKeys: apiKeyVerifier, directory }),
    apiKeys: new ApiKeyService({ keys: repos.apiKeys, cache: apiKeyCache, services: repos.apiServices, verifier: apiKeyVerifier, directory, audit, clock, maxValidity: config.apiKeyMaxValidity }),
    users: new UserAdministration({ users: services.users, directory, logins: repos.logins, userRepo: repos.users, passwords, audit, clock }),
    apiServices: new ApiServiceManager({ services: repos.apiServices, changes: repos.changes, audit, clock }),
    consoleIdentity: new ConsoleIdentity({ directory, users: repos.users }),
    partnerAdmin: new PartnerAdministration({ partners: services.partners, repo: repos.partners, users: repos.users, directory, audit, clock }),
    roles: new RoleAdministration({ roles: services.roles }),
    appTokens: services.appTokens,
    consumers,
    accessControl: services.accessControl,
    simulator: new AccessSimulator({ entries: repos.entries, metadata: repos.metadata, profiles: accessProfiles, directory, authenticator, clock }),
    entries: services.entries,
    auditLog: new AuditLog({ audit: repos.audit }),
    nowSec,
    apiKeyInQuery: config.apiKeyInQuery,
    bodyLimit: config.bodyLimit,
  });
  await app.register(wellKnownJwks, { tokens });
  await registerDocsUi(app);
  // The console (React app built into dist/console), served at /console.
  await app.register(consoleUi, {});

  // Delivery door: /p/... redirect URLs and /authz/delivery forward-auth, deciding through the
  // entry cache (its own pipeline: the Kaltura door's getContextData keeps reading entries uncached).
  const delivery = new DeliveryService({ pipeline: new EntryAccessPipeline({ entries: entryCache, metadata: repos.metadata, profiles: accessProfiles, directory, authenticator, clock }) });
  await app.register(deliveryDoor, {
    raw,
    service: delivery,
    partners: directory,
    registry,
    trustedProxies: config.trustedProxies,
    origin: config.deliveryOrigin,
    tokenKey: deriveDeliveryTokenKey(opts.masterKey),
    tokenTtl: config.deliveryTokenTtl,
    clock,
  });

  // Consumer door (/v1/consumer, Sunbird adminutil) and the API gateway's decisions (/authz/api).
  const consumerTokens = new ConsumerTokenVerifier({ credentials: credentialCache, verified: new VerifiedCache({ nowMs: cacheNow }), directory, clock, maxLifetime: config.consumerJwtMaxLifetime });
  await app.register(consumerDoor, {
    prefix: '/v1/consumer',
    consumers,
    callers: new CallerAuthenticator({ tokens, apiKeys: apiKeyVerifier, directory }),
    tokens: consumerTokens,
    clock,
    apiKeyInQuery: config.apiKeyInQuery,
    bodyLimit: config.bodyLimit,
  });
  const gatewayApiKeys = new GatewayApiKeys({ verifier: apiKeyVerifier, current: (hash) => apiKeyCache.peek(hash), verified: new VerifiedCache({ nowMs: cacheNow }), clock });
  await app.register(gatewayDoor, {
    raw,
    registry,
    gateway: new GatewayService({ tokens: consumerTokens, apiKeys: gatewayApiKeys, directory, routes: routeTables, limiter: new LocalRateLimiter(), clock, rateLimit: config.gatewayRateLimit }),
    apiKeyInQuery: config.apiKeyInQuery,
    bodyLimit: config.bodyLimit,
  });

  return {
    app,
    bootstrap: boot,
    sync,
    directory,
    close: async () => {
      await app.close();
      // Audit events of the last requests are written, and the credential caches' re-reads end,
      // before the database is closed.
      await audit.flush();
      await Promise.all([apiKeyCache.settled(), credentialCache.settled()]);
      attempts.close();
      await changeListener?.close();
      await sync.stop();
    },
  };
}
