/**
 * What the REST door is built from (by the composition root) and the scope its routes register
 * on. Each route module takes the `Pick` of `RouteDeps` it uses and the plugin hands it exactly that,
 * so a route module never imports the plugin back.
 */
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ApiKeyService } from '../../../services/api-keys/api-key-service.js';
import type { ApiServiceManager } from '../../../services/api-services/api-service-manager.js';
import type { AccessTokenService } from '../../../services/auth/access-tokens.js';
import type { CallerPipeline } from '../../../services/pipeline/caller.js';
import type { AccessControlService } from '../../../services/access-control/access-control-service.js';
import type { AccessSimulator } from '../../../services/access-control/simulate.js';
import type { AppTokenService } from '../../../services/app-tokens/app-token-service.js';
import type { AuditLog } from '../../../services/audit-log.js';
import type { CategoryEntryService } from '../../../services/categories/category-entry-service.js';
import type { CategoryService } from '../../../services/categories/category-service.js';
import type { MembershipService } from '../../../services/categories/membership-service.js';
import type { ConsoleIdentity } from '../../../services/console/console-identity.js';
import type { ConsumerService } from '../../../services/consumers/consumer-service.js';
import type { KongImport } from '../../../services/import/kong-import.js';
import type { EntryService } from '../../../services/entries/entry-service.js';
import type { PartnerAdministration } from '../../../services/partners/partner-admin.js';
import type { RoleAdministration } from '../../../services/roles/role-admin.js';
import type { UserAdministration } from '../../../services/users/user-admin.js';
import type { LoginDataService } from '../../../services/users/login-data.js';
import type { TwoFactorService } from '../../../services/two-factor/two-factor-service.js';
import type { IdentityProviderAdmin } from '../../../services/sso/identity-providers.js';
import type { SsoSignIn } from '../../../services/sso/sign-in.js';
import type { GuardDeps } from './guard.js';

export interface RestDoorOptions {
  tokens: AccessTokenService;
  callers: Pick<CallerPipeline, 'run'>;
  apiKeys: ApiKeyService;
  users: UserAdministration;
  apiServices: ApiServiceManager;
  /** POST /api/import/kong (routes/import.ts). */
  kongImport: KongImport;
  consoleIdentity: ConsoleIdentity;
  partnerAdmin: PartnerAdministration;
  roles: RoleAdministration;
  appTokens: AppTokenService;
  consumers: ConsumerService;
  accessControl: AccessControlService;
  simulator: AccessSimulator;
  entries: EntryService;
  categories: CategoryService;
  categoryEntries: CategoryEntryService;
  categoryUsers: MembershipService;
  auditLog: AuditLog;
  /** One's own password and sign-ins (routes/me-password.ts). */
  loginData: LoginDataService;
  twoFactor: TwoFactorService;
  identityProviders: IdentityProviderAdmin;
  sso: SsoSignIn;
  /** GATEHOUSE_PUBLIC_URL, else the listen address. */
  publicUrl: () => string;
  /** Unix seconds now (the Kaltura rule decoder's base for relative times). */
  nowSec: () => number;
  /** GATEHOUSE_API_KEY_IN_QUERY. */
  apiKeyInQuery: boolean;
  bodyLimit: number;
}

/** Everything a route may be given: the door's services and its guard (credential → caller → permission). */
export interface RouteDeps extends Omit<RestDoorOptions, 'callers' | 'apiKeyInQuery' | 'bodyLimit'> {
  guard: GuardDeps;
}

export type RestScope = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;
