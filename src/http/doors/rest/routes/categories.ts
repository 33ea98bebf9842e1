/**
 * `/api/categories`: the partner's category tree, the same records and rules as the Kaltura door's
 * `category` service (services/categories/category-service.ts decides who may see and change
 * what), guarded by that service's permissions: CONTENT_MANAGE_EDIT_CATEGORIES to write, the
 * content-management ones to read. The entitlement fields (privacy, privacyContext, owner and the
 * member policies) also need CONTENT_MANAGE_CATEGORY_USERS; without it the service ignores them,
 * as the real server does, and the answer shows what was stored.
 */
import { Type, type Static } from 'typebox';
import type { CategoryInput } from '../../../../services/categories/category-service.js';
import type { Category } from '../../../../services/categories/model.js';
import type { CategoryFilter } from '../../../../services/ports.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, iso, listAnswer, ListOf, Nullable, PageQuery, pageOf, problems, Timestamp } from '../schemas.js';
import { AppearInListWire, ContributionWire, InheritanceWire, JoinPolicyWire, LevelWire, PrivacyWire } from './category-enums.js';

/** Reading categories: any of the Kaltura door's category.list permissions an ADMIN caller can hold. */
export const CATEGORY_READ = ['CONTENT_MANAGE_EDIT_CATEGORIES', 'CONTENT_MANAGE_ASSIGN_CATEGORIES', 'CONTENT_MANAGE_BASE', 'KMC_READ_ONLY'];
const CATEGORY_EDIT = ['CONTENT_MANAGE_EDIT_CATEGORIES'];

export const CategoryIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

const CategorySchema = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer({ description: 'null for a root category.' })),
  name: Type.String(),
  fullName: Type.String({ description: 'Names from the root, joined with `>`.' }),
  fullIds: Type.String({ description: 'Ids from the root, joined with `>`.' }),
  depth: Type.Integer({ description: '0 for a root.' }),
  description: Type.String(),
  tags: Type.String(),
  referenceId: Type.String(),
  moderation: Type.Boolean({ description: 'Entries added by non-moderators wait (pending) when entitlement is enforced.' }),
  privacy: PrivacyWire.schema,
  privacyContext: Nullable(Type.String({ description: 'Its own privacy contexts, comma-separated.' })),
  privacyContexts: Nullable(Type.String({ description: "Its own and its ancestors' contexts, comma-separated." })),
  appearInList: AppearInListWire.schema,
  inheritanceType: InheritanceWire.schema,
  inheritedFromId: Nullable(Type.Integer({ description: 'The category whose members apply (inherit), else null.' })),
  owner: Nullable(Type.String()),
  defaultPermissionLevel: LevelWire.schema,
  userJoinPolicy: JoinPolicyWire.schema,
  contributionPolicy: ContributionWire.schema,
  membersCount: Type.Integer(),
  pendingMembersCount: Type.Integer(),
  entriesCount: Type.Integer({ description: 'Distinct entries in the category and its descendants.' }),
  directEntriesCount: Type.Integer(),
  pendingEntriesCount: Type.Integer(),
  directSubCategoriesCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const editable = {
  name: Type.String({ minLength: 1, maxLength: 200, description: '`<`, `>` and `,` become `_`; unique among siblings (case-insensitive).' }),
  parentId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'null: a root category (on PATCH: move to the root).' }))),
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  tags: Type.Optional(Type.String({ maxLength: 1024 })),
  referenceId: Type.Optional(Type.String({ maxLength: 512 })),
  moderation: Type.Optional(Type.Boolean()),
  privacy: Type.Optional(PrivacyWire.schema),
  privacyContext: Type.Optional(Nullable(Type.String({ maxLength: 255, description: 'Comma-separated, letters and digits, 4+ characters each; null or "" removes them.' }))),
  appearInList: Type.Optional(AppearInListWire.schema),
  inheritanceType: Type.Optional(InheritanceWire.schema),
  owner: Type.Optional(Nullable(Type.String({ maxLength: 320, description: "A user id (created when the partner has none); the owner is the category's manager." }))),
  defaultPermissionLevel: Type.Optional(LevelWire.schema),
  userJoinPolicy: Type.Optional(JoinPolicyWire.schema),
  contributionPolicy: Type.Optional(ContributionWire.schema),
};
const CreateBody = Type.Object(editable, { additionalProperties: false });
const PatchBody = Type.Object({ ...editable, name: Type.Optional(editable.name) }, { additionalProperties: false, minProperties: 1 });
const One = Type.Object({ data: CategorySchema });

const ListQuery = Type.Object({
  ...PageQuery.properties,
  parentId: Type.Optional(Type.Integer({ minimum: 0, maximum: 2147483647, description: 'Direct children of this category; 0 for the roots.' })),
  fullNameStartsWith: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'Whole path segments, case-insensitive: `Courses` is Courses and everything under it.' })),
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Every word in the name, description, tags or reference id.' })),
  privacyContext: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'Categories with this context of their own; `*` for any.' })),
});

const DeleteQuery = Type.Object({
  moveEntriesToParent: Type.Optional(Type.Boolean({ description: "Default true: the subtree's entries are linked to the parent before the subtree goes." })),
});

function toWire(c: Category): Static<typeof CategorySchema> {
  return {
    id: c.id,
    parentId: c.parentId || null,
    name: c.name,
    fullName: c.fullName,
    fullIds: c.fullIds,
    depth: c.depth,
    description: c.description,
    tags: c.tags,
    referenceId: c.referenceId,
    moderation: c.moderation,
    privacy: PrivacyWire.toWire(c.privacy),
    privacyContext: c.privacyContext || null,
    privacyContexts: c.privacyContexts || null,
    appearInList: AppearInListWire.toWire(c.appearInList),
    inheritanceType: InheritanceWire.toWire(c.inheritanceType),
    inheritedFromId: c.membersCategoryId !== c.id ? c.membersCategoryId : null,
    owner: c.owner || null,
    defaultPermissionLevel: LevelWire.toWire(c.defaultPermissionLevel),
    userJoinPolicy: JoinPolicyWire.toWire(c.userJoinPolicy),
    contributionPolicy: ContributionWire.toWire(c.contributionPolicy),
    membersCount: c.membersCount,
    pendingMembersCount: c.pendingMembersCount,
    entriesCount: c.entriesCount,
    directEntriesCount: c.directEntriesCount,
    pendingEntriesCount: c.pendingEntriesCount,
    directSubCategoriesCount: c.directSubCategoriesCount,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

/** Absent leaves a field alone; null clears parent (root), contexts and owner (the service's 0 / ''). */
function toInput(b: Static<typeof PatchBody>): CategoryInput {
  const input: CategoryInput = {};
  if (b.name !== undefined) input.name = b.name;
  if (b.parentId !== undefined) input.parentId = b.parentId ?? 0;
  if (b.description !== undefined) input.description = b.description;
  if (b.tags !== undefined) input.tags = b.tags;
  if (b.referenceId !== undefined) input.referenceId = b.referenceId;
  if (b.moderation !== undefined) input.moderation = b.moderation;
  if (b.privacy !== undefined) input.privacy = PrivacyWire.fromWire(b.privacy);
  if (b.privacyContext !== undefined) input.privacyContext = b.privacyContext ?? '';
  if (b.appearInList !== undefined) input.appearInList = AppearInListWire.fromWire(b.appearInList);
  if (b.inheritanceType !== undefined) input.inheritanceType = InheritanceWire.fromWire(b.inheritanceType);
  if (b.owner !== undefined) input.owner = b.owner ?? '';
  if (b.defaultPermissionLevel !== undefined) input.defaultPermissionLevel = LevelWire.fromWire(b.defaultPermissionLevel);
  if (b.userJoinPolicy !== undefined) input.userJoinPolicy = JoinPolicyWire.fromWire(b.userJoinPolicy);
  if (b.contributionPolicy !== undefined) input.contributionPolicy = ContributionWire.fromWire(b.contributionPolicy);
  return input;
}

/** What these routes use (handed over by the plugin, nothing more). */
type CategoryRouteDeps = Pick<RouteDeps, 'guard' | 'categories'>;

export function categoryRoutes(scope: RestScope, d: CategoryRouteDeps): void {
  const common = { tags: ['categories'], security: ANY_CREDENTIAL };

  scope.get(
    '/categories',
    {
      onRequest: guard(d.guard, { permissions: CATEGORY_READ }),
      schema: { ...common, summary: "The partner's categories, in tree order (by full name)", querystring: ListQuery, response: { 200: ListOf(CategorySchema), ...problems(400, 401, 403) } },
    },
    async (req) => {
      const q = req.query;
      const filter: CategoryFilter = { orderBy: '+fullName' };
      if (q.parentId !== undefined) filter.parentIdEqual = q.parentId;
      if (q.fullNameStartsWith !== undefined) filter.fullNameStartsWith = q.fullNameStartsWith;
      if (q.search !== undefined) filter.freeText = q.search;
      if (q.privacyContext !== undefined) filter.privacyContextEqual = q.privacyContext;
      const page = pageOf(q);
      return listAnswer(await d.categories.list(callerOf(req).principal, filter, page), page, toWire);
    },
  );

  scope.get(
    '/categories/:id',
    { onRequest: guard(d.guard, { permissions: CATEGORY_READ }), schema: { ...common, summary: 'One category', params: CategoryIdParams, response: { 200: One, ...problems(400, 401, 403, 404) } } },
    async (req) => ({ data: toWire(await d.categories.get(callerOf(req).principal, req.params.id)) }),
  );

  scope.post(
    '/categories',
    {
      onRequest: guard(d.guard, { permissions: CATEGORY_EDIT }),
      schema: { ...common, summary: 'Create a category (under `parentId`, or a root)', body: CreateBody, response: { 201: One, ...problems(400, 401, 403, 404, 409) } },
    },
    async (req, reply) => {
      const c = await d.categories.add(callerOf(req).principal, toInput(req.body), metaOf(req));
      reply.code(201);
      return { data: toWire(c) };
    },
  );

  scope.patch(
    '/categories/:id',
    {
      onRequest: guard(d.guard, { permissions: CATEGORY_EDIT }),
      schema: {
        ...common,
        summary: 'Rename, move (`parentId`) or change a category',
        description: 'A move or a context change rewrites the whole subtree (paths, inherited contexts and members).',
        params: CategoryIdParams,
        body: PatchBody,
        response: { 200: One, ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req) => ({ data: toWire(await d.categories.update(callerOf(req).principal, req.params.id, toInput(req.body), metaOf(req))) }),
  );

  scope.delete(
    '/categories/:id',
    {
      onRequest: guard(d.guard, { permissions: CATEGORY_EDIT }),
      schema: {
        ...common,
        summary: 'Delete a category with its descendants',
        description: "Their entry links and memberships go; with `moveEntriesToParent` (the default) the subtree's entries are linked to the parent first.",
        params: CategoryIdParams,
        querystring: DeleteQuery,
        response: { 204: Type.Null({ description: 'Deleted.' }), ...problems(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await d.categories.delete(callerOf(req).principal, req.params.id, req.query.moveEntriesToParent ?? true, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
