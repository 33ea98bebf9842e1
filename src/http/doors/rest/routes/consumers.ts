/**
 * `/api/consumers`: the partner's API consumers as plain JSON, over the same service (and the
 * same rules, audit and cache invalidation) as the Sunbird-shaped consumer door `/v1/consumer`.
 * Guarded by CONSUMER_MANAGE, as there. Secrets appear only in the answers that create them.
 */
import { Type, type Static } from 'typebox';
import type { Consumer, ConsumerCredential } from '../../../../services/model.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, iso, isoOrNull, listAnswer, ListOf, Nullable, PageQuery, pageOf, problems, Timestamp } from '../schemas.js';

const Username = Type.String({ minLength: 1, maxLength: 256 });
const Algorithm = Type.Union([Type.Literal('HS256'), Type.Literal('RS256'), Type.Literal('ES256')]);

const Registration = {
  registrationGroup: Nullable(Type.String({ description: 'Set: a device consumer; consumers holding this group may register credentials for it (`/v1` and `/v2` `consumer/{username}/credential/register`).' })),
  credentialLifetime: Nullable(Type.Integer({ description: 'Seconds a device credential lives from its (re)registration; null: no expiry.' })),
  registrationRateLimit: Nullable(Type.Integer({ description: 'Registrations per minute one caller may make for this consumer; null: 60.' })),
};
const ConsumerSchema = Type.Object({ username: Type.String(), groups: Type.Array(Type.String()), createdAt: Timestamp, updatedAt: Timestamp, ...Registration });
const CredentialSchema = Type.Object({
  key: Type.String(),
  algorithm: Algorithm,
  status: Type.Union([Type.Literal('active'), Type.Literal('deprecated')], { description: 'Deprecated: refused at the gateway, accepted only by rotation until `expiresAt`.' }),
  deprecatedAt: Nullable(Timestamp),
  expiresAt: Nullable(Timestamp),
  createdAt: Timestamp,
  kind: Type.Union([Type.Literal('standard'), Type.Literal('device'), Type.Literal('pool')], { description: 'device: self-registered; pool: a key of the signing pool (gatehouse consumer key-pool).' }),
});
const ConsumerDetail = Type.Object({
  username: Type.String(),
  groups: Type.Array(Type.String()),
  credentials: Type.Array(CredentialSchema, { description: "A device consumer's self-registered credentials are counted in deviceCredentials, not listed." }),
  deviceCredentials: Type.Integer({ description: 'Self-registered device credentials (device consumers; 0 otherwise).' }),
});
const NewCredential = Type.Object({
  username: Type.String(),
  key: Type.String(),
  secret: Nullable(Type.String({ description: 'HS256 signing secret, shown once; null for RS256/ES256 (you keep the private key).' })),
  algorithm: Algorithm,
});
const UsernameParams = Type.Object({ username: Username });

const consumerToWire = (c: Consumer): Static<typeof ConsumerSchema> => ({
  username: c.username,
  groups: c.groups,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
  registrationGroup: c.registrationGroup ?? null,
  credentialLifetime: c.credentialLifetime ?? null,
  registrationRateLimit: c.registrationRateLimit ?? null,
});
const credentialToWire = (c: ConsumerCredential): Static<typeof CredentialSchema> => ({
  key: c.key,
  algorithm: c.algorithm,
  status: c.deprecatedAt === null ? 'active' : 'deprecated',
  deprecatedAt: isoOrNull(c.deprecatedAt),
  expiresAt: isoOrNull(c.expiresAt),
  createdAt: iso(c.createdAt),
  kind: c.kind ?? 'standard',
});

/** What these routes use (handed over by the plugin, nothing more). */
type ConsumerRouteDeps = Pick<RouteDeps, 'consumers' | 'guard'>;

export function consumerRoutes(scope: RestScope, d: ConsumerRouteDeps): void {
  const common = { tags: ['consumers'], security: ANY_CREDENTIAL };
  const onRequest = guard(d.guard, { permissions: ['CONSUMER_MANAGE'] });

  scope.get(
    '/consumers',
    { onRequest, schema: { ...common, summary: "The partner's API consumers", querystring: Type.Object({ ...PageQuery.properties, search: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) }), response: { 200: ListOf(ConsumerSchema), ...problems(400, 401, 403) } } },
    async (req) => {
      const page = pageOf(req.query);
      return listAnswer(await d.consumers.list(callerOf(req).principal, page, req.query.search), page, consumerToWire);
    },
  );

  scope.post(
    '/consumers',
    {
      onRequest,
      schema: { ...common, summary: 'Create a consumer with one HS256 credential (secret shown once)', body: Type.Object({ username: Username }, { additionalProperties: false }), response: { 201: Type.Object({ data: Type.Object({ username: Type.String(), key: Type.String(), secret: Type.String() }) }), ...problems(400, 401, 403, 409) } },
    },
    async (req, reply) => {
      const { consumer, credential } = await d.consumers.create(callerOf(req).principal, req.body.username, metaOf(req));
      reply.header('cache-control', 'no-store').code(201);
      return { data: { username: consumer.username, key: credential.key, secret: credential.secret ?? '' } };
    },
  );

  scope.get(
    '/consumers/:username',
    { onRequest, schema: { ...common, summary: 'One consumer with its credentials (never their secrets)', params: UsernameParams, response: { 200: Type.Object({ data: ConsumerDetail }), ...problems(400, 401, 403, 404) } } },
    async (req) => {
      const r = await d.consumers.withCredentials(callerOf(req).principal, req.params.username);
      return { data: { username: r.consumer.username, groups: r.consumer.groups, credentials: r.credentials.map(credentialToWire), deviceCredentials: r.deviceCredentials } };
    },
  );

  scope.put(
    '/consumers/:username/groups',
    {
      onRequest,
      schema: { ...common, summary: "Replace the consumer's ACL groups", params: UsernameParams, body: Type.Object({ groups: Type.Array(Type.String(), { maxItems: 200 }) }, { additionalProperties: false }), response: { 200: Type.Object({ data: ConsumerSchema }), ...problems(400, 401, 403, 404) } },
    },
    async (req) => ({ data: consumerToWire(await d.consumers.grant(callerOf(req).principal, req.params.username, req.body.groups, metaOf(req))) }),
  );

  scope.patch(
    '/consumers/:username',
    {
      onRequest,
      schema: {
        ...common,
        summary: "Set the consumer's device-registration settings (absent fields keep their value)",
        params: UsernameParams,
        body: Type.Object({ registrationGroup: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 256 }))), credentialLifetime: Type.Optional(Nullable(Type.Integer())), registrationRateLimit: Type.Optional(Nullable(Type.Integer())) }, { additionalProperties: false }),
        response: { 200: Type.Object({ data: ConsumerSchema }), ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => ({ data: consumerToWire(await d.consumers.configure(callerOf(req).principal, req.params.username, req.body, metaOf(req))) }),
  );

  scope.post(
    '/consumers/:username/credentials',
    {
      onRequest,
      schema: {
        ...common,
        summary: 'Add a credential: HS256 (generated secret, shown once) or RS256/ES256 around your public key',
        params: UsernameParams,
        body: Type.Object({ algorithm: Type.Optional(Algorithm), publicKey: Type.Optional(Type.String({ maxLength: 16384 })), key: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ data: NewCredential }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const c = await d.consumers.register(callerOf(req).principal, req.params.username, req.body, metaOf(req));
      reply.header('cache-control', 'no-store').code(201);
      return { data: { username: req.params.username, key: c.key, secret: c.secret, algorithm: c.algorithm } };
    },
  );

  scope.post(
    '/consumers/:username/credentials/:key/deprecate',
    {
      onRequest,
      schema: {
        ...common,
        summary: 'Deprecate a credential: refused at the gateway, rotatable once until the optional hard expiry',
        params: Type.Object({ username: Username, key: Type.String({ minLength: 1, maxLength: 256 }) }),
        body: Type.Optional(Type.Object({ expiresIn: Type.Optional(Type.Integer({ minimum: 0, description: 'Seconds from now until the credential is accepted nowhere.' })) }, { additionalProperties: false })),
        response: { 200: Type.Object({ data: CredentialSchema }), ...problems(400, 401, 403, 404) },
      },
    },
    async (req) => ({ data: credentialToWire(await d.consumers.deprecateOf(callerOf(req).principal, req.params.username, req.params.key, req.body?.expiresIn, metaOf(req))) }),
  );

  scope.delete(
    '/consumers/:username',
    { onRequest, schema: { ...common, summary: 'Delete a consumer and its credentials', params: UsernameParams, response: { 204: Type.Null({ description: 'Deleted.' }), ...problems(400, 401, 403, 404) } } },
    async (req, reply) => {
      await d.consumers.delete(callerOf(req).principal, req.params.username, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
