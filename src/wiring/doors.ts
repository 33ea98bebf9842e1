/**
 * The doors: each registered with exactly the services it calls and the settings it reads, in the
 * order Fastify needs (the OpenAPI document before the REST routes it describes, its UI after).
 */
import type { Registry } from 'prom-client';
import type { GatehouseConfig } from '../config/index.js';
import { nowSeconds, type Clock } from '../core/clock.js';
import { deriveDeliveryTokenKey } from '../core/delivery/token.js';
import { consoleUi } from '../http/console.js';
import { consumerDoor } from '../http/doors/consumer/plugin.js';
import { deliveryDoor } from '../http/doors/delivery/plugin.js';
import { gatewayDoor } from '../http/doors/gateway/plugin.js';
import { buildRegistry } from '../http/doors/kaltura/actions/index.js';
import { Dispatcher } from '../http/doors/kaltura/dispatch.js';
import { kalturaDoor } from '../http/doors/kaltura/plugin.js';
import { wellKnownJwks } from '../http/doors/rest/jwks.js';
import { registerDocsUi, registerOpenApi } from '../http/doors/rest/openapi.js';
import { restDoor } from '../http/doors/rest/plugin.js';
import type { AppShell } from './app.js';
import type { Caches } from './caches.js';
import type { Services } from './services.js';

export interface DoorsDeps {
  config: GatehouseConfig;
  clock: Clock;
  /** The master key, from which the delivery door's `gh_token` key is derived. */
  masterKey: Buffer;
  /** The metrics registry (ops), where the proxy-facing doors count their decisions. */
  registry: Registry;
  services: Services;
  /** The Directory, read by the delivery door for each partner's allowed origins. */
  directory: Caches['directory'];
}

export async function wireDoors({ app, raw }: AppShell, d: DoorsDeps): Promise<void> {
  const { config, clock, services: s } = d;

  // Kaltura door (/api_v3): every action through one dispatcher.
  const actions = buildRegistry({
    sessions: s.sessions,
    logins: s.logins,
    loginData: s.loginData,
    users: s.users,
    roles: s.roles,
    partners: s.partners,
    appTokens: s.appTokens,
    accessControl: s.accessControl,
    entries: s.entries,
    contextData: s.contextData,
    metadata: s.metadata,
    categories: s.categories,
    categoryEntries: s.categoryEntries,
    categoryUsers: s.categoryUsers,
    sso: s.sso,
  });
  const dispatcher = new Dispatcher({ registry: actions, authenticator: s.authenticator, callers: s.callers, clock, onFault: (err, where) => app.log.error({ err, where }, 'unexpected fault') });
  await app.register(kalturaDoor, { dispatcher, bodyLimit: config.bodyLimit });

  // REST door (/api): access tokens, API keys, users, protected services; OpenAPI at /docs.
  await registerOpenApi(app, { apiKeyInQuery: config.apiKeyInQuery });
  await app.register(restDoor, {
    prefix: '/api',
    tokens: s.tokens,
    callers: s.callers,
    apiKeys: s.apiKeys,
    users: s.userAdmin,
    apiServices: s.apiServices,
    kongImport: s.kongImport,
    consoleIdentity: s.consoleIdentity,
    twoFactor: s.twoFactor,
    partnerAdmin: s.partnerAdmin,
    roles: s.roleAdmin,
    appTokens: s.appTokens,
    consumers: s.consumers,
    accessControl: s.accessControl,
    simulator: s.simulator,
    entries: s.entries,
    categories: s.categories,
    categoryEntries: s.categoryEntries,
    categoryUsers: s.categoryUsers,
    auditLog: s.auditLog,
    loginData: s.loginData,
    identityProviders: s.identityProviders,
    sso: s.sso,
    publicUrl: () => s.publicUrl.get(),
    nowSec: () => nowSeconds(clock),
    apiKeyInQuery: config.apiKeyInQuery,
    bodyLimit: config.bodyLimit,
  });
  await app.register(wellKnownJwks, { tokens: s.tokens });
  // Single sign-on's redirect URI defaults to the address this server listens on.
  s.publicUrl.bind(app.server);
  await registerDocsUi(app);
  // The console (React app built into dist/console), served at /console.
  await app.register(consoleUi, {});

  // Delivery door: /p/... redirect URLs and /authz/delivery forward-auth.
  await app.register(deliveryDoor, {
    raw,
    service: s.delivery,
    partners: d.directory,
    registry: d.registry,
    trustedProxies: config.trustedProxies,
    origin: config.deliveryOrigin,
    tokenKey: deriveDeliveryTokenKey(d.masterKey),
    tokenTtl: config.deliveryTokenTtl,
    clock,
  });

  // Consumer door (/v1/consumer, Sunbird adminutil) and the API gateway's decisions (/authz/api).
  const consumerDoorOptions = { consumers: s.consumers, devices: s.devices, callers: s.callers, tokens: s.consumerTokens, clock, apiKeyInQuery: config.apiKeyInQuery, bodyLimit: config.bodyLimit };
  await app.register(consumerDoor, { prefix: '/v1/consumer', ...consumerDoorOptions });
  // Only `/v2/consumer/{username}/credential/register` (device tokens signed by a key pool, issue 19).
  await app.register(consumerDoor, { prefix: '/v2/consumer', version: 2, ...consumerDoorOptions });
  await app.register(gatewayDoor, {
    raw,
    registry: d.registry,
    gateway: s.gateway,
    apiKeyInQuery: config.apiKeyInQuery,
    bodyLimit: config.bodyLimit,
    trustedProxies: config.trustedProxies,
  });
}
