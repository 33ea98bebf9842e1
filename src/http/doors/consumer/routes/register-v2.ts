/**
 * `POST /v2/consumer/{username}/credential/register` (adminutil's RegisterCredentialStepChainV2,
 * which Sunbird calls for `mobile_device`): `request: {key}` (the device's key) answers
 * `{key, token}`, an RS256 token signed by one key of `{username}`'s pool (services/consumers/
 * device-registration.ts). Same callers as v1: a consumer of the registrationGroup, or an admin.
 */
import type { FastifyInstance } from 'fastify';
import { metaOf, registrationCallerOf, registrationGuard } from '../guard.js';
import type { RouteDeps } from '../deps.js';

export function registerV2Route(scope: FastifyInstance, d: RouteDeps): void {
  scope.post<{ Params: { username: string } }>('/:username/credential/register', { preHandler: registrationGuard(d.guard), config: { consumerAction: 'register' } }, async (req, reply) => {
    const { request } = d.read(req);
    const r = await d.devices.registerV2(registrationCallerOf(req), req.params.username, request.key, metaOf(req));
    // The token is the device's bearer credential: not for caches.
    return d.ok(req, reply, { key: r.key, token: r.token }, true);
  });
}
