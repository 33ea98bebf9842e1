/**
 * The REST door, `/api/...` (DESIGN.md door 4): Kala-compatible auth (`/api/auth/...`), the
 * permission catalogue, users and protected services, and the web console's resources (me,
 * partners, roles, app tokens, consumers, access control with its simulator, entries, categories, audit). TypeBox schemas on every
 * route (validated with TypeBox's own compiler: no coercion or silent stripping of bodies),
 * answers `{"data": ...}` like Kala, every error as RFC 9457 problem+json from one error map.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { E, fail } from '../../../core/errors/index.js';
import type { RestDoorOptions, RestScope } from './deps.js';
import type { GuardDeps } from './guard.js';
import { clientErrorOf, sendProblem } from './problem.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { authRoutes } from './routes/auth.js';
import { accessControlRoutes } from './routes/access-control.js';
import { appTokenRoutes } from './routes/app-tokens.js';
import { auditRoutes } from './routes/audit.js';
import { mePasswordRoutes } from './routes/me-password.js';
import { categoryRoutes } from './routes/categories.js';
import { categoryEntryRoutes } from './routes/category-entries.js';
import { categoryMemberRoutes } from './routes/category-members.js';
import { consumerRoutes } from './routes/consumers.js';
import { entryRoutes } from './routes/entries.js';
import { meRoutes } from './routes/me.js';
import { partnerRoutes } from './routes/partners.js';
import { roleRoutes } from './routes/roles.js';
import { simulateRoutes } from './routes/simulate.js';
import { permissionRoutes } from './routes/permissions.js';
import { serviceRoutes } from './routes/services.js';
import { importRoutes } from './routes/import.js';
import { userRoutes } from './routes/users.js';
import { twoFactorRoutes } from './routes/two-factor.js';
import { identityProviderRoutes } from './routes/identity-providers.js';
import { ssoRoutes } from './routes/sso.js';

/** Register with `{ prefix: '/api' }`. */
export async function restDoor(app: FastifyInstance, opts: RestDoorOptions): Promise<void> {
  const scope: RestScope = app.withTypeProvider<TypeBoxTypeProvider>();
  scope.setValidatorCompiler(TypeBoxValidatorCompiler);
  scope.decorateRequest('restCaller', null);
  scope.decorateRequest('twoFactorEnrolling', null);

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

  // Each route module gets exactly the services it calls (its deps type says which).
  const guard: GuardDeps = { callers: opts.callers, apiKeyInQuery: opts.apiKeyInQuery };
  authRoutes(scope, { tokens: opts.tokens });
  apiKeyRoutes(scope, { guard, apiKeys: opts.apiKeys });
  permissionRoutes(scope);
  userRoutes(scope, { guard, users: opts.users });
  serviceRoutes(scope, { guard, apiServices: opts.apiServices });
  importRoutes(scope, { guard, kongImport: opts.kongImport });
  // The web console's resources (console-contract.md).
  meRoutes(scope, { guard, consoleIdentity: opts.consoleIdentity, tokens: opts.tokens });
  twoFactorRoutes(scope, { guard, tokens: opts.tokens, twoFactor: opts.twoFactor });
  partnerRoutes(scope, { guard, partnerAdmin: opts.partnerAdmin });
  roleRoutes(scope, { guard, roles: opts.roles });
  appTokenRoutes(scope, { guard, appTokens: opts.appTokens });
  consumerRoutes(scope, { guard, consumers: opts.consumers });
  accessControlRoutes(scope, { guard, accessControl: opts.accessControl, nowSec: opts.nowSec });
  simulateRoutes(scope, { guard, simulator: opts.simulator, nowSec: opts.nowSec });
  entryRoutes(scope, { guard, entries: opts.entries });
  categoryRoutes(scope, { guard, categories: opts.categories });
  categoryMemberRoutes(scope, { guard, categories: opts.categories, categoryUsers: opts.categoryUsers });
  categoryEntryRoutes(scope, { guard, categories: opts.categories, categoryEntries: opts.categoryEntries, entries: opts.entries });
  auditRoutes(scope, { guard, auditLog: opts.auditLog });
  mePasswordRoutes(scope, { guard, loginData: opts.loginData, auditLog: opts.auditLog });
  // Single sign-on: the partner's identity providers, and the browser's sign-in through them.
  identityProviderRoutes(scope, { guard, identityProviders: opts.identityProviders, sso: opts.sso });
  ssoRoutes(scope, { sso: opts.sso, publicUrl: opts.publicUrl });
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
