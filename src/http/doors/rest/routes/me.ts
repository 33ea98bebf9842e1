/** `GET /api/me` (who am I, may I use the console, which partners can I switch to) and `POST /api/auth/switch-partner`. */
import { Type, type Static } from 'typebox';
import { E, fail } from '../../../../core/errors/index.js';
import type { Partner } from '../../../../services/model.js';
import type { ConsoleProfile } from '../../../../services/console/console-identity.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ACCESS_TOKEN_ONLY, Nullable, problems } from '../schemas.js';
import { AccessTokenReply } from './auth.js';
import { isPartnerUsable } from '../../../../services/pipeline/steps/partner-usable.js';

const Kind = Type.Union([Type.Literal('operator'), Type.Literal('publisher')]);
export const PartnerStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('blocked')]);

const MeSchema = Type.Object({
  user: Type.Object({
    id: Type.String(),
    email: Type.String(),
    screenName: Type.String(),
    isAdmin: Type.Boolean(),
    roleId: Nullable(Type.Integer()),
    roleName: Nullable(Type.String()),
  }),
  partner: Type.Object({ id: Type.Integer(), name: Type.String(), status: PartnerStatusSchema, kind: Kind }),
  permissions: Type.Array(Type.String(), { description: 'Catalogue names held (a `*` role expanded).' }),
  consoleAccess: Type.Object({
    allowed: Type.Boolean(),
    reason: Nullable(Type.String({ description: 'Stable code: NOT_ADMIN, NOT_OPERATOR, PARTNER_BLOCKED.' })),
    explanation: Nullable(Type.String({ description: 'A sentence for the person signing in.' })),
  }),
  partners: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), kind: Kind, status: PartnerStatusSchema }), { description: 'Every partner this login identity has a user in ("Change Account").' }),
});

/** ACTIVE and READ_ONLY partners can be signed in to; every other status reads as blocked. */
export function partnerStatus(p: Partner): 'active' | 'blocked' {
  return isPartnerUsable(p.status) ? 'active' : 'blocked';
}

function toWire(m: ConsoleProfile): Static<typeof MeSchema> {
  const roleId = m.user.roleIds.split(',')[0];
  return {
    user: { id: m.user.id, email: m.user.email, screenName: m.user.screenName, isAdmin: m.user.isAdmin, roleId: roleId ? Number(roleId) : null, roleName: m.roleName },
    partner: { id: m.partner.id, name: m.partner.name, status: partnerStatus(m.partner), kind: m.kind },
    permissions: m.permissions,
    consoleAccess: m.consoleAccess,
    partners: m.partners.map((x) => ({ id: x.partner.id, name: x.partner.name, kind: x.kind, status: partnerStatus(x.partner) })),
  };
}

const SwitchBody = Type.Object({ partnerId: Type.Integer({ minimum: -2, maximum: 2147483647 }) }, { additionalProperties: false });

/** What these routes use (handed over by the plugin, nothing more). */
type MeRouteDeps = Pick<RouteDeps, 'consoleIdentity' | 'guard' | 'tokens'>;

export function meRoutes(scope: RestScope, d: MeRouteDeps): void {
  // Any signed-in user may ask who they are; an API key has no "me".
  const anyUser = { permissions: ['ALWAYS_ALLOWED_ACTIONS'], accessTokenOnly: true };

  scope.get(
    '/me',
    {
      onRequest: guard(d.guard, anyUser),
      schema: { tags: ['console'], summary: 'The signed-in user, their partner, permissions and console access', security: ACCESS_TOKEN_ONLY, response: { 200: Type.Object({ data: MeSchema }), ...problems(401) } },
    },
    async (req) => {
      const me = await d.consoleIdentity.me(callerOf(req).principal);
      if (!me) throw fail(E.ACCESS_TOKEN_REQUIRED);
      return { data: toWire(me) };
    },
  );

  scope.post(
    '/auth/switch-partner',
    {
      onRequest: guard(d.guard, anyUser),
      schema: {
        tags: ['auth'],
        summary: "A new access token for the same login in another of its partners",
        description: 'For the console\'s "Change Account". 403 when the login has no user in that partner, or that user cannot sign in there.',
        security: ACCESS_TOKEN_ONLY,
        body: SwitchBody,
        response: { 200: AccessTokenReply, ...problems(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const user = callerOf(req).principal.user;
      if (!user) throw fail(E.ACCESS_TOKEN_REQUIRED);
      const issued = await d.tokens.switchPartner(user, req.body.partnerId, metaOf(req));
      reply.header('cache-control', 'no-store');
      return { data: { access_token: issued.accessToken, token_type: 'Bearer' as const, expires_in: issued.expiresIn } };
    },
  );
}
