/**
 * `POST /api/me/password` (change one's own password) and `GET /api/me/sign-ins` (one's own
 * sign-ins from the audit log), for every signed-in user, the operator included (issue 18).
 */
import { Type } from 'typebox';
import { E, fail } from '../../../../core/errors/index.js';
import { MAX_PASSWORD, MIN_PASSWORD, PASSWORD_RULES } from '../../../../services/passwords.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ACCESS_TOKEN_ONLY, listAnswer, ListOf, Nullable, PageQuery, pageOf, problems, Timestamp } from '../schemas.js';

const PasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD * 4 }),
    newPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD * 4, description: `At least ${MIN_PASSWORD} characters; see GET /api/me/password-policy.` }),
  },
  { additionalProperties: false },
);

const SignIn = Type.Object({
  id: Type.Integer(),
  at: Timestamp,
  partnerId: Nullable(Type.Integer()),
  actor: Type.String(),
  action: Type.String(),
  target: Type.String(),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  ip: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
});

/** What these routes use (handed over by the plugin, nothing more). */
type MePasswordDeps = Pick<RouteDeps, 'guard' | 'loginData' | 'auditLog'>;

export function mePasswordRoutes(scope: RestScope, d: MePasswordDeps): void {
  // Any signed-in person; an API key has no password of its own.
  const anyUser = { permissions: ['ALWAYS_ALLOWED_ACTIONS'], accessTokenOnly: true };
  const me = (req: Parameters<typeof callerOf>[0]) => {
    const user = callerOf(req).principal.user;
    if (!user) throw fail(E.ACCESS_TOKEN_REQUIRED);
    return user;
  };

  scope.get(
    '/me/password-policy',
    {
      onRequest: guard(d.guard, anyUser),
      schema: { tags: ['console'], summary: 'The rules a new password must follow', security: ACCESS_TOKEN_ONLY, response: { 200: Type.Object({ data: Type.Object({ minLength: Type.Integer(), maxLength: Type.Integer(), rules: Type.Array(Type.String()) }) }), ...problems(401) } },
    },
    async () => ({ data: { minLength: MIN_PASSWORD, maxLength: MAX_PASSWORD, rules: PASSWORD_RULES.split('\n').map((r) => r.replace(/^- /, '')) } }),
  );

  scope.post(
    '/me/password',
    {
      onRequest: guard(d.guard, anyUser),
      schema: {
        tags: ['console'],
        summary: 'Change your own password',
        description:
          'Proves the current password (counted on the sign-in lockout like a sign-in) and sets the new one. 400 when the new password breaks a rule or was used recently (`PASSWORD_STRUCTURE_INVALID`, `COMMON_PASSWORD`, `PASSWORD_ALREADY_USED`); 403 `WRONG_OLD_PASSWORD` for a wrong current password; 429 when the address is throttled.',
        security: ACCESS_TOKEN_ONLY,
        body: PasswordBody,
        response: { 204: Type.Null({ description: 'Changed.' }), ...problems(400, 401, 403, 409, 429) },
      },
    },
    async (req, reply) => {
      await d.loginData.changeOwnPassword(me(req), req.body.currentPassword, req.body.newPassword, metaOf(req));
      return reply.code(204).header('cache-control', 'no-store').send(null);
    },
  );

  scope.get(
    '/me/sign-ins',
    {
      onRequest: guard(d.guard, anyUser),
      schema: { tags: ['console'], summary: 'Your own sign-ins and password changes, newest first', security: ACCESS_TOKEN_ONLY, querystring: PageQuery, response: { 200: ListOf(SignIn), ...problems(400, 401) } },
    },
    async (req) => {
      const page = pageOf(req.query);
      const user = me(req);
      const r = await d.auditLog.signInsOf((await d.loginData.loginIdOf(user)) ?? user.email, page);
      return listAnswer(r, page, (e) => ({ id: e.id, at: new Date(e.atMs).toISOString(), partnerId: e.partnerId, actor: e.actor, action: e.action, target: e.target, outcome: e.outcome, ip: e.clientIp, details: e.detail ?? {} }));
    },
  );
}
