/**
 * Single sign-on's browser-facing routes (no credential: they are how one is obtained):
 * `GET /api/auth/sso/providers?email=` (the console's "Sign in with …" button), `GET /start` (a 302
 * to the provider), `GET /callback` (the provider's answer; a 302 to the console, or a page saying
 * why not) and `POST /token` (the console's one-time code for its access token).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isGatehouseError } from '../../../../core/errors/index.js';
import type { SsoSignIn } from '../../../../services/sso/sign-in.js';
import { metaOf } from '../guard.js';
import type { RestScope } from '../deps.js';
import { Nullable, problems } from '../schemas.js';
import { AccessTokenReply, EnrolmentReply, tokenAnswer } from './auth.js';

/** The browser's sign-in cookie: set at start, read by the callback and the token exchange. */
export const SSO_COOKIE = 'gh_sso';
const COOKIE_PATH = '/api/auth/sso';

export interface SsoRouteDeps {
  sso: SsoSignIn;
  /** GATEHOUSE_PUBLIC_URL (or the listen address): an https one marks the cookie Secure. */
  publicUrl: () => string;
}

function readCookie(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SSO_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function setCookie(reply: FastifyReply, value: string, maxAge: number, secure: boolean): void {
  // HttpOnly: no script reads it; SameSite=Lax: sent on the provider's top-level redirect back.
  reply.header('set-cookie', `${SSO_COOKIE}=${value}; Path=${COOKIE_PATH}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain page for the person in the browser: no script, no style, nothing loaded. */
function page(reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Gatehouse</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/console/sign-in">Back to the sign-in page</a></p></main></body></html>`;
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .send(html);
}

const LookupQuery = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 320 }),
  partnerId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
});
const LookupReply = Type.Object({
  data: Type.Object({
    provider: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
    passwordSignIn: Type.Boolean({ description: "false when the provider's partner blocks direct (password) sign-in." }),
  }),
});
const StartQuery = Type.Object({
  provider: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  email: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })),
});
/** What a provider sends back (RFC 6749 §4.1.2, RFC 9207's iss); any other parameter is ignored. */
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'session_state', 'error', 'error_description'] as const;
const Param = Type.Optional(Type.String({ maxLength: 4096 }));
const CallbackQuery = Type.Object({ code: Param, state: Param, iss: Param, session_state: Param, error: Param, error_description: Param }, { additionalProperties: true });
const TokenBody = Type.Object(
  {
    code: Type.String({ minLength: 16, maxLength: 128 }),
    otp: Type.Optional(Type.String({ maxLength: 64, description: 'The two-factor code (or a recovery code), sent again with the same `code` after an OTP_REQUIRED answer.' })),
  },
  { additionalProperties: false },
);

export function ssoRoutes(scope: RestScope, d: SsoRouteDeps): void {
  const tags = ['single sign-on'];
  const secure = () => d.publicUrl().startsWith('https:');

  scope.get(
    '/auth/sso/providers',
    {
      schema: {
        tags,
        summary: "The identity provider an e-mail's domain signs in with",
        description: 'Answers from the domain alone: it never says whether a user exists. `provider` is null when no enabled provider has the domain, or when providers of several partners have it and no `partnerId` says which.',
        querystring: LookupQuery,
        response: { 200: LookupReply, ...problems(400) },
      },
    },
    async (req) => {
      return { data: await d.sso.lookup(req.query.email, req.query.partnerId) };
    },
  );

  scope.get('/auth/sso/start', { schema: { tags, summary: "Start signing in at the provider (a 302 to its authorization endpoint)", querystring: StartQuery } }, async (req, reply) => {
    try {
      const started = await d.sso.start({ providerId: req.query.provider, email: req.query.email }, metaOf(req));
      setCookie(reply, started.cookie, 600, secure());
      return reply.code(302).header('location', started.location).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send();
    } catch (e) {
      if (!isGatehouseError(e) || e.def.category === 'internal' || e.def.category === 'unavailable') throw e;
      return e.code === 'SSO_NOT_FOUND' ? page(reply, 404, 'No single sign-on here', 'No identity provider is set up for this address. Sign in with your password, or ask an administrator of your organisation.') : page(reply, 400, 'Single sign-on is unavailable', e.message);
    }
  });

  scope.get('/auth/sso/callback', { schema: { tags, summary: "The provider's answer (register {GATEHOUSE_PUBLIC_URL}/api/auth/sso/callback as the redirect URI)", querystring: CallbackQuery } }, async (req, reply) => {
    const query: Record<string, string> = {};
    for (const k of CALLBACK_PARAMS) {
      const v = req.query[k];
      if (typeof v === 'string') query[k] = v;
    }
    const done = await d.sso.callback(query, readCookie(req), metaOf(req));
    if (!done.ok) return page(reply, 403, 'Sign-in refused', done.message);
    // Security: the console's code travels in the fragment, which no server or Referer sees.
    return reply.code(302).header('location', `${d.publicUrl()}/console/sso#code=${done.code}`).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send();
  });

  scope.post(
    '/auth/sso/token',
    {
      schema: {
        tags,
        summary: "Exchange the console's one-time sign-in code for an access token",
        description:
          "The code is valid once, for 60 seconds, in the browser that signed in (its sign-in cookie); 401 SSO_CODE_INVALID otherwise. When the login owes a two-factor code (it set codes up, or its partner's twoFactor requires them, and the provider is not trusted for MFA): 401 OTP_REQUIRED, then INVALID_OTP for a wrong `otp` (counted on the login's lockout; 429 LOGIN_BLOCKED while locked) — the same `code` stays valid for 5 minutes and 5 codes; a login that must set codes up gets the enrolment token, as after a password.",
        body: TokenBody,
        response: { 200: Type.Union([AccessTokenReply, EnrolmentReply]), ...problems(400, 401, 429) },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const issued = await d.sso.exchange(req.body.code, readCookie(req), req.body.otp, metaOf(req));
      setCookie(reply, '', 0, secure());
      return tokenAnswer(issued);
    },
  );
}
