/**
 * `/api/app-tokens`: the partner's application tokens, guarded like Kaltura's `appToken` actions
 * (APP_TOKEN_BASE / _ADD / _DELETE). The token value is in the create answer only; lists and
 * reads never carry it (the response schema has no such field). Deleting revokes every session
 * minted from the token, as appToken.delete does.
 */
import { Type, type Static } from 'typebox';
import { AppTokenStatus, SessionType, type AppTokenView } from '../../../../services/model.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ANY_CREDENTIAL, iso, isoOrNull, listAnswer, ListOf, Nullable, PageQuery, pageOf, problems, secondsOf, Timestamp } from '../schemas.js';

const SessionTypeName = Type.Union([Type.Literal('user'), Type.Literal('admin')]);
const HashType = Type.Union([Type.Literal('MD5'), Type.Literal('SHA1'), Type.Literal('SHA256'), Type.Literal('SHA512')]);

const fields = {
  id: Type.String(),
  description: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  sessionType: Nullable(SessionTypeName),
  sessionUserId: Nullable(Type.String()),
  sessionDuration: Type.Integer({ description: 'Seconds a minted session lives.' }),
  expiry: Nullable(Timestamp),
  hashType: HashType,
  sessionPrivileges: Nullable(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};
const AppTokenSchema = Type.Object(fields);
const CreatedSchema = Type.Object({ ...fields, token: Type.String({ description: 'The token value. Store it now: it is never shown again here.' }) });

const CreateBody = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    sessionType: Type.Optional(SessionTypeName),
    sessionUserId: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
    sessionDuration: Type.Optional(Type.Integer({ minimum: 0, maximum: 315_360_000 })),
    expiry: Type.Optional(Nullable(Timestamp)),
    hashType: Type.Optional(HashType),
    sessionPrivileges: Type.Optional(Type.String({ maxLength: 4096 })),
    roleId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Sessions act with this role (adds `setrole:<id>` to the privileges).' })),
  },
  { additionalProperties: false },
);

function toWire(t: AppTokenView): Static<typeof AppTokenSchema> {
  return {
    id: t.id,
    description: t.description,
    status: t.status === AppTokenStatus.ACTIVE ? 'active' : 'disabled',
    sessionType: t.sessionType === null ? null : t.sessionType === SessionType.ADMIN ? 'admin' : 'user',
    sessionUserId: t.sessionUserId,
    sessionDuration: t.sessionDuration,
    expiry: isoOrNull(t.expiry),
    hashType: t.hashType,
    sessionPrivileges: t.sessionPrivileges,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}

/** What these routes use (handed over by the plugin, nothing more). */
type AppTokenRouteDeps = Pick<RouteDeps, 'appTokens' | 'guard'>;

export function appTokenRoutes(scope: RestScope, d: AppTokenRouteDeps): void {
  const common = { tags: ['app tokens'], security: ANY_CREDENTIAL };

  scope.get(
    '/app-tokens',
    { onRequest: guard(d.guard, { permissions: ['APP_TOKEN_BASE', 'KMC_READ_ONLY'] }), schema: { ...common, summary: "The partner's app tokens (never their values)", querystring: PageQuery, response: { 200: ListOf(AppTokenSchema), ...problems(400, 401, 403) } } },
    async (req) => {
      const page = pageOf(req.query);
      return listAnswer(await d.appTokens.list(callerOf(req).principal, {}, page), page, toWire);
    },
  );

  scope.post(
    '/app-tokens',
    { onRequest: guard(d.guard, { permissions: ['APP_TOKEN_ADD'] }), schema: { ...common, summary: 'Create an app token (its value shown once; no more power than you hold)', body: CreateBody, response: { 201: Type.Object({ data: CreatedSchema }), ...problems(400, 401, 403) } } },
    async (req, reply) => {
      const b = req.body;
      const privileges = [b.sessionPrivileges, b.roleId === undefined ? undefined : `setrole:${b.roleId}`].filter(Boolean).join(',');
      const t = await d.appTokens.add(
        callerOf(req).principal,
        {
          description: b.description ?? null,
          sessionType: b.sessionType === undefined ? null : b.sessionType === 'admin' ? SessionType.ADMIN : SessionType.USER,
          sessionUserId: b.sessionUserId ?? null,
          sessionDuration: b.sessionDuration ?? null,
          expiry: b.expiry ? secondsOf(b.expiry, 'expiry') : null,
          hashType: b.hashType ?? null,
          sessionPrivileges: privileges || null,
        },
        metaOf(req),
      );
      reply.header('cache-control', 'no-store').code(201);
      return { data: { ...toWire(t), token: t.token } };
    },
  );

  scope.delete(
    '/app-tokens/:id',
    { onRequest: guard(d.guard, { permissions: ['APP_TOKEN_DELETE'] }), schema: { ...common, summary: 'Delete an app token and end the sessions minted from it', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 204: Type.Null({ description: 'Deleted.' }), ...problems(400, 401, 403, 404) } } },
    async (req, reply) => {
      await d.appTokens.delete(callerOf(req).principal, req.params.id, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
