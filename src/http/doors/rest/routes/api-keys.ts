/** `POST /api/auth/api-key` (Kala), `GET /api/auth/api-keys`, `DELETE /api/auth/api-keys/{id}`. */
import { Type } from 'typebox';
import { E, fail } from '../../../../core/errors/index.js';
import type { ApiKey } from '../../../../services/model.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ACCESS_TOKEN_ONLY, ANY_CREDENTIAL, iso, isoOrNull, Nullable, PageQuery, pageOf, problems, Timestamp, Uuid, UuidParams } from '../schemas.js';

const PermissionRef = Type.String({ minLength: 1, maxLength: 64, description: 'A permission name (see GET /api/permissions) or one of Kala\'s permission UUIDs.' });

const CreateBody = Type.Object(
  {
    validFrom: Type.Optional(Timestamp),
    validTo: Timestamp,
    permissions: Type.Optional(Type.Array(PermissionRef, { maxItems: 100, description: 'Default: none. You can only grant permissions you hold.' })),
    services: Type.Optional(Type.Array(Uuid, { maxItems: 100, description: 'Service ids; default (or empty): all services.' })),
  },
  { additionalProperties: false },
);

const ApiKeyMeta = Type.Object({
  id: Uuid,
  start: Type.String({ description: 'The first characters of the key, to tell keys apart.' }),
  validFrom: Timestamp,
  validTo: Timestamp,
  permissions: Type.Array(Type.String(), { description: 'Permission names.' }),
  services: Type.Array(Uuid, { description: 'Empty: all services.' }),
  createdBy: Type.String(),
  createdAt: Timestamp,
  revoked: Type.Boolean(),
  revokedAt: Nullable(Timestamp),
});

function meta(k: ApiKey) {
  return {
    id: k.id,
    start: k.start,
    validFrom: iso(k.validFrom),
    validTo: iso(k.validTo),
    permissions: k.permissions,
    services: k.services,
    createdBy: k.createdBy,
    createdAt: iso(k.createdAt),
    revoked: k.revokedAt !== null,
    revokedAt: isoOrNull(k.revokedAt),
  };
}

function seconds(text: string, field: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw fail(E.INVALID_REQUEST, { DETAIL: `${field} is not a valid date-time` });
  return Math.floor(ms / 1000);
}

/** What these routes use (handed over by the plugin, nothing more). */
type ApiKeyRouteDeps = Pick<RouteDeps, 'apiKeys' | 'guard'>;

export function apiKeyRoutes(scope: RestScope, d: ApiKeyRouteDeps): void {
  const manage = ['API_KEY_MANAGE'];

  scope.post(
    '/auth/api-key',
    {
      onRequest: guard(d.guard, { permissions: manage, accessTokenOnly: true }),
      schema: {
        tags: ['api keys'],
        summary: 'Create an API key (shown once)',
        description: 'Needs a user access token. The key is returned only in this response; only its HMAC is stored.',
        security: ACCESS_TOKEN_ONLY,
        body: CreateBody,
        response: { 201: Type.Object({ data: Type.String({ description: 'The API key. Store it now: it cannot be retrieved again.' }) }), ...problems(400, 401, 403) },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const created = await d.apiKeys.create(
        callerOf(req).principal,
        { validFrom: b.validFrom === undefined ? undefined : seconds(b.validFrom, 'validFrom'), validTo: seconds(b.validTo, 'validTo'), permissions: b.permissions, services: b.services },
        metaOf(req),
      );
      reply.header('cache-control', 'no-store').code(201);
      return { data: created.key };
    },
  );

  scope.get(
    '/auth/api-keys',
    {
      onRequest: guard(d.guard, { permissions: manage }),
      schema: {
        tags: ['api keys'],
        summary: "The partner's API keys (metadata only, never the keys)",
        security: ANY_CREDENTIAL,
        querystring: PageQuery,
        response: { 200: Type.Object({ data: Type.Array(ApiKeyMeta), totalCount: Type.Integer() }), ...problems(400, 401, 403) },
      },
    },
    async (req) => {
      const r = await d.apiKeys.list(callerOf(req).principal, pageOf(req.query));
      return { data: r.objects.map(meta), totalCount: r.totalCount };
    },
  );

  scope.delete(
    '/auth/api-keys/:id',
    {
      onRequest: guard(d.guard, { permissions: manage }),
      schema: {
        tags: ['api keys'],
        summary: 'Revoke an API key',
        description: 'Every Gatehouse node refuses the key within one cache-sync interval.',
        security: ANY_CREDENTIAL,
        params: UuidParams,
        response: { 204: Type.Null({ description: 'Revoked.' }), ...problems(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      await d.apiKeys.revoke(callerOf(req).principal, req.params.id, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
