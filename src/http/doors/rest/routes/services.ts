/** `/api/services`: the partner's protected upstream APIs (route prefix, methods, access, ACL groups, required permissions). */
import { Type } from 'typebox';
import type { ApiService } from '../../../../services/model.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, iso, PageQuery, pageOf, problems, Timestamp, Uuid, UuidParams } from '../schemas.js';

const Name = Type.String({ minLength: 1, maxLength: 128 });
const RoutePrefix = Type.String({ minLength: 1, maxLength: 512, pattern: '^/', description: "A path prefix starting with '/'; unique per partner. The gateway picks the longest match." });
const Groups = Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' }), { maxItems: 200, description: 'ACL groups allowed to call it (consumers).' });
const Permissions = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100, description: 'Permission names (or Kala UUIDs) an API key needs; stored as names.' });

const Access = Type.Union([Type.Literal('groups'), Type.Literal('authenticated'), Type.Literal('public')], {
  description: "'groups' (default): a consumer sharing an allowed group, an API key with the required permissions; 'authenticated': any credential of the partner; 'public': no credential, at a location pinned to the partner (X-Gatehouse-Partner).",
});
const Methods = Type.Array(Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z]+$' }), { maxItems: 16, description: 'HTTP methods it answers; empty = every method.' });
const Window = Type.Optional(Type.Integer({ minimum: 1 }));
const RateLimits = Type.Union([Type.Object({ second: Window, minute: Window, hour: Window, day: Window, limitBy: Type.Union([Type.Literal('consumer'), Type.Literal('credential'), Type.Literal('ip')]) }, { additionalProperties: false }), Type.Null()], {
  description: "Kong's rate-limiting windows: requests per second, minute, hour and day, counted per consumer, credential or client address (limitBy), aligned to the clock; enforced by /authz/api with 429, Retry-After and X-RateLimit-* headers, shared by the nodes on PostgreSQL. null: no limit of the service's own.",
});

const ServiceSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  routePrefix: Type.String(),
  allowedGroups: Type.Array(Type.String()),
  requiredPermissions: Type.Array(Type.String()),
  access: Access,
  deniedGroups: Type.Array(Type.String()),
  methods: Type.Array(Type.String()),
  rateLimits: RateLimits,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const CreateBody = Type.Object(
  { name: Name, routePrefix: RoutePrefix, allowedGroups: Type.Optional(Groups), requiredPermissions: Type.Optional(Permissions), access: Type.Optional(Access), deniedGroups: Type.Optional(Groups), methods: Type.Optional(Methods), rateLimits: Type.Optional(RateLimits) },
  { additionalProperties: false },
);
const UpdateBody = Type.Object(
  {
    name: Type.Optional(Name),
    routePrefix: Type.Optional(RoutePrefix),
    allowedGroups: Type.Optional(Groups),
    requiredPermissions: Type.Optional(Permissions),
    access: Type.Optional(Access),
    deniedGroups: Type.Optional(Groups),
    methods: Type.Optional(Methods),
    rateLimits: Type.Optional(RateLimits),
  },
  { additionalProperties: false },
);

const One = Type.Object({ data: ServiceSchema });

function toWire(s: ApiService) {
  return {
    id: s.id,
    name: s.name,
    routePrefix: s.routePrefix,
    allowedGroups: s.allowedGroups,
    requiredPermissions: s.requiredPermissions,
    access: s.access,
    deniedGroups: s.deniedGroups,
    methods: s.methods,
    rateLimits: s.rateLimits,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
  };
}

/** What these routes use (handed over by the plugin, nothing more). */
type ServiceRouteDeps = Pick<RouteDeps, 'apiServices' | 'guard'>;

export function serviceRoutes(scope: RestScope, d: ServiceRouteDeps): void {
  const common = { tags: ['services'], security: ANY_CREDENTIAL };
  const rule = { permissions: ['SERVICE_MANAGE'] };

  scope.post(
    '/services',
    { onRequest: guard(d.guard, rule), schema: { ...common, summary: 'Define a protected service', body: CreateBody, response: { 201: One, ...problems(400, 401, 403, 409) } } },
    async (req, reply) => {
      const s = await d.apiServices.create(callerOf(req).principal, req.body, metaOf(req));
      reply.code(201);
      return { data: toWire(s) };
    },
  );

  scope.get(
    '/services',
    { onRequest: guard(d.guard, rule), schema: { ...common, summary: "List the partner's services", querystring: PageQuery, response: { 200: Type.Object({ data: Type.Array(ServiceSchema), totalCount: Type.Integer() }), ...problems(400, 401, 403) } } },
    async (req) => {
      const r = await d.apiServices.list(callerOf(req).principal, pageOf(req.query));
      return { data: r.objects.map(toWire), totalCount: r.totalCount };
    },
  );

  scope.get(
    '/services/:id',
    { onRequest: guard(d.guard, rule), schema: { ...common, summary: 'Read one service', params: UuidParams, response: { 200: One, ...problems(400, 401, 403, 404) } } },
    async (req) => ({ data: toWire(await d.apiServices.get(callerOf(req).principal, req.params.id)) }),
  );

  scope.patch(
    '/services/:id',
    { onRequest: guard(d.guard, rule), schema: { ...common, summary: 'Change a service', params: UuidParams, body: UpdateBody, response: { 200: One, ...problems(400, 401, 403, 404, 409) } } },
    async (req) => ({ data: toWire(await d.apiServices.update(callerOf(req).principal, req.params.id, req.body, metaOf(req))) }),
  );

  scope.delete(
    '/services/:id',
    { onRequest: guard(d.guard, rule), schema: { ...common, summary: 'Delete a service', params: UuidParams, response: { 204: Type.Null({ description: 'Deleted.' }), ...problems(400, 401, 403, 404) } } },
    async (req, reply) => {
      await d.apiServices.delete(callerOf(req).principal, req.params.id, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
