/** `POST /api/auth/access-token` (Kala) and `GET /api/auth/jwks.json`. */
import { Type } from 'typebox';
import type { SignIn } from '../../../../services/auth/access-tokens.js';
import { metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { problems } from '../schemas.js';

const AccessTokenBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 320, description: 'The login id (email) of a partner user.' }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
    partnerId: Type.Optional(Type.Integer({ minimum: -2, maximum: 2147483647, description: 'The partner to sign into when the login belongs to several; default: the last one used.' })),
    otp: Type.Optional(Type.String({ maxLength: 64, description: 'A two-factor code from the authenticator app, or one of the recovery codes (each works once).' })),
  },
  { additionalProperties: false },
);

export const AccessTokenReply = Type.Object({
  data: Type.Object({
    access_token: Type.String({ description: 'An ES256 JWT; send it as `Authorization: Bearer <token>`.' }),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ description: 'Seconds until it expires.' }),
  }),
});

export const EnrolmentReply = Type.Object({
  data: Type.Object({
    two_factor_enrolment_required: Type.Literal(true, { description: "The partner requires two-factor codes of this user and the login has none yet: the token is good only for POST /api/me/two-factor and /api/me/two-factor/confirm, whose answer then carries the access token." }),
    enrolment_token: Type.String({ description: 'Send it as `Authorization: Bearer <token>` to the two enrolment calls; every other route refuses it (401).' }),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ description: 'Seconds until it expires.' }),
  }),
});

/** A sign-in's answer on the wire: the access token, or the token for two-factor enrolment only. */
export function tokenAnswer(issued: SignIn) {
  if (issued.kind === 'enrolment') return { data: { two_factor_enrolment_required: true as const, enrolment_token: issued.enrolmentToken, token_type: 'Bearer' as const, expires_in: issued.expiresIn } };
  return { data: { access_token: issued.accessToken, token_type: 'Bearer' as const, expires_in: issued.expiresIn } };
}

export const JwksSchema = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String(),
      crv: Type.String(),
      x: Type.String(),
      y: Type.String(),
      kid: Type.String(),
      alg: Type.String(),
      use: Type.String(),
    }),
  ),
});

/** What these routes use (handed over by the plugin, nothing more). */
type AuthRouteDeps = Pick<RouteDeps, 'tokens'>;

export function authRoutes(scope: RestScope, d: AuthRouteDeps): void {
  scope.post(
    '/auth/access-token',
    {
      schema: {
        tags: ['auth'],
        summary: 'Exchange a login id and password for a short-lived access token (JWT)',
        description:
          'Wrong credentials of any kind (a locked login included) answer 401 INVALID_CREDENTIALS and count towards the sign-in budgets shared with Kaltura `user.loginByLoginId`: the lockout per login and client address, the ceiling per login, and the throttle per address. Over the throttle (`GATEHOUSE_LOGIN_THROTTLE` failed sign-ins a minute) an address gets 429 LOGIN_THROTTLED with `Retry-After`. ' +
          'Where two-factor codes are needed (the login has set them up, or its partner\'s `twoFactor` setting requires them), the right password without `otp` answers 401 OTP_REQUIRED and a wrong, expired or replayed code 401 INVALID_OTP, each counted as a failed attempt; a login that must use codes but has not set them up gets a token for enrolment only (`two_factor_enrolment_required`).',
        body: AccessTokenBody,
        response: { 200: Type.Union([AccessTokenReply, EnrolmentReply]), ...problems(400, 401, 403, 429) },
      },
    },
    async (req, reply) => {
      const issued = await d.tokens.issue(req.body, metaOf(req));
      // RFC 6749 §5.1: responses carrying tokens are never cached.
      reply.header('cache-control', 'no-store');
      return tokenAnswer(issued);
    },
  );

  scope.get(
    '/auth/jwks.json',
    {
      schema: {
        tags: ['auth'],
        summary: 'The public keys that verify access tokens (JWKS)',
        response: { 200: JwksSchema },
      },
    },
    async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return d.tokens.jwks();
    },
  );
}
