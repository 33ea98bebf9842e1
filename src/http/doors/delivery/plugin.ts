/**
 * The delivery door (DESIGN.md door 2): Kaltura-style playManifest / raw / thumbnail URLs under
 * `/p/...` answered with a redirect to the origin (plus a signed token) or a refusal, and the
 * forward-auth endpoint `/authz/delivery[/*]` for nginx `auth_request`, Traefik ForwardAuth and
 * Envoy ext_authz, answered 200 / 401 / 403 with identity headers.
 *
 * Both run the same steps: read the target (urls.ts; for forward-auth first the original request,
 * original-request.ts) → client IP (client-ip.ts) → decide (DeliveryService) → count, log a denial,
 * encode (answers.ts). Hot path: no body is ever parsed, nothing is compiled per request, entries
 * come from a bounded cache.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { nowSeconds, type Clock } from '../../../core/clock.js';
import type { RequestMeta } from '../../../services/context.js';
import type { DeliveryDecision, DeliveryService } from '../../../services/delivery/delivery-service.js';
import { allowForwardAuth, CONTEXT_NAMES, forwardAuthStatus, redirectLocation, redirectStatus, refuse, type RefusalReason } from './answers.js';
import { ClientIpResolver } from './client-ip.js';
import { logDenial, type DenialEvent } from './decision-log.js';
import { DeliveryMetrics } from './metrics.js';
import { FORWARD_AUTH_PATH, originalRequest } from './original-request.js';
import { parseDeliveryUri, type DeliveryTarget } from './urls.js';

export interface DeliveryDoorOptions {
  service: DeliveryService;
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
const ANY_METHOD = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
const NO_ORIGIN = 'Delivery redirects are not configured on this server (GATEHOUSE_DELIVERY_ORIGIN is unset); use forward-auth at /authz/delivery';
const FAULT_BODY = JSON.stringify({ status: 500, reason: 'internal', message: 'Internal error' });

function metaOf(req: FastifyRequest, clientIp: string, uri: string): RequestMeta {
  return { clientIp, uri, referrer: req.headers.referer, userAgent: req.headers['user-agent'], headers: req.headers };
}

export async function deliveryDoor(scope: FastifyInstance, opts: DeliveryDoorOptions): Promise<void> {
  // Bodies are never read: forward-auth checks carry none worth reading (Envoy may still send a
  // Content-Length), and Node discards whatever arrives unread.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
  scope.setErrorHandler((err, req, reply) => {
    // A fault (the database is down): fail closed, generic body, details only in the log.
    req.log.error({ err }, 'delivery door fault');
    return reply.code(500).header('content-type', 'application/json; charset=utf-8').header('cache-control', 'no-store').send(FAULT_BODY);
  });

  const ips = new ClientIpResolver(opts.trustedProxies);
  const metrics = new DeliveryMetrics(opts.registry);
  const { service, origin, tokenKey, tokenTtl, clock } = opts;

  /** Counts, logs and answers one refusal; `status` already mapped for the door. */
  function refused(reply: FastifyReply, req: FastifyRequest, e: Omit<DenialEvent, 'status' | 'reason'> & { reason: Exclude<RefusalReason, 'unavailable'> }, status: number, message: string, contextNumber: number): FastifyReply {
    metrics.count(contextNumber, e.reason);
    logDenial(req.log, { ...e, status });
    return refuse(reply, status, e.reason, message, e.code ?? null);
  }

  function decide(req: FastifyRequest, t: DeliveryTarget, clientIp: string, uri: string): Promise<DeliveryDecision> {
    return service.decide({ partnerId: t.partnerId, entryId: t.entryId, context: t.context, ks: t.ks, meta: metaOf(req, clientIp, uri) });
  }

  // GET (and HEAD, which Fastify adds) on every /p/... URL; anything not a delivery form is a 404.
  scope.get('/p/*', async (req, reply) => {
    if (origin === undefined) return refuse(reply.header('retry-after', '3600'), 503, 'unavailable', NO_ORIGIN, null);
    const uri = req.url;
    const clientIp = ips.resolve(req);
    const t = parseDeliveryUri(uri, false);
    if (!t) {
      const ev = { door: 'redirect' as const, clientIp, method: req.method, reason: 'bad_request' as const, rule: null, partnerId: null, entryId: null, context: 'unknown' };
      return refused(reply, req, ev, 404, 'Not a delivery URL', 0);
    }
    const d = await decide(req, t, clientIp, uri);
    if (!d.granted) {
      const ev = { door: 'redirect' as const, clientIp, method: req.method, reason: d.reason, rule: d.rule, code: d.code, partnerId: t.partnerId, entryId: t.entryId, context: CONTEXT_NAMES[t.context] as string };
      return refused(reply, req, ev, redirectStatus(d.reason), d.message, t.context);
    }
    metrics.count(t.context, d.previewSeconds === null ? 'allowed' : 'preview');
    const location = redirectLocation({ origin, uri, target: t, clientIp, previewSeconds: d.previewSeconds, tokenKey, expiresAt: nowSeconds(clock) + tokenTtl });
    // The Location holds a token for this viewer: no shared cache may keep it.
    return reply.code(302).header('location', location).header('cache-control', 'no-store').send();
  });

  const forwardAuth = async (req: FastifyRequest, reply: FastifyReply) => {
    const clientIp = ips.resolve(req);
    const original = originalRequest(req);
    if (original === 'conflict') {
      const ev = { door: 'forward-auth' as const, clientIp, method: req.method, reason: 'bad_request' as const, rule: null, partnerId: null, entryId: null, context: 'unknown' };
      return refused(reply, req, ev, 403, 'The proxy headers name different original URIs', 0);
    }
    const t = parseDeliveryUri(original.uri, true);
    if (!t) {
      const ev = { door: 'forward-auth' as const, via: original.via, clientIp, method: original.method, reason: 'bad_request' as const, rule: null, partnerId: null, entryId: null, context: 'unknown' };
      return refused(reply, req, ev, 403, 'The original URI names no entry', 0);
    }
    const d = await decide(req, t, clientIp, original.uri);
    if (!d.granted) {
      const ev = { door: 'forward-auth' as const, via: original.via, clientIp, method: original.method, reason: d.reason, rule: d.rule, code: d.code, partnerId: t.partnerId, entryId: t.entryId, context: CONTEXT_NAMES[t.context] as string };
      return refused(reply, req, ev, forwardAuthStatus(d.reason), d.message, t.context);
    }
    metrics.count(t.context, d.previewSeconds === null ? 'allowed' : 'preview');
    return allowForwardAuth(reply, d.partnerId, d.entryId, d.userId, d.previewSeconds);
  };
  scope.route({ method: ANY_METHOD, url: FORWARD_AUTH_PATH, handler: forwardAuth });
  scope.route({ method: ANY_METHOD, url: `${FORWARD_AUTH_PATH}/*`, handler: forwardAuth });
}
