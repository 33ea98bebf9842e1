/**
 * The services layer: each use case built with exactly the repositories, caches and other services
 * it uses (STYLE rule 9). Protocol-neutral: which door calls what is decided in doors.ts.
 */
import type { GatehouseConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import { AccessControlService } from '../services/access-control/access-control-service.js';
import { ContextDataService } from '../services/access-control/context-data.js';
import { AccessSimulator } from '../services/access-control/simulate.js';
import { ApiKeyService } from '../services/api-keys/api-key-service.js';
import { loadApiKeyPepper } from '../services/api-keys/pepper.js';
import { ApiKeyVerifier } from '../services/api-keys/verify-api-key.js';
import { ApiServiceManager } from '../services/api-services/api-service-manager.js';
import { AppTokenService } from '../services/app-tokens/app-token-service.js';
import type { Auditor } from '../services/audit.js';
import { AuditLog } from '../services/audit-log.js';
import { AccessTokenService } from '../services/auth/access-tokens.js';
import { ConsoleIdentity } from '../services/console/console-identity.js';
import { ConsumerService } from '../services/consumers/consumer-service.js';
import { ConsumerTokenVerifier } from '../services/consumers/verify-consumer-token.js';
import { DeviceRegistration } from '../services/consumers/device-registration.js';
import { RegistrationLimiter } from '../cache/registration-limiter.js';
import { DeliveryService } from '../services/delivery/delivery-service.js';
import { EntryService } from '../services/entries/entry-service.js';
import { GatewayService } from '../services/gateway/gateway-service.js';
import { GatewayApiKeys } from '../services/gateway/verified-api-keys.js';
import { KongImport } from '../services/import/kong-import.js';
import { CategoryEntryService } from '../services/categories/category-entry-service.js';
import { CategoryService } from '../services/categories/category-service.js';
import { MembershipService } from '../services/categories/membership-service.js';
import { MetadataService } from '../services/metadata/metadata-service.js';
import { PartnerAdministration } from '../services/partners/partner-admin.js';
import { PartnerService } from '../services/partners/partner-service.js';
import type { PasswordService } from '../services/passwords.js';
import { CallerPipeline } from '../services/pipeline/caller.js';
import { EntryAccessPipeline } from '../services/pipeline/entry-access.js';
import { RoleAdministration } from '../services/roles/role-admin.js';
import { RoleService } from '../services/roles/role-service.js';
import { Authenticator } from '../services/sessions/authenticate.js';
import { SessionService } from '../services/sessions/session-service.js';
import type { LoginAttempts } from '../services/users/login-attempts.js';
import { LoginService } from '../services/users/login.js';
import { UserAdministration } from '../services/users/user-admin.js';
import { UserService } from '../services/users/user-service.js';
import { createSsoUser } from '../services/sso/create-user.js';
import { blocksDirectLogin } from '../services/sso/direct-login.js';
import { IdentityProviderAdmin } from '../services/sso/identity-providers.js';
import { PublicUrl } from '../services/sso/public-url.js';
import { SsoSignIn } from '../services/sso/sign-in.js';
import { LoginDataService } from '../services/users/login-data.js';
import { TwoFactorService } from '../services/two-factor/two-factor-service.js';
import type { Caches } from './caches.js';
import type { StoreLayer } from './store.js';

export interface ServicesDeps {
  config: GatehouseConfig;
  clock: Clock;
  storage: StoreLayer;
  caches: Caches;
  passwords: PasswordService;
  attempts: LoginAttempts;
  audit: Auditor;
}

export type Services = Awaited<ReturnType<typeof wireServices>>;

export async function wireServices(d: ServicesDeps) {
  const { config, clock, passwords, attempts, audit } = d;
  const { repos, uow } = d.storage;
  const { directory, revocations, accessProfiles } = d.caches;

  // Built first: the services others are built on.
  const authenticator = new Authenticator({ directory, revocations, sessions: repos.sessions, roles: repos.roles, clock, verified: d.caches.verifiedKs });
  const findRole = (idOrSystemName: string, partnerId: number) => authenticator.findRole(idOrSystemName, partnerId);
  const users = new UserService({ uow, users: repos.users, roles: repos.roles, directory, passwords, audit, clock, findRole });
  const roles = new RoleService({ roles: repos.roles, users: repos.users, directory, audit, clock });
  // API keys and two-factor recovery codes are HMACs under the installation's pepper (services/api-keys/pepper.ts).
  const pepper = await loadApiKeyPepper(repos.system, d.storage.box);
  // Every password sign-in asks it for the second factor (users/verify-login.ts).
  const twoFactor = new TwoFactorService({ repo: repos.twoFactor, logins: repos.logins, userRepo: repos.users, users, directory, attempts, pepper, audit, clock, issuer: 'Gatehouse' });
  const partners = new PartnerService({ uow, partners: repos.partners, logins: repos.logins, users: repos.users, roles: repos.roles, directory, passwords, attempts, audit, clock, openRegistration: config.openRegistration, twoFactor });
  const apiKeyVerifier = new ApiKeyVerifier({ keys: d.caches.apiKeys, pepper, clock });
  const tokens = new AccessTokenService({ logins: repos.logins, users: repos.users, directory, passwords, attempts, audit, clock, ring: d.caches.signingKeys, issuer: config.jwtIssuer, ttl: config.jwtTtl, twoFactor, uow });
  const consumerTokens = new ConsumerTokenVerifier({ credentials: d.caches.credentials, verified: d.caches.verifiedConsumerTokens, directory, clock, maxLifetime: config.consumerJwtMaxLifetime });
  const consumers = new ConsumerService({ uow, consumers: repos.consumers, credentials: d.caches.credentials, audit, clock });
  const gatewayApiKeys = new GatewayApiKeys({ verifier: apiKeyVerifier, current: (hash) => d.caches.apiKeys.peek(hash), verified: d.caches.verifiedGatewayKeys, clock });

  // Single sign-on (OpenID Connect): each partner's identity providers, and signing the console in through them.
  const publicUrl = new PublicUrl(config);
  const sso = new SsoSignIn({
    ...d.storage.sso,
    logins: repos.logins,
    users: repos.users,
    directory,
    audit,
    clock,
    publicUrl: () => publicUrl.get(),
    createUser: (provider, email, claims, meta) => createSsoUser(users, directory, provider, email, claims, meta),
    directLoginBlocked: async (partnerId) => {
      const entry = await directory.partner(partnerId);
      return entry !== undefined && blocksDirectLogin(entry.partner);
    },
    // The console's token is minted by the one access-token service, after the second factor the login still owes.
    signIn: (user, o, meta) => tokens.afterProvider(user, o, meta),
  });
  const identityProviders = new IdentityProviderAdmin({ providers: d.storage.sso.providers, findRole, audit, clock, changed: (id) => sso.forget(id) });

  // Categories, their entries and members (issue 17); every change is announced through categoryChanges.
  const categoryDeps = { uow, categories: repos.categories, memberships: repos.memberships, changes: d.caches.categories, audit, clock };
  const categoryEntries = new CategoryEntryService({ ...categoryDeps, links: repos.categoryLinks, entries: repos.entries, entitlements: d.caches.categories });

  return {
    // The Kaltura door's: sessions, logins, users, roles, partners, app tokens, access control,
    // entries, getContextData, metadata.
    authenticator,
    sessions: new SessionService({ directory, revocations, widgets: repos.widgets, authenticator, audit, clock }),
    logins: new LoginService({ logins: repos.logins, users: repos.users, directory, passwords, attempts, audit, clock, twoFactor, uow }),
    loginData: new LoginDataService({ uow, logins: repos.logins, users: repos.users, directory, passwords, attempts, audit, clock, twoFactor }),
    users,
    roles,
    partners,
    appTokens: new AppTokenService({ tokens: repos.appTokens, users: repos.users, directory, revocations, authenticator, audit, clock }),
    accessControl: new AccessControlService({ uow, profiles: repos.accessControl, compiled: accessProfiles, directory, audit, clock, maxProfiles: config.accessControlProfileLimit }),
    entries: new EntryService({ entries: repos.entries, profiles: repos.accessControl, directory, audit, clock, cache: d.caches.entries, categoryLinks: categoryEntries, entitlements: d.caches.categories }),
    contextData: new ContextDataService({ pipeline: new EntryAccessPipeline({ entries: repos.entries, metadata: repos.metadata, profiles: accessProfiles, entitlements: d.caches.categories, directory, authenticator, clock }) }),
    metadata: new MetadataService({ uow, profiles: repos.metadataProfiles, metadata: repos.metadata, entries: repos.entries, audit, clock }),
    categories: new CategoryService({ ...categoryDeps, users: repos.users }),
    categoryEntries,
    categoryUsers: new MembershipService({ ...categoryDeps, users: repos.users }),

    // The console's and the REST door's administration, over the services above.
    userAdmin: new UserAdministration({ users, directory, logins: repos.logins, userRepo: repos.users, passwords, audit, clock }),
    roleAdmin: new RoleAdministration({ roles }),
    partnerAdmin: new PartnerAdministration({ partners, repo: repos.partners, users: repos.users, directory, audit, clock }),
    consoleIdentity: new ConsoleIdentity({ directory, users: repos.users }),
    twoFactor,
    simulator: new AccessSimulator({ entries: repos.entries, metadata: repos.metadata, profiles: accessProfiles, directory, authenticator, entitlements: d.caches.categories, clock }),
    auditLog: new AuditLog({ audit: repos.audit }),
    identityProviders,
    sso,
    publicUrl,

    // Machine access: access tokens, callers by token or API key (the REST and consumer doors),
    // API keys, protected services, consumers.
    tokens,
    callers: new CallerPipeline({ authenticator, tokens, apiKeys: apiKeyVerifier, directory }),
    apiKeys: new ApiKeyService({ keys: repos.apiKeys, cache: d.caches.apiKeys, services: repos.apiServices, verifier: apiKeyVerifier, directory, audit, clock, maxValidity: config.apiKeyMaxValidity }),
    apiServices: new ApiServiceManager({ services: repos.apiServices, routes: d.caches.routeTables, audit, clock }),
    // One consumer service for both of its doors (/v1/consumer and the REST door's /api/consumers).
    consumers,
    // Device self-registration (issue 19): /v1 and /v2 .../credential/register, per-caller limited in this node's memory.
    devices: new DeviceRegistration({ consumers: repos.consumers, service: consumers, credentials: d.caches.credentials, limiter: new RegistrationLimiter(), audit, clock }),
    // Kong / Sunbird set-ups brought over (issue 19): services, consumers, credentials verbatim.
    kongImport: new KongImport({ uow, consumers: repos.consumers, services: repos.apiServices, routes: d.caches.routeTables, credentials: d.caches.credentials, audit, clock }),
    consumerTokens,

    // The proxy-facing decisions. /p/... redirect URLs and /authz/delivery forward-auth decide
    // through the entry cache (their own pipeline: the Kaltura door's getContextData keeps reading
    // entries uncached); /authz/api through the credential caches and route tables.
    delivery: new DeliveryService({ pipeline: new EntryAccessPipeline({ entries: d.caches.entries, metadata: repos.metadata, profiles: accessProfiles, entitlements: d.caches.categories, directory, authenticator, clock, epoch: d.caches.epoch }) }),
    gateway: new GatewayService({ tokens: consumerTokens, apiKeys: gatewayApiKeys, directory, routes: d.caches.routeTables, limiter: d.caches.rateLimiter, windows: d.caches.windowCounters, clock, rateLimit: config.gatewayRateLimit }),
  };
}
