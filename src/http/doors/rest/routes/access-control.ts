/**
 * `/api/access-control-profiles`: the partner's profiles with their rules in the Kaltura JSON
 * shapes (what accessControlProfile.add takes and get returns), guarded like the Kaltura door's
 * actions (ACCESS_CONTROL_BASE / _ADD / _UPDATE / _DELETE). Rules that cannot compile are refused
 * with a 400 naming the property (`rules[0].conditions[1].values[0]`).
 */
import { Type, type Static } from 'typebox';
import type { AccessControlProfileInput } from '../../../../services/access-control/access-control-service.js';
import type { AccessControlProfileRecord } from '../../../../services/model.js';
import { callerOf, guard, metaOf } from '../guard.js';
import { decodeKalturaRules, encodeKalturaRules } from '../kaltura-rules.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, iso, listAnswer, ListOf, PageQuery, pageOf, problems, Timestamp } from '../schemas.js';

/**
 * A Kaltura object: `objectType` names the class; the rest are that class's properties. A request
 * may leave `objectType` out where the property's declared class applies (KalturaRule in `rules`).
 */
export const KalturaObject = (name: string, description: string) =>
  Type.Object({ objectType: Type.Optional(Type.String({ description: `e.g. ${name}` })) }, { additionalProperties: true, description });

/** The same in an answer, which always names the class: the Kaltura encoder writes `objectType` on every object. */
export const KalturaAnswerObject = (name: string, description: string) =>
  Type.Object({ objectType: Type.String({ description: `e.g. ${name}` }) }, { additionalProperties: true, description });

const RULE =
  'A KalturaRule: `conditions[]` (KalturaCountryCondition, KalturaIpAddressCondition, KalturaSiteCondition, ...), `actions[]` (KalturaAccessControlBlockAction, ...), `contexts[]` ({objectType: "KalturaContextTypeHolder", type}), `message`, `code`, `stopProcessing`, `forceAdminValidation`.';
export const KalturaRules = Type.Array(KalturaObject('KalturaRule', RULE), { maxItems: 100 });
const KalturaAnswerRules = Type.Array(KalturaAnswerObject('KalturaRule', RULE));

const ProfileSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  systemName: Type.String(),
  description: Type.String(),
  isDefault: Type.Boolean(),
  rules: KalturaAnswerRules,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const editable = {
  name: Type.String({ minLength: 1, maxLength: 128 }),
  systemName: Type.Optional(Type.String({ maxLength: 128 })),
  description: Type.Optional(Type.String({ maxLength: 1024 })),
  isDefault: Type.Optional(Type.Boolean({ description: 'true makes it the partner default (false is ignored: a partner always has one).' })),
  rules: Type.Optional(KalturaRules),
};
const CreateBody = Type.Object(editable, { additionalProperties: false });
const PatchBody = Type.Object({ ...editable, name: Type.Optional(editable.name) }, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const One = Type.Object({ data: ProfileSchema });

function toWire(p: AccessControlProfileRecord): Static<typeof ProfileSchema> {
  return {
    id: p.id,
    name: p.name,
    systemName: p.systemName,
    description: p.description,
    isDefault: p.isDefault,
    rules: encodeKalturaRules(p.rules),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}

function toInput(b: Static<typeof PatchBody>, nowSec: number): AccessControlProfileInput {
  const input: AccessControlProfileInput = {};
  if (b.name !== undefined) input.name = b.name;
  if (b.systemName !== undefined) input.systemName = b.systemName;
  if (b.description !== undefined) input.description = b.description;
  if (b.isDefault !== undefined) input.isDefault = b.isDefault;
  if (b.rules !== undefined) input.rules = decodeKalturaRules(b.rules, nowSec);
  return input;
}

/** What these routes use (handed over by the plugin, nothing more). */
type AccessControlRouteDeps = Pick<RouteDeps, 'accessControl' | 'guard' | 'nowSec'>;

export function accessControlRoutes(scope: RestScope, d: AccessControlRouteDeps): void {
  const common = { tags: ['access control'], security: ANY_CREDENTIAL };

  scope.get(
    '/access-control-profiles',
    { onRequest: guard(d.guard, { permissions: ['ACCESS_CONTROL_BASE', 'KMC_READ_ONLY'] }), schema: { ...common, summary: "The partner's access-control profiles", querystring: PageQuery, response: { 200: ListOf(ProfileSchema), ...problems(400, 401, 403) } } },
    async (req) => {
      const page = pageOf(req.query);
      return listAnswer(await d.accessControl.list(callerOf(req).principal, {}, page), page, toWire);
    },
  );

  scope.get(
    '/access-control-profiles/:id',
    { onRequest: guard(d.guard, { permissions: ['ACCESS_CONTROL_BASE', 'KMC_READ_ONLY'] }), schema: { ...common, summary: 'One profile', params: IdParams, response: { 200: One, ...problems(400, 401, 403, 404) } } },
    async (req) => ({ data: toWire(await d.accessControl.get(callerOf(req).principal, req.params.id)) }),
  );

  scope.post(
    '/access-control-profiles',
    { onRequest: guard(d.guard, { permissions: ['ACCESS_CONTROL_ADD'] }), schema: { ...common, summary: 'Create a profile', body: CreateBody, response: { 201: One, ...problems(400, 401, 403, 409) } } },
    async (req, reply) => {
      const profile = await d.accessControl.add(callerOf(req).principal, toInput(req.body, d.nowSec()), metaOf(req));
      reply.code(201);
      return { data: toWire(profile) };
    },
  );

  scope.patch(
    '/access-control-profiles/:id',
    { onRequest: guard(d.guard, { permissions: ['ACCESS_CONTROL_UPDATE'] }), schema: { ...common, summary: 'Change a profile (`rules` replaces the whole list)', params: IdParams, body: PatchBody, response: { 200: One, ...problems(400, 401, 403, 404, 409) } } },
    async (req) => ({ data: toWire(await d.accessControl.update(callerOf(req).principal, req.params.id, toInput(req.body, d.nowSec()), metaOf(req))) }),
  );

  scope.delete(
    '/access-control-profiles/:id',
    {
      onRequest: guard(d.guard, { permissions: ['ACCESS_CONTROL_DELETE'] }),
      schema: { ...common, summary: 'Delete a profile; its entries move to the partner default (409 for the default itself)', params: IdParams, response: { 204: Type.Null({ description: 'Deleted.' }), ...problems(400, 401, 403, 404, 409) } },
    },
    async (req, reply) => {
      await d.accessControl.delete(callerOf(req).principal, req.params.id, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
