/**
 * `/api/categories/{id}/entries`: the entries put directly into a category, the Kaltura door's
 * `categoryEntry` service in plain JSON (services/categories/category-entry-service.ts keeps the
 * counters exact and decides who may link what), guarded like it: CONTENT_MANAGE_ASSIGN_CATEGORIES
 * to link and unlink, the content-management read permissions to list. `/api/entries/{id}/categories`
 * is the same list seen from the entry (the console's entries page), with each category's full name.
 */
import { Type, type Static } from 'typebox';
import type { CategoryLink } from '../../../../services/categories/model.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, iso, listAnswer, ListOf, Nullable, PageQuery, pageOf, problems, Timestamp } from '../schemas.js';
import { CategoryIdParams } from './categories.js';
import { LinkStatusWire } from './category-enums.js';

const ASSIGN = ['CONTENT_MANAGE_ASSIGN_CATEGORIES'];
const READ = ['CONTENT_MANAGE_ASSIGN_CATEGORIES', 'CONTENT_MANAGE_BASE', 'KMC_READ_ONLY'];
const EntryId = Type.String({ minLength: 1, maxLength: 64 });

const LinkSchema = Type.Object({
  categoryId: Type.Integer(),
  entryId: Type.String(),
  status: LinkStatusWire.schema,
  categoryFullIds: Type.String(),
  creatorUserId: Nullable(Type.String()),
  createdAt: Timestamp,
});
const One = Type.Object({ data: LinkSchema });
const EntryLinkSchema = Type.Object({ ...LinkSchema.properties, categoryFullName: Type.String({ description: 'The category\'s names from the root, joined with `>`.' }) });
const EntryParams = Type.Object({ id: EntryId });
const LinkParams = Type.Object({ ...CategoryIdParams.properties, entryId: EntryId });
const AddBody = Type.Object({ entryId: EntryId }, { additionalProperties: false });

function toWire(l: CategoryLink): Static<typeof LinkSchema> {
  return { categoryId: l.categoryId, entryId: l.entryId, status: LinkStatusWire.toWire(l.status), categoryFullIds: l.categoryFullIds, creatorUserId: l.creatorUserId || null, createdAt: iso(l.createdAt) };
}

/** What these routes use (handed over by the plugin, nothing more). */
type CategoryEntryRouteDeps = Pick<RouteDeps, 'guard' | 'categories' | 'categoryEntries' | 'entries'>;

export function categoryEntryRoutes(scope: RestScope, d: CategoryEntryRouteDeps): void {
  const common = { tags: ['categories'], security: ANY_CREDENTIAL };

  scope.get(
    '/categories/:id/entries',
    {
      onRequest: guard(d.guard, { permissions: READ }),
      schema: { ...common, summary: "The entries put directly into a category (newest first)", params: CategoryIdParams, querystring: PageQuery, response: { 200: ListOf(LinkSchema), ...problems(400, 401, 403, 404) } },
    },
    async (req) => {
      const p = callerOf(req).principal;
      // The link list alone answers an unknown category with an empty page; REST says 404.
      await d.categories.get(p, req.params.id);
      const page = pageOf(req.query);
      return listAnswer(await d.categoryEntries.list(p, { categoryIdEqual: req.params.id, orderBy: '-createdAt' }, page), page, toWire);
    },
  );

  scope.get(
    '/entries/:id/categories',
    {
      onRequest: guard(d.guard, { permissions: READ }),
      schema: { ...common, summary: 'The categories an entry is in (newest link first)', params: EntryParams, querystring: PageQuery, response: { 200: ListOf(EntryLinkSchema), ...problems(400, 401, 403, 404) } },
    },
    async (req) => {
      const p = callerOf(req).principal;
      // An unknown entry is 404 (ENTRY_ID_NOT_FOUND), not an empty page, as GET /api/entries/{id}.
      await d.entries.get(p, req.params.id);
      const page = pageOf(req.query);
      const links = await d.categoryEntries.list(p, { entryIdEqual: req.params.id, orderBy: '-createdAt' }, page);
      // An entry is in at most MAX_CATEGORIES_PER_ENTRY categories: one query names them all.
      const ids = [...new Set(links.objects.map((l) => l.categoryId))];
      const cats = ids.length ? (await d.categories.list(p, { idIn: ids }, { pageIndex: 1, pageSize: ids.length })).objects : [];
      const names = new Map(cats.map((c) => [c.id, c.fullName]));
      return listAnswer(links, page, (l) => ({ ...toWire(l), categoryFullName: names.get(l.categoryId) ?? l.categoryFullIds }));
    },
  );

  scope.post(
    '/categories/:id/entries',
    {
      onRequest: guard(d.guard, { permissions: ASSIGN }),
      schema: { ...common, summary: 'Put an entry into a category', params: CategoryIdParams, body: AddBody, response: { 201: One, ...problems(400, 401, 403, 404, 409) } },
    },
    async (req, reply) => {
      const link = await d.categoryEntries.add(callerOf(req).principal, req.params.id, req.body.entryId, metaOf(req));
      reply.code(201);
      return { data: toWire(link) };
    },
  );

  scope.delete(
    '/categories/:id/entries/:entryId',
    {
      onRequest: guard(d.guard, { permissions: ASSIGN }),
      schema: { ...common, summary: 'Take an entry out of a category', params: LinkParams, response: { 204: Type.Null({ description: 'Removed.' }), ...problems(400, 401, 403, 404) } },
    },
    async (req, reply) => {
      await d.categoryEntries.delete(callerOf(req).principal, req.params.entryId, req.params.id, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
