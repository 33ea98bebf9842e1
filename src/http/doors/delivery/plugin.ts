/**
 * The delivery door (DESIGN.md door 2): Kaltura-style playManifest / raw / thumbnail URLs under
 * `/p/...` answered with a redirect to the origin (plus a signed token) or a refusal, and the
 * forward-auth endpoint `/authz/delivery[/*]` for nginx `auth_request`, Traefik ForwardAuth and
 * Envoy ext_authz, answered 200 / 401 / 403 with identity headers.
 *
 * Both run the same steps: read the target (urls.ts; for forward-auth first the original request,
 * also urls.ts) → client IP (client-ip.ts) → decide (DeliveryService) → count, log a denial,
 * encode (the end of this file). The redirect URLs, which browsers fetch from script, add CORS headers from
 * the partner's cached record to every answer and answer `OPTIONS` preflights (cors.ts). Hot path:
 * no body is ever parsed, nothing is compiled per request, entries and partners come from bounded
 * caches. The answers' encoding is at the end of this file.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { nowSeconds, type Clock } from '../../../core/clock.js';
import { ContextType } from '../../../core/access/model.js';
import { signDeliveryToken, type DeliveryContextName } from '../../../core/delivery/token.js';
import { isGatehouseError } from '../../../core/errors/index.js';
import { isPromise } from '../../../core/maybe.js';
import type { RequestMeta } from '../../../services/context.js';
import type { DeliveryDecision, DeliveryRequest, DeliveryService, DenialReason } from '../../../services/delivery/delivery-service.js';
import type { Directory, DirectoryPeek } from '../../../services/ports.js';
import type { RawRoutes } from '../../raw-routes.js';
import { ClientIpResolver } from './client-ip.js';
import { ANY_ORIGIN, corsFor, preflight, type CorsHeaders } from './cors.js';
import { logDenial, type DenialEvent } from './decision-log.js';
import { DeliveryMetrics } from './metrics.js';
import { forwardedTarget, FORWARD_AUTH_PATH, originalRequest, parseDeliveryUri, type DeliveryTarget } from './urls.js';

export interface DeliveryDoorOptions {
  /** Where the door's routes are answered ahead of Fastify's router (raw-routes.ts). */
  raw: RawRoutes;
  service: DeliveryService;
  /** The cached partners (the Directory), read for each partner's `deliveryAllowedOrigins`. */
  partners: Pick<Directory, 'partner'> & Pick<DirectoryPeek, 'peekPartner'>;
  registry: Registry;
  /** GATEHOUSE_TRUSTED_PROXIES (normalised CIDRs). */
  trustedProxies: readonly string[];
  /** GATEHOUSE_DELIVERY_ORIGIN without a trailing slash; undefined: the redirect URLs answer 503. */
  origin: string | undefined;
  /** The HMAC key of `gh_token` (core/delivery/token.ts). */
  tokenKey: Buffer;
  /** GATEHOUSE_DELIVERY_TOKEN_TTL, seconds. */
  tokenTtl: number;
  clock: Clock;
}

/** Forward-auth is asked with the original request's method (Envoy forwards it verbatim). */
const ANY_METHOD = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const NO_ORIGIN = 'Delivery redirects are not configured on this server (GATEHOUSE_DELIVERY_ORIGIN is unset); use forward-auth at /authz/delivery';
const FAULT_BODY = JSON.stringify({ status: 500, reason: 'internal', message: 'Internal error' });
/** The redirect URLs' 503 without a delivery origin: about no partner, so readable by any origin. */
const NO_ORIGIN_HEADERS: OutgoingHttpHeaders = Object.freeze({ 'retry-after': '3600', ...ANY_ORIGIN });

function metaOf(req: IncomingMessage, clientIp: string, uri: string): RequestMeta {
  return { clientIp, uri, referrer: req.headers.referer, userAgent: req.headers['user-agent'], headers: req.headers };
}

export async function deliveryDoor(scope: FastifyInstance, opts: DeliveryDoorOptions): Promise<void> {
  // Bodies are never read: forward-auth checks carry none worth reading (Envoy may still send a
  // Content-Length), and Node discards whatever arrives unread.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));

  const log: FastifyBaseLogger = scope.log;
  const ips = new ClientIpResolver(opts.trustedProxies);
  const metrics = new DeliveryMetrics(opts.registry);
  const { service, partners, origin, tokenKey, tokenTtl, clock } = opts;

  /**
   * A fault: fail closed, generic body, details only in the log. The database being away (a
   * restart, a failover) is an outage, not a bug: a 503 worth retrying, and no line per request
   * (the outage is logged once by the pool and the cache sync). `cors`: on the redirect URLs, `*`
   * (a fault says nothing about a partner), so a player can read the 503's Retry-After.
   */
  const fault = (err: unknown, res: ServerResponse, cors: CorsHeaders | undefined) => {
    if (isGatehouseError(err) && err.def.category === 'unavailable') {
      log.debug({ cause: (err.cause as Error | undefined)?.message }, 'delivery decision needs the database, which is unavailable');
      if (res.headersSent) return void res.end();
      return refuse(res, 503, 'unavailable', err.message, err.code, { 'retry-after': '5', ...cors });
    }
    log.error({ err }, 'delivery door fault');
    if (res.headersSent) return void res.end();
    res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(FAULT_BODY), 'cache-control': 'no-store', ...cors }).end(FAULT_BODY);
  };

  /**
   * Counts, logs and answers one refusal; `status` already mapped for the door, `cors` the redirect
   * URLs' CORS headers (undefined for forward-auth, which proxies ask, not browsers).
   */
  function refused(res: ServerResponse, e: Omit<DenialEvent, 'status' | 'reason'> & { reason: Exclude<RefusalReason, 'unavailable'> }, status: number, message: string, contextNumber: number, cors: CorsHeaders | undefined): void {
    metrics.count(contextNumber, e.reason);
    logDenial(log, e, status);
    refuse(res, status, e.reason, message, e.code ?? null, cors);
  }

  /**
   * Counts, logs and answers a decision: refusals alike for both doors (with each door's status
   * map), grants as a redirect to the origin or forward-auth's 200.
   */
  function answer(res: ServerResponse, door: 'redirect' | 'forward-auth', via: string | undefined, method: string, clientIp: string, t: DeliveryTarget, uri: string, d: DeliveryDecision, cors: CorsHeaders | undefined): void {
    if (!d.granted) {
      const ev = { door, via, clientIp, method, reason: d.reason, rule: d.rule, code: d.code, partnerId: t.partnerId, entryId: t.entryId, context: CONTEXT_NAMES[t.context] as string };
      return refused(res, ev, door === 'redirect' ? redirectStatus(d.reason) : forwardAuthStatus(d.reason), d.message, t.context, cors);
    }
    metrics.count(t.context, d.previewSeconds === null ? 'allowed' : 'preview');
    if (door === 'forward-auth') return allowForwardAuth(res, d.partnerId, d.entryId, d.userId, d.previewSeconds);
    redirect(res, redirectLocation({ origin: origin as string, uri, target: t, clientIp, previewSeconds: d.previewSeconds, tokenKey, expiresAt: nowSeconds(clock) + tokenTtl }), cors ?? ANY_ORIGIN);
  }

  /**
   * Decides and answers: at once when everything the decision reads is cached (the steady state,
   * nothing allocated for the answer), else after the service has read what it lacks.
   */
  function decideAndAnswer(req: IncomingMessage, res: ServerResponse, door: 'redirect' | 'forward-auth', via: string | undefined, method: string, clientIp: string, t: DeliveryTarget, uri: string, cors: CorsHeaders | undefined): void | Promise<void> {
    const r: DeliveryRequest = { partnerId: t.partnerId, entryId: t.entryId, context: t.context, ks: t.ks, meta: metaOf(req, clientIp, uri) };
    const d = service.decide(r);
    if (!isPromise(d)) return answer(res, door, via, method, clientIp, t, uri, d, cors);
    return d.then((v) => answer(res, door, via, method, clientIp, t, uri, v, cors));
  }

  /**
   * The CORS headers of the URL's partner from the Directory's cache, which the decision reads
   * anyway; undefined when the partner is not cached (then `corsLoaded`, which also warms the
   * cache for the decision). Never the database per request.
   */
  const corsNow = (req: IncomingMessage, partnerId: number): CorsHeaders | undefined => {
    const entry = partners.peekPartner(partnerId);
    return entry === undefined ? undefined : corsFor(entry?.partner, req);
  };
  const corsLoaded = async (req: IncomingMessage, partnerId: number): Promise<CorsHeaders> => corsFor((await partners.partner(partnerId))?.partner, req);

  // GET (and HEAD) on every /p/... URL; anything not a delivery form is a 404.
  const redirectUrl = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    if (origin === undefined) return refuse(res, 503, 'unavailable', NO_ORIGIN, null, NO_ORIGIN_HEADERS);
    const uri = req.url ?? '';
    const method = req.method ?? 'GET';
    const clientIp = ips.resolve(req);
    const t = parseDeliveryUri(uri, false);
    if (!t) {
      const ev = { door: 'redirect' as const, clientIp, method, reason: 'bad_request' as const, rule: null, partnerId: null, entryId: null, context: 'unknown' };
      return refused(res, ev, 404, 'Not a delivery URL', 0, ANY_ORIGIN);
    }
    const cors = corsNow(req, t.partnerId);
    if (cors !== undefined) return decideAndAnswer(req, res, 'redirect', undefined, method, clientIp, t, uri, cors);
    return corsLoaded(req, t.partnerId).then((c) => decideAndAnswer(req, res, 'redirect', undefined, method, clientIp, t, uri, c));
  };

  // CORS preflights of the /p/... URLs: no decision is made, nothing is counted or logged.
  const preflightUrl = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    const t = parseDeliveryUri(req.url ?? '', false);
    if (!t) return preflight(res, ANY_ORIGIN, req);
    const cors = corsNow(req, t.partnerId);
    if (cors !== undefined) return preflight(res, cors, req);
    return corsLoaded(req, t.partnerId).then((c) => preflight(res, c, req));
  };

  const forwardAuth = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    const clientIp = ips.resolve(req);
    const original = originalRequest(req);
    if (original === 'conflict') {
      const ev = { door: 'forward-auth' as const, clientIp, method: req.method ?? '', reason: 'bad_request' as const, rule: null, partnerId: null, entryId: null, context: 'unknown' };
      return refused(res, ev, 403, 'The proxy headers name different original requests, or one of them twice', 0, undefined);
    }
    const t = parseDeliveryUri(original.uri, true);
    if (!t) {
      const ev = { door: 'forward-auth' as const, via: original.via, clientIp, method: original.method, reason: 'bad_request' as const, rule: null, partnerId: null, entryId: null, context: 'unknown' };
      return refused(res, ev, 403, 'The original URI names no entry', 0, undefined);
    }
    return decideAndAnswer(req, res, 'forward-auth', original.via, original.method, clientIp, t, original.uri, undefined);
  };

  const redirectFault = (err: unknown, _req: IncomingMessage, res: ServerResponse) => fault(err, res, ANY_ORIGIN);
  opts.raw.route(scope, { path: '/p', methods: ['GET', 'HEAD'], handler: redirectUrl, fault: redirectFault });
  opts.raw.route(scope, { path: '/p', methods: ['OPTIONS'], handler: preflightUrl, fault: redirectFault });
  opts.raw.route(scope, { path: FORWARD_AUTH_PATH, methods: ANY_METHOD, handler: forwardAuth, fault: (err, _req, res) => fault(err, res, undefined) });
}

/*
 * Encoding of delivery decisions: the one map from a denial reason to an HTTP status, the JSON body
 * of every refusal (`{"status","reason","message","code"?}`), forward-auth's identity headers and
 * the redirect's Location with its signed token.
 */
/**
 * Door-level refusals on top of the service's reasons: a request we cannot read as a delivery
 * request, and redirect URLs on a server without a delivery origin.
 */
export type RefusalReason = DenialReason | 'bad_request' | 'unavailable';

/**
 * The redirect URLs' statuses. A rule that blocks is a 403 with its message, also when it is a
 * `not authenticated` rule and no KS was sent (`session_required`: the player shows the message,
 * as Kaltura's playManifest refuses such a request); 401 is kept for a KS that was sent and is not
 * valid (expired, revoked, forged, another partner's), which the player can fix by renewing it.
 */
const STATUS: Readonly<Record<RefusalReason, number>> = {
  blocked: 403,
  unscheduled: 403,
  partner_blocked: 403,
  entitlement: 403,
  session_required: 403,
  invalid_session: 401,
  not_found: 404,
  bad_request: 400,
  unavailable: 503,
};

/** The redirect door's status for a refusal. */
export function redirectStatus(reason: RefusalReason): number {
  return STATUS[reason];
}

/**
 * Forward-auth answers only 200, 401 or 403: 401 when a session is missing where a rule wants one
 * or is invalid ("a (valid) session would help"), 403 for everything else — nginx's auth_request
 * turns any other status into a 500 for the viewer, so an unknown entry or an unreadable URI is a
 * 403 there.
 */
export function forwardAuthStatus(reason: RefusalReason): number {
  return reason === 'session_required' || reason === 'invalid_session' ? 401 : 403;
}

export const CONTEXT_NAMES: Readonly<Record<number, DeliveryContextName>> = {
  [ContextType.PLAY]: 'play',
  [ContextType.DOWNLOAD]: 'download',
  [ContextType.THUMBNAIL]: 'thumbnail',
};

/**
 * Sends a refusal as JSON, its reason also in `X-Gatehouse-Reason` (readable without the body, as
 * on HEAD); never cached by browsers or proxies (the next request may be allowed). `extra` adds
 * headers (a 503's Retry-After, CORS on the delivery URLs).
 */
export function refuse(res: ServerResponse, status: number, reason: RefusalReason, message: string, code: string | null, extra?: Readonly<OutgoingHttpHeaders>): void {
  const body = code === null ? JSON.stringify({ status, reason, message }) : JSON.stringify({ status, reason, message, code });
  const headers: OutgoingHttpHeaders = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-gatehouse-reason': reason, ...extra };
  // RFC 9110: a 401 names the scheme that would help; browsers do not prompt for an unknown one.
  if (status === 401) headers['www-authenticate'] = 'KS realm="gatehouse"';
  res.writeHead(status, headers).end(body);
}

const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * A header-safe form of a user id: as is when it is printable ASCII (the usual case: logins and
 * e-mails), else percent-encoded. A KS can carry any user id, and a control character would be
 * header injection (Node refuses those with an exception, which would turn an allow into a 500).
 */
export function headerSafe(value: string): string {
  return PRINTABLE.test(value) ? value : encodeURIComponent(value);
}

/** Forward-auth's 200: who and what was allowed, for the proxy to pass on to the origin. */
export function allowForwardAuth(res: ServerResponse, partnerId: number, entryId: string, userId: string, previewSeconds: number | null): void {
  // No cache-control: proxies do not cache auth subrequests unless told to (and are then told how
  // long); each header here is validated and written on every check.
  const headers: OutgoingHttpHeaders = { 'content-length': 0, 'x-gatehouse-partner': String(partnerId), 'x-gatehouse-entry': entryId };
  if (userId !== '') headers['x-gatehouse-user'] = headerSafe(userId);
  if (previewSeconds !== null) headers['x-gatehouse-preview'] = String(previewSeconds);
  res.writeHead(200, headers).end();
}

/**
 * The redirect to the origin; the Location holds a token for this viewer, so no shared cache may
 * keep it. `cors`: the shared CORS fragment (cors.ts), copied into the one headers object.
 */
export function redirect(res: ServerResponse, location: string, cors: Readonly<OutgoingHttpHeaders>): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': 0, ...cors }).end();
}

export interface RedirectInput {
  origin: string;
  uri: string;
  target: DeliveryTarget;
  clientIp: string;
  previewSeconds: number | null;
  tokenKey: Buffer;
  expiresAt: number;
}

/**
 * The origin URL: origin + the original path and query without the KS, then `gh_preview` (a copy
 * for players; origins must enforce the signed `pv` instead) and `gh_token` last.
 */
export function redirectLocation(i: RedirectInput): string {
  const { path, query } = forwardedTarget(i.uri, i.target);
  const token = signDeliveryToken(i.tokenKey, {
    partnerId: i.target.partnerId,
    entryId: i.target.entryId,
    context: CONTEXT_NAMES[i.target.context] as DeliveryContextName,
    expiresAt: i.expiresAt,
    ip: i.clientIp,
    ...(i.previewSeconds === null ? {} : { previewSeconds: i.previewSeconds }),
  });
  const preview = i.previewSeconds === null ? '' : `gh_preview=${i.previewSeconds}&`;
  return `${i.origin}${path}?${query === '' ? '' : `${query}&`}${preview}gh_token=${token}`;
}
