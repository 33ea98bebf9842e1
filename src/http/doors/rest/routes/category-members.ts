/**
 * `/api/categories/{id}/members`: a category's members, the Kaltura door's `categoryUser` service
 * in plain JSON (services/categories/membership-service.ts decides who may change whom), guarded
 * like it: CONTENT_MANAGE_ASSIGN_CATEGORIES, and KMC_READ_ONLY to read. A category that inherits
 * its members answers with those of the category it inherits from, and refuses changes (409
 * CATEGORY_INHERIT_MEMBERS): they are made there.
 */
import { Type, type Static } from 'typebox';
import type { MemberView } from '../../../../services/categories/membership-service.js';
import { UpdateMethod } from '../../../../services/categories/model.js';
import type { MembershipFilter } from '../../../../services/ports.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, iso, listAnswer, ListOf, PageQuery, pageOf, problems, Timestamp } from '../schemas.js';
import { CategoryIdParams } from './categories.js';
import { LevelWire, MemberStatusWire } from './category-enums.js';

const ASSIGN = ['CONTENT_MANAGE_ASSIGN_CATEGORIES'];
const UserId = Type.String({ minLength: 1, maxLength: 320, description: "The partner's user id." });

const MemberSchema = Type.Object({
  categoryId: Type.Integer({ description: 'The category that holds the membership (for an inheriting category: the one it inherits from).' }),
  userId: Type.String(),
  permissionLevel: LevelWire.schema,
  permissionNames: Type.Array(Type.String(), { description: 'CATEGORY_EDIT, CATEGORY_MODERATE, CATEGORY_CONTRIBUTE, CATEGORY_VIEW, as the level grants.' }),
  status: MemberStatusWire.schema,
  updateMethod: Type.Union([Type.Literal('manual'), Type.Literal('automatic')]),
  categoryFullIds: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
const One = Type.Object({ data: MemberSchema });
const MemberParams = Type.Object({ ...CategoryIdParams.properties, userId: UserId });

const ListQuery = Type.Object({
  ...PageQuery.properties,
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'User id contains.' })),
  status: Type.Optional(MemberStatusWire.schema),
});
const AddBody = Type.Object(
  { userId: UserId, permissionLevel: Type.Optional(LevelWire.schema) },
  { additionalProperties: false, description: "Without permissionLevel the member gets the category's default level." },
);
const PatchBody = Type.Object(
  {
    permissionLevel: Type.Optional(LevelWire.schema),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('notActive')], { description: 'active approves a pending member or re-activates one; notActive suspends.' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

function toWire(m: MemberView): Static<typeof MemberSchema> {
  return {
    categoryId: m.categoryId,
    userId: m.userId,
    permissionLevel: LevelWire.toWire(m.permissionLevel),
    permissionNames: m.permissionNames,
    status: MemberStatusWire.toWire(m.status),
    updateMethod: m.updateMethod === UpdateMethod.AUTOMATIC ? 'automatic' : 'manual',
    categoryFullIds: m.categoryFullIds,
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
  };
}

/** What these routes use (handed over by the plugin, nothing more). */
type MemberRouteDeps = Pick<RouteDeps, 'guard' | 'categories' | 'categoryUsers'>;

export function categoryMemberRoutes(scope: RestScope, d: MemberRouteDeps): void {
  const common = { tags: ['categories'], security: ANY_CREDENTIAL };

  scope.get(
    '/categories/:id/members',
    {
      onRequest: guard(d.guard, { permissions: [...ASSIGN, 'KMC_READ_ONLY'] }),
      schema: { ...common, summary: "A category's members", params: CategoryIdParams, querystring: ListQuery, response: { 200: ListOf(MemberSchema), ...problems(400, 401, 403, 404) } },
    },
    async (req) => {
      const p = callerOf(req).principal;
      // The membership list alone answers an unknown category with an empty page; REST says 404.
      await d.categories.get(p, req.params.id);
      const filter: MembershipFilter = { categoryIdEqual: req.params.id };
      if (req.query.search !== undefined) filter.freeText = req.query.search;
      if (req.query.status !== undefined) filter.statusEqual = MemberStatusWire.fromWire(req.query.status);
      const page = pageOf(req.query);
      return listAnswer(await d.categoryUsers.list(p, filter, page), page, toWire);
    },
  );

  scope.post(
    '/categories/:id/members',
    {
      onRequest: guard(d.guard, { permissions: ASSIGN }),
      schema: { ...common, summary: 'Add a member (the user is created when the partner has none of that id)', params: CategoryIdParams, body: AddBody, response: { 201: One, ...problems(400, 401, 403, 404, 409) } },
    },
    async (req, reply) => {
      const level = req.body.permissionLevel === undefined ? null : LevelWire.fromWire(req.body.permissionLevel);
      const m = await d.categoryUsers.add(callerOf(req).principal, req.params.id, req.body.userId, { permissionLevel: level }, metaOf(req));
      reply.code(201);
      return { data: toWire(m) };
    },
  );

  scope.patch(
    '/categories/:id/members/:userId',
    {
      onRequest: guard(d.guard, { permissions: ASSIGN }),
      schema: { ...common, summary: "Change a member's level or status", params: MemberParams, body: PatchBody, response: { 200: One, ...problems(400, 401, 403, 404, 409) } },
    },
    async (req) => {
      const p = callerOf(req).principal;
      const { id, userId } = req.params;
      let m: MemberView | undefined;
      // A person's explicit change: it overrides a manual membership (Kaltura's `override`), which
      // only protects manual changes from automatic group syncs.
      if (req.body.permissionLevel !== undefined) m = await d.categoryUsers.update(p, id, userId, { permissionLevel: LevelWire.fromWire(req.body.permissionLevel) }, true, metaOf(req));
      if (req.body.status === 'active') m = await d.categoryUsers.activate(p, id, userId, metaOf(req));
      if (req.body.status === 'notActive') m = await d.categoryUsers.deactivate(p, id, userId, metaOf(req));
      return { data: toWire(m!) };
    },
  );

  scope.delete(
    '/categories/:id/members/:userId',
    {
      onRequest: guard(d.guard, { permissions: ASSIGN }),
      schema: { ...common, summary: 'Remove a member (not the owner: change the owner first)', params: MemberParams, response: { 204: Type.Null({ description: 'Removed.' }), ...problems(400, 401, 403, 404, 409) } },
    },
    async (req, reply) => {
      await d.categoryUsers.delete(callerOf(req).principal, req.params.id, req.params.userId, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
