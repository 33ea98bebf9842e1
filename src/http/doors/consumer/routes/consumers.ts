/** `create`, `{username}/grant`, `{username}/read`, `{username}/delete` (Sunbird adminutil; delete as documented). */
import type { FastifyInstance } from 'fastify';
import { adminGuard, adminOf, metaOf } from '../guard.js';
import type { RouteDeps } from '../deps.js';

type UsernameParams = { Params: { username: string } };

export function consumerRoutes(scope: FastifyInstance, d: RouteDeps): void {
  const preHandler = adminGuard(d.guard);

  // → {key, secret, username}: the consumer's first HS256 credential; the secret is shown only here.
  scope.post('/create', { preHandler, config: { consumerAction: 'create' } }, async (req, reply) => {
    const { request } = d.read(req);
    const { consumer, credential } = await d.consumers.create(adminOf(req).principal, request.username, metaOf(req));
    return d.ok(req, reply, { key: credential.key, secret: credential.secret, username: consumer.username }, true);
  });

  // Replaces the group set with `request.groups` → {groups, username}.
  scope.post<UsernameParams>('/:username/grant', { preHandler, config: { consumerAction: 'grant' } }, async (req, reply) => {
    const { request } = d.read(req);
    const consumer = await d.consumers.grant(adminOf(req).principal, req.params.username, request.groups, metaOf(req));
    return d.ok(req, reply, { groups: consumer.groups, username: consumer.username });
  });

  scope.post<UsernameParams>('/:username/read', { preHandler, config: { consumerAction: 'read' } }, async (req, reply) => {
    d.read(req);
    const consumer = await d.consumers.read(adminOf(req).principal, req.params.username);
    return d.ok(req, reply, { username: consumer.username, groups: consumer.groups });
  });

  // Documented by Sunbird, never built there: the envelope only, with an empty result.
  scope.post<UsernameParams>('/:username/delete', { preHandler, config: { consumerAction: 'delete' } }, async (req, reply) => {
    d.read(req);
    await d.consumers.delete(adminOf(req).principal, req.params.username, metaOf(req));
    return d.ok(req, reply, {});
  });
}
