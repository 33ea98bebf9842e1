/**
 * `/api/entries`: the partner's entries (metadata only), so a partner can make test entries and
 * assign access-control profiles and schedules. Guarded by the content-management permissions of
 * the Kaltura door's baseEntry actions (REST callers are ADMIN-typed, so the USER-session
 * permissions that let a viewer edit their own entries there are not accepted here).
 */
import { Type, type Static } from 'typebox';
import type { EntryInput } from '../../../../services/entries/entry-service.js';
import type { Entry } from '../../../../services/model.js';
import type { EntryFilter } from '../../../../services/ports.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, iso, isoOrNull, listAnswer, ListOf, Nullable, PageQuery, pageOf, problems, secondsOf, Timestamp } from '../schemas.js';

const EntrySchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  userId: Type.String(),
  status: Type.Union([Type.Literal('ready'), Type.Literal('deleted')]),
  accessControlId: Nullable(Type.Integer()),
  startDate: Nullable(Timestamp),
  endDate: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const editable = {
  name: Type.String({ minLength: 1, maxLength: 256 }),
  description: Type.Optional(Type.String({ maxLength: 4096 })),
  userId: Type.Optional(Type.String({ minLength: 1, maxLength: 320, description: 'The owner; default: you.' })),
  accessControlId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'null: no profile of its own (the partner default applies).' }))),
  startDate: Type.Optional(Nullable(Timestamp)),
  endDate: Type.Optional(Nullable(Timestamp)),
};
const CreateBody = Type.Object(editable, { additionalProperties: false });
const PatchBody = Type.Object({ ...editable, name: Type.Optional(editable.name) }, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const One = Type.Object({ data: EntrySchema });

const ListQuery = Type.Object({
  ...PageQuery.properties,
  search: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'Name contains, or the id.' })),
  accessControlId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
});

function toWire(e: Entry): Static<typeof EntrySchema> {
  return { id: e.id, name: e.name, description: e.description, userId: e.userId, status: e.status === 3 ? 'deleted' : 'ready', accessControlId: e.accessControlId, startDate: isoOrNull(e.startDate), endDate: isoOrNull(e.endDate), createdAt: iso(e.createdAt), updatedAt: iso(e.updatedAt) };
}

/** null dates and profile clear them (the service's 0 / -1); absent leaves them alone. */
function toInput(b: Static<typeof PatchBody>): EntryInput {
  const input: EntryInput = {};
  if (b.name !== undefined) input.name = b.name;
  if (b.description !== undefined) input.description = b.description;
  if (b.userId !== undefined) input.userId = b.userId;
  if (b.accessControlId !== undefined) input.accessControlId = b.accessControlId ?? -1;
  if (b.startDate !== undefined) input.startDate = b.startDate === null ? -1 : secondsOf(b.startDate, 'startDate');
  if (b.endDate !== undefined) input.endDate = b.endDate === null ? -1 : secondsOf(b.endDate, 'endDate');
  return input;
}

/** What these routes use (handed over by the plugin, nothing more). */
type EntryRouteDeps = Pick<RouteDeps, 'entries' | 'guard'>;

export function entryRoutes(scope: RestScope, d: EntryRouteDeps): void {
  const common = { tags: ['entries'], security: ANY_CREDENTIAL };

  scope.get(
    '/entries',
    { onRequest: guard(d.guard, { permissions: ['CONTENT_MANAGE_BASE', 'KMC_READ_ONLY'] }), schema: { ...common, summary: "The partner's entries", querystring: ListQuery, response: { 200: ListOf(EntrySchema), ...problems(400, 401, 403) } } },
    async (req) => {
      const q = req.query;
      const filter: EntryFilter = { orderBy: '-createdAt' };
      if (q.search) {
        if (/^\d_[0-9a-z]{8}$/.test(q.search)) filter.idEqual = q.search;
        else filter.nameLike = q.search;
      }
      if (q.accessControlId !== undefined) filter.accessControlIdEqual = q.accessControlId;
      const page = pageOf(q);
      return listAnswer(await d.entries.list(callerOf(req).principal, filter, page), page, toWire);
    },
  );

  scope.get(
    '/entries/:id',
    { onRequest: guard(d.guard, { permissions: ['CONTENT_MANAGE_BASE', 'KMC_READ_ONLY'] }), schema: { ...common, summary: 'One entry', params: IdParams, response: { 200: One, ...problems(400, 401, 403, 404) } } },
    async (req) => ({ data: toWire(await d.entries.get(callerOf(req).principal, req.params.id)) }),
  );

  scope.post(
    '/entries',
    { onRequest: guard(d.guard, { permissions: ['CONTENT_INGEST_BASE'] }), schema: { ...common, summary: 'Create an entry (metadata only)', body: CreateBody, response: { 201: One, ...problems(400, 401, 403, 404) } } },
    async (req, reply) => {
      const entry = await d.entries.add(callerOf(req).principal, toInput(req.body), 'media', metaOf(req));
      reply.code(201);
      return { data: toWire(entry) };
    },
  );

  scope.patch(
    '/entries/:id',
    {
      onRequest: guard(d.guard, { permissions: ['CONTENT_MANAGE_EDIT', 'CONTENT_MANAGE_ACCESS_CONTROL', 'CONTENT_MANAGE_SCHEDULE'] }),
      schema: { ...common, summary: "Change an entry's name, profile or schedule", params: IdParams, body: PatchBody, response: { 200: One, ...problems(400, 401, 403, 404) } },
    },
    async (req) => ({ data: toWire(await d.entries.update(callerOf(req).principal, req.params.id, toInput(req.body), 'any', metaOf(req))) }),
  );
}
