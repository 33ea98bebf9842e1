/**
 * The REST door, `/api/...` (DESIGN.md door 4): Kala-compatible auth (`/api/auth/...`), the
 * permission catalogue, users and protected services, and the web console's resources (me,
 * partners, roles, app tokens, consumers, access control with its simulator, entries, audit). TypeBox schemas on every
 * route (validated with TypeBox's own compiler: no coercion or silent stripping of bodies),
 * answers `{"data": ...}` like Kala, every error as RFC 9457 problem+json from one error map.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { E, fail } from '../../../core/errors/index.js';
import type { ApiKeyService } from '../../../services/api-keys/api-key-service.js';
import type { ApiServiceManager } from '../../../services/api-services/api-service-manager.js';
import type { AccessTokenService } from '../../../services/auth/access-tokens.js';
import type { CallerAuthenticator } from '../../../services/auth/authenticate-caller.js';
import type { AccessControlService } from '../../../services/access-control/access-control-service.js';
import type { AccessSimulator } from '../../../services/access-control/simulate.js';
import type { AppTokenService } from '../../../services/app-tokens/app-token-service.js';
import type { AuditLog } from '../../../services/audit-log.js';
import type { ConsoleIdentity } from '../../../services/console/console-identity.js';
import type { ConsumerService } from '../../../services/consumers/consumer-service.js';
import type { EntryService } from '../../../services/entries/entry-service.js';
import type { PartnerAdministration } from '../../../services/partners/partner-admin.js';
import type { RoleAdministration } from '../../../services/roles/role-admin.js';
import type { UserAdministration } from '../../../services/users/user-admin.js';
import type { GuardDeps } from './guard.js';
import { clientErrorOf, sendProblem } from './problem.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { authRoutes } from './routes/auth.js';
import { accessControlRoutes } from './routes/access-control.js';
import { appTokenRoutes } from './routes/app-tokens.js';
import { auditRoutes } from './routes/audit.js';
import { consumerRoutes } from './routes/consumers.js';
import { entryRoutes } from './routes/entries.js';
import { meRoutes } from './routes/me.js';
import { partnerRoutes } from './routes/partners.js';
import { roleRoutes } from './routes/roles.js';
import { simulateRoutes } from './routes/simulate.js';
import { permissionRoutes } from './routes/permissions.js';
import { serviceRoutes } from './routes/services.js';
import { userRoutes } from './routes/users.js';

export interface RestDoorOptions {
  tokens: AccessTokenService;
  callers: CallerAuthenticator;
  apiKeys: ApiKeyService;
  users: UserAdministration;
  apiServices: ApiServiceManager;
  consoleIdentity: ConsoleIdentity;
  partnerAdmin: PartnerAdministration;
  roles: RoleAdministration;
  appTokens: AppTokenService;
  consumers: ConsumerService;
  accessControl: AccessControlService;
  simulator: AccessSimulator;
  entries: EntryService;
  auditLog: AuditLog;
  /** Unix seconds now (the Kaltura rule decoder's base for relative times). */
  nowSec: () => number;
  /** GATEHOUSE_API_KEY_IN_QUERY. */
  apiKeyInQuery: boolean;
  bodyLimit: number;
}

export type RestScope = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface RouteDeps extends RestDoorOptions {
  guard: GuardDeps;
}

/** Register with `{ prefix: '/api' }`. */
export async function restDoor(app: FastifyInstance, opts: RestDoorOptions): Promise<void> {
  const scope: RestScope = app.withTypeProvider<TypeBoxTypeProvider>();
  scope.setValidatorCompiler(TypeBoxValidatorCompiler);
  scope.decorateRequest('restCaller', null);

  scope.setErrorHandler((err, req, reply) => {
    const known = clientErrorOf(err, opts.bodyLimit);
    if (known && known.def.category !== 'internal') return sendProblem(reply, known);
    // A fault (a catalogue error of the internal category is one too): logged with its stack,
    // answered with the catalogue's generic text under the door's own, correctly spelled code —
    // never Kaltura's INTERNAL_SERVERL_ERROR (sic), which is that door's wire code.
    req.log.error({ err }, 'rest door fault');
    return sendProblem(reply, fail(E.INTERNAL_SERVER_ERROR));
  });
  scope.setNotFoundHandler((req, reply) => {
    // The path only: the query string may hold a key.
    const path = req.url.split('?')[0] ?? '';
    return sendProblem(reply, fail(E.ROUTE_NOT_FOUND, { METHOD: req.method, PATH: path.slice(0, 200) }));
  });

  const deps: RouteDeps = { ...opts, guard: { callers: opts.callers, apiKeyInQuery: opts.apiKeyInQuery } };
  authRoutes(scope, deps);
  apiKeyRoutes(scope, deps);
  permissionRoutes(scope);
  userRoutes(scope, deps);
  serviceRoutes(scope, deps);
  // The web console's resources (console-contract.md).
  meRoutes(scope, deps);
  partnerRoutes(scope, deps);
  roleRoutes(scope, deps);
  appTokenRoutes(scope, deps);
  consumerRoutes(scope, deps);
  accessControlRoutes(scope, deps);
  simulateRoutes(scope, deps);
  entryRoutes(scope, deps);
  auditRoutes(scope, deps);
}

/**
 * For Fastify's `frameworkErrors`: a request the router refused before any door ran (a malformed
 * %-escape in the path) still gets problem+json when it was meant for `/api`.
 */
export function answerRestFrameworkError(url: string, reply: FastifyReply): boolean {
  if (!/^\/api(?:[/?]|$)/.test(url)) return false;
  sendProblem(reply, fail(E.INVALID_REQUEST, { DETAIL: 'the request URL is not valid (bad percent-encoding)' }));
  return true;
}
