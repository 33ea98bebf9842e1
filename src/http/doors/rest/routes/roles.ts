/**
 * `/api/roles`: the partner's roles plus the global built-in ones (read only), guarded like the
 * Kaltura door's `userRole` actions (ADMIN_BASE to read, ADMIN_ROLE_ADD / _UPDATE / _DELETE).
 */
import { Type, type Static } from 'typebox';
import { RoleStatus, SystemPartner, type Role } from '../../../../services/model.js';
import type { RoleInput } from '../../../../services/roles/role-service.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, iso, listAnswer, ListOf, PageQuery, pageOf, problems, Timestamp } from '../schemas.js';

const Status = Type.Union([Type.Literal('active'), Type.Literal('blocked')]);
const PermissionName = Type.String({ minLength: 1, maxLength: 64, pattern: '^(\\*|[A-Z0-9_]+)$', description: 'A catalogue name (GET /api/permissions), or `*` for everything in the partner.' });

const RoleSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  systemName: Type.String(),
  description: Type.String(),
  permissions: Type.Array(Type.String()),
  partnerId: Type.Integer(),
  builtIn: Type.Boolean({ description: 'A global role shared by every partner: read only.' }),
  status: Status,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const fields = {
  name: Type.String({ minLength: 1, maxLength: 128 }),
  systemName: Type.Optional(Type.String({ maxLength: 128 })),
  description: Type.Optional(Type.String({ maxLength: 1024 })),
  permissions: Type.Array(PermissionName, { maxItems: 200 }),
  status: Type.Optional(Status),
};
const CreateBody = Type.Object(fields, { additionalProperties: false });
const PatchBody = Type.Object({ ...fields, name: Type.Optional(fields.name), permissions: Type.Optional(fields.permissions) }, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const One = Type.Object({ data: RoleSchema });

function toWire(r: Role): Static<typeof RoleSchema> {
  return {
    id: r.id,
    name: r.name,
    systemName: r.systemName,
    description: r.description,
    permissions: r.permissionNames.split(',').map((s) => s.trim()).filter(Boolean),
    partnerId: r.partnerId,
    builtIn: r.partnerId === SystemPartner.GLOBAL,
    status: r.status === RoleStatus.ACTIVE ? 'active' : 'blocked',
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

function toInput(b: Static<typeof PatchBody>): RoleInput {
  const input: RoleInput = {};
  if (b.name !== undefined) input.name = b.name;
  if (b.systemName !== undefined) input.systemName = b.systemName;
  if (b.description !== undefined) input.description = b.description;
  if (b.permissions !== undefined) input.permissionNames = b.permissions.join(',');
  if (b.status !== undefined) input.status = b.status === 'active' ? RoleStatus.ACTIVE : RoleStatus.BLOCKED;
  return input;
}

/** What these routes use (handed over by the plugin, nothing more). */
type RoleRouteDeps = Pick<RouteDeps, 'guard' | 'roles'>;

export function roleRoutes(scope: RestScope, d: RoleRouteDeps): void {
  const common = { tags: ['roles'], security: ANY_CREDENTIAL };

  scope.get(
    '/roles',
    { onRequest: guard(d.guard, { permissions: ['ADMIN_BASE', 'KMC_READ_ONLY', 'ACCOUNT_BASE'] }), schema: { ...common, summary: "The partner's roles and the global built-in ones", querystring: PageQuery, response: { 200: ListOf(RoleSchema), ...problems(400, 401, 403) } } },
    async (req) => {
      const page = pageOf(req.query);
      return listAnswer(await d.roles.list(callerOf(req).principal, {}, page), page, toWire);
    },
  );

  scope.get(
    '/roles/:id',
    { onRequest: guard(d.guard, { permissions: ['ADMIN_BASE', 'KMC_READ_ONLY', 'ACCOUNT_BASE'] }), schema: { ...common, summary: 'One role', params: IdParams, response: { 200: One, ...problems(400, 401, 403, 404) } } },
    async (req) => ({ data: toWire(await d.roles.get(callerOf(req).principal, req.params.id)) }),
  );

  scope.post(
    '/roles',
    { onRequest: guard(d.guard, { permissions: ['ADMIN_ROLE_ADD'] }), schema: { ...common, summary: 'Create a role (only with permissions you hold)', body: CreateBody, response: { 201: One, ...problems(400, 401, 403, 409) } } },
    async (req, reply) => {
      const role = await d.roles.add(callerOf(req).principal, toInput(req.body), metaOf(req));
      reply.code(201);
      return { data: toWire(role) };
    },
  );

  scope.patch(
    '/roles/:id',
    { onRequest: guard(d.guard, { permissions: ['ADMIN_ROLE_UPDATE'] }), schema: { ...common, summary: 'Change a role (live sessions follow at once)', params: IdParams, body: PatchBody, response: { 200: One, ...problems(400, 401, 403, 404, 409) } } },
    async (req) => ({ data: toWire(await d.roles.update(callerOf(req).principal, req.params.id, toInput(req.body), metaOf(req))) }),
  );

  scope.delete(
    '/roles/:id',
    { onRequest: guard(d.guard, { permissions: ['ADMIN_ROLE_DELETE'] }), schema: { ...common, summary: 'Delete a role no user has', params: IdParams, response: { 204: Type.Null({ description: 'Deleted.' }), ...problems(400, 401, 403, 404, 409) } } },
    async (req, reply) => {
      await d.roles.delete(callerOf(req).principal, req.params.id, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
