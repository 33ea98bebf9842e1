/**
 * Two-factor codes on the REST door: a signed-in user's own (`/api/me/two-factor`: status, start,
 * confirm, remove) and an administrator's reset of a user's (`/api/users/{id}/two-factor`). The
 * service is services/two-factor/two-factor-service.ts.
 *
 * Start and confirm also take the enrolment token a sign-in answers when the partner requires codes
 * the login has not set up (routes/auth.ts): that token is good for nothing else, and confirming
 * with it completes the sign-in (the answer carries the access token).
 */
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { Type } from 'typebox';
import { E, fail } from '../../../../core/errors/index.js';
import type { User } from '../../../../services/model.js';
import { readCredential } from '../../../read-credential.js';
import { callerOf, guard, metaOf } from '../guard.js';
import type { RestScope, RouteDeps } from '../deps.js';
import { ACCESS_TOKEN_ONLY, ANY_CREDENTIAL, problems } from '../schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The user of an enrolment token, set by `enrolmentGuard`; null otherwise. */
    twoFactorEnrolling: User | null;
  }
}

const Code = Type.String({ minLength: 1, maxLength: 64, description: 'A code from the authenticator app (6 digits) or, where accepted, a recovery code.' });
const CodeBody = Type.Object({ code: Code }, { additionalProperties: false });

const StatusSchema = Type.Object({
  enrolled: Type.Boolean({ description: 'Codes are set up: every sign-in of this login needs one, whatever the partner setting.' }),
  pending: Type.Boolean({ description: 'An enrolment was started and waits for its first code.' }),
  required: Type.Boolean({ description: "The partner's `twoFactor` setting requires codes of this user." }),
  recoveryCodesLeft: Type.Integer({ description: 'Recovery codes not used yet.' }),
});

const StartedSchema = Type.Object({
  secret: Type.String({ description: 'Base32, for typing into an app that cannot scan. Shown once.' }),
  otpauthUri: Type.String({ description: 'The `otpauth://totp/...` URI of the QR code.' }),
  qrSvg: Type.String({ description: 'The URI as an SVG QR code.' }),
});

const ConfirmedSchema = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { description: 'Ten single-use codes, accepted wherever a code is (`otp`). Shown only now: they are stored hashed.' }),
  access_token: Type.Optional(Type.String({ description: 'Confirmed with an enrolment token: the access token of the completed sign-in.' })),
  token_type: Type.Optional(Type.Literal('Bearer')),
  expires_in: Type.Optional(Type.Integer()),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });

/** What these routes use (handed over by the plugin, nothing more). */
type TwoFactorRouteDeps = Pick<RouteDeps, 'guard' | 'tokens' | 'twoFactor'>;

/** Any signed-in user, by access token (an API key has no "me"). */
const anyUser = { permissions: ['ALWAYS_ALLOWED_ACTIONS'], accessTokenOnly: true };

/**
 * An enrolment token (the user it stands for goes to `req.twoFactorEnrolling`), else the usual
 * guard for any signed-in user.
 */
function enrolmentGuard(d: TwoFactorRouteDeps): onRequestAsyncHookHandler {
  const usual = guard(d.guard, anyUser);
  return async function (this: unknown, req, reply) {
    const credential = readCredential(req, false);
    const user = credential.kind === 'accessToken' ? await d.tokens.enrolmentUser(credential.token) : undefined;
    if (user) {
      req.twoFactorEnrolling = user;
      return;
    }
    await usual.call(this as never, req, reply);
  };
}

/** The signed-in user (or the one enrolling). */
function userOf(req: FastifyRequest): User {
  if (req.twoFactorEnrolling) return req.twoFactorEnrolling;
  const user = callerOf(req).principal.user;
  if (!user) throw fail(E.ACCESS_TOKEN_REQUIRED);
  return user;
}

export function twoFactorRoutes(scope: RestScope, d: TwoFactorRouteDeps): void {
  const common = { tags: ['two-factor'], security: ACCESS_TOKEN_ONLY };

  scope.get(
    '/me/two-factor',
    {
      onRequest: enrolmentGuard(d),
      schema: { ...common, summary: "The signed-in user's two-factor codes: set up, waiting, required", response: { 200: Type.Object({ data: StatusSchema }), ...problems(401) } },
    },
    async (req) => ({ data: await d.twoFactor.status(userOf(req)) }),
  );

  scope.post(
    '/me/two-factor',
    {
      onRequest: enrolmentGuard(d),
      schema: {
        ...common,
        summary: 'Start setting up two-factor codes: a new secret and its QR code',
        description: 'Replaces an enrolment still waiting for its first code; 409 TWO_FACTOR_ALREADY_ENROLLED when codes are set up (remove them first).',
        response: { 200: Type.Object({ data: StartedSchema }), ...problems(401, 409) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { data: await d.twoFactor.start(userOf(req), metaOf(req)) };
    },
  );

  scope.post(
    '/me/two-factor/confirm',
    {
      onRequest: enrolmentGuard(d),
      schema: {
        ...common,
        summary: 'Confirm the enrolment with a first code; answers the ten recovery codes (shown once)',
        description: 'A wrong code answers 400 INVALID_TWO_FACTOR_CODE and counts as a failed sign-in attempt of the login; 409 TWO_FACTOR_NOT_PENDING when no enrolment waits.',
        body: CodeBody,
        response: { 200: Type.Object({ data: ConfirmedSchema }), ...problems(400, 401, 409, 429) },
      },
    },
    async (req, reply) => {
      const user = userOf(req);
      const { recoveryCodes } = await d.twoFactor.confirm(user, req.body.code, metaOf(req));
      reply.header('cache-control', 'no-store');
      if (!req.twoFactorEnrolling) return { data: { recoveryCodes } };
      const issued = await d.tokens.completeEnrolment(user, metaOf(req));
      return { data: { recoveryCodes, access_token: issued.accessToken, token_type: 'Bearer' as const, expires_in: issued.expiresIn } };
    },
  );

  scope.delete(
    '/me/two-factor',
    {
      onRequest: guard(d.guard, anyUser),
      schema: {
        ...common,
        summary: 'Remove two-factor codes (needs a current code or a recovery code)',
        description: "A wrong code answers 400 INVALID_TWO_FACTOR_CODE and counts as a failed sign-in attempt. Where the partner requires codes, the next sign-in leads to enrolment again.",
        body: CodeBody,
        response: { 204: Type.Null({ description: 'Removed.' }), ...problems(400, 401, 404, 429) },
      },
    },
    async (req, reply) => {
      await d.twoFactor.remove(userOf(req), req.body.code, metaOf(req));
      return reply.code(204).send(null);
    },
  );

  scope.delete(
    '/users/:id/two-factor',
    {
      onRequest: guard(d.guard, { permissions: ['ADMIN_USER_UPDATE'] }),
      schema: {
        tags: ['users'],
        security: ANY_CREDENTIAL,
        summary: "Reset a user's two-factor codes (a lost phone); audited",
        description: 'The rules of setting the user\'s password: 403 for a user more powerful than the caller or whose login other partners use too; 404 TWO_FACTOR_NOT_ENROLLED when the login has none.',
        params: IdParams,
        response: { 204: Type.Null({ description: 'Reset.' }), ...problems(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await d.twoFactor.reset(callerOf(req).principal, req.params.id, metaOf(req));
      return reply.code(204).send(null);
    },
  );
}
