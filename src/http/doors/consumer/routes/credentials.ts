/**
 * `{username}/credential/register`, `credential/deprecate` and `{username}/credential/rotate`
 * (`/v2/.../credential/register` is ./register-v2.ts).
 * Register and rotate take `request: {key?, algorithm?, publicKey?}` (`kid` is accepted as another
 * name for `key`: for a kid-signing client the credential key is the kid) and answer
 * `{key, secret, username, algorithm}`, the secret (HS256 only, else "") shown only there.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { E, fail } from '../../../../core/errors/index.js';
import type { ConsumerCredential } from '../../../../services/model.js';
import type { CredentialInput } from '../../../../services/consumers/new-credential.js';
import { adminGuard, adminOf, credentialOf, metaOf, registrationCallerOf, registrationGuard, rotationGuard } from '../guard.js';
import type { RouteDeps } from '../deps.js';

type UsernameParams = { Params: { username: string } };

function credentialInput(request: Record<string, unknown>): CredentialInput {
  const { key, kid, algorithm, publicKey } = request;
  if (key !== undefined && kid !== undefined && key !== kid) throw fail(E.BAD_REQUEST, { DETAIL: 'KEY AND KID DIFFER; SEND ONE' });
  return { key: key ?? kid, algorithm, publicKey };
}

function result(c: ConsumerCredential, username: string): Record<string, unknown> {
  return { key: c.key, secret: c.secret ?? '', username, algorithm: c.algorithm };
}

export function credentialRoutes(scope: FastifyInstance, d: RouteDeps): void {
  // An admin for any consumer, or a consumer token for a device consumer whose registrationGroup
  // its consumer holds (issue 19); a device's known key gets a new secret.
  scope.post<UsernameParams>('/:username/credential/register', { preHandler: registrationGuard(d.guard), config: { consumerAction: 'register' } }, async (req, reply) => {
    const { request } = d.read(req);
    const c = await d.devices.registerV1(registrationCallerOf(req), req.params.username, credentialInput(request), metaOf(req));
    return d.ok(req, reply, result(c, req.params.username), true);
  });

  // `request: {key, expiresIn?}`: refused at the gateway from now on; rotation only, until the hard expiry.
  scope.post('/credential/deprecate', { preHandler: adminGuard(d.guard), config: { consumerAction: 'deprecate' } }, async (req: FastifyRequest, reply) => {
    const { request } = d.read(req);
    const c = await d.consumers.deprecate(adminOf(req).principal, request.key, request.expiresIn, metaOf(req));
    return d.ok(req, reply, { key: c.key, deprecatedAt: c.deprecatedAt, expiresAt: c.expiresAt });
  });

  // Authenticated by the consumer's own deprecated credential (a JWT it signs), not by an admin.
  scope.post<UsernameParams>('/:username/credential/rotate', { preHandler: rotationGuard(d.guard), config: { consumerAction: 'rotate' } }, async (req, reply) => {
    const { request } = d.read(req);
    const c = await d.consumers.rotate(credentialOf(req), req.params.username, credentialInput(request), metaOf(req));
    return d.ok(req, reply, result(c, req.params.username), true);
  });
}
