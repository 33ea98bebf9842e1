/**
 * `/authz/api`: forward-auth decisions for an API gateway in front of any upstream (nginx
 * `auth_request`, Traefik ForwardAuth, Envoy ext_authz over HTTP). Decode the original request
 * and credential → ask the GatewayService → answer 200 with identity headers, or 401/403/429
 * with a Kong-style `{"message": ...}` body (./answers.ts). Hot path: no body parsing, no
 * per-request compilation, no database read in the steady state.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Registry } from 'prom-client';
import { isPromise } from '../../../core/maybe.js';
import type { Decision, GatewayRequest, GatewayService, Refusal } from '../../../services/gateway/gateway-service.js';
import type { RateVerdict } from '../../../core/gateway/rate-windows.js';
import type { ApiService } from '../../../services/model.js';
import type { RawRoutes } from '../../raw-routes.js';
import { isGatehouseError } from '../../../core/errors/index.js';
import { badRequest, fault, granted, grantedPublic, noCredential, refusal, refusalStatus, unavailable } from './answers.js';
import { GatewayMetrics, type DoorRefusal } from './metrics.js';
import { ClientIpResolver } from '../delivery/client-ip.js';
import { AUTHZ_PATH, partnerPin, readAsked, readGatewayCredential, readOriginal, type Original } from './original-request.js';

export interface GatewayDoorOptions {
  /** Where the door's route is answered ahead of Fastify's router (raw-routes.ts). */
  raw: RawRoutes;
  gateway: GatewayService;
  /** Where `gatehouse_gateway_decisions_total` is counted (ops.ts's registry). */
  registry: Registry;
  /** GATEHOUSE_API_KEY_IN_QUERY: whether `key=` in the original query is a credential. */
  apiKeyInQuery: boolean;
  bodyLimit: number;
  /** GATEHOUSE_TRUSTED_PROXIES: whose X-Forwarded-For / X-Real-IP give the client address (services limited by address). */
  trustedProxies: readonly string[];
}

// Proxies ask with GET (nginx subrequests, Traefik) or with the original method (Envoy).
const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export async function gatewayDoor(scope: FastifyInstance, opts: GatewayDoorOptions): Promise<void> {
  // Bodies are never looked at (Envoy may forward one): taken as bytes and dropped (on the raw
  // path they are never read at all, and Node discards them).
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req: FastifyRequest, _body: Buffer, done: (err: null, body: undefined) => void) => done(null, undefined));

  const log: FastifyBaseLogger = scope.log;
  const { gateway } = opts;
  const metrics = new GatewayMetrics(opts.registry);
  const ips = new ClientIpResolver(opts.trustedProxies);
  /** Whether decision events are logged; asked per decision, so a changed level takes effect. */
  const debug = (): boolean => (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('debug') === true;

  /**
   * Counts every decision, logs it at debug only, and answers it. Refusals are the cheapest
   * requests to send: one `info` line each let an anonymous flood write hundreds of megabytes a
   * minute. So a refusal is a counter increment (gatehouse_gateway_decisions_total{outcome}, the
   * place to watch and alert on) and, at debug, one structured event (STYLE rule 14): ids and the
   * failed check, never the credential. Events are built only when debug is on.
   */
  function answer(res: ServerResponse, original: Extract<Original, { ok: true }>, via: 'jwt' | 'apiKey', d: Decision): void {
    if (!d.granted) {
      metrics.refused(d);
      if (debug()) {
        log.debug(
          { authz: { granted: false, status: refusalStatus(d), reason: d.reason, detail: 'detail' in d ? d.detail : undefined, via, partnerId: d.identity?.partnerId, credential: d.identity?.credentialId, service: d.service?.id, method: original.method, path: original.path } },
          'gateway decision',
        );
      }
      return refusal(res, d, via);
    }
    metrics.granted();
    if (debug()) {
      log.debug({ authz: { granted: true, via, partnerId: d.identity.partnerId, credential: d.identity.credentialId, service: d.service.id, method: original.method, path: original.path } }, 'gateway decision');
    }
    granted(res, d);
  }

  /** A request the door refuses before asking the service (no original request, no credential). */
  function refusedByDoor(outcome: DoorRefusal, status: number, reason: string, original?: Extract<Original, { ok: true }>): void {
    metrics.refused(outcome);
    if (debug()) log.debug({ authz: { granted: false, status, reason, method: original?.method, path: original?.path } }, 'gateway decision');
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void | Promise<void> => {
    const asked = readAsked(req);
    const original = readOriginal(asked);
    if (!original.ok) {
      refusedByDoor('bad_request', 400, original.reason);
      return badRequest(res, original.reason);
    }
    const pin = partnerPin(asked);
    if (pin !== undefined && Number.isNaN(pin)) {
      refusedByDoor('bad_request', 400, 'bad X-Gatehouse-Partner', original);
      return badRequest(res, 'X-Gatehouse-Partner must be one partner id');
    }
    const cred = readGatewayCredential(asked, original.query, opts.apiKeyInQuery);
    if (!cred.ok) {
      const refuse = (): void => {
        refusedByDoor(cred.reason === 'none' ? 'no_credential' : 'multiple_credentials', 401, `credential: ${cred.reason}`, original);
        noCredential(res, cred.reason);
      };
      // No credential at a location pinned to a partner: a public service of that partner lets it through.
      if (cred.reason !== 'none' || pin === undefined) return refuse();
      const open = (s: ApiService | undefined): void | Promise<void> => {
        if (!s) return refuse();
        const limited = gateway.limitPublic(s, ips.resolve(req));
        const pass = (v: RateVerdict | undefined): void => {
          if (v && !v.ok) {
            const r: Refusal = { reason: 'rate_limited', retryAfterSec: v.resetSec, limit: v.limit, windows: v.windows };
            metrics.refused(r);
            if (debug()) log.debug({ authz: { granted: false, status: 429, reason: r.reason, via: 'public', partnerId: pin, service: s.id, method: original.method, path: original.path } }, 'gateway decision');
            return refusal(res, r, 'jwt');
          }
          metrics.granted();
          if (debug()) log.debug({ authz: { granted: true, via: 'public', partnerId: pin, service: s.id, method: original.method, path: original.path } }, 'gateway decision');
          grantedPublic(res, s, v);
        };
        return isPromise(limited) ? limited.then(pass) : pass(limited);
      };
      const found = gateway.publicService(pin, original.method, original.path);
      return isPromise(found) ? found.then(open) : open(found);
    }
    const via = cred.credential.kind;
    const r: GatewayRequest = { method: original.method, path: original.path, credential: cred.credential, partnerPin: pin, clientIp: () => ips.resolve(req) };
    // At once when everything is cached (the steady state), else after the service's reads.
    const d = gateway.decide(r);
    if (!isPromise(d)) return answer(res, original, via, d);
    return d.then((v) => answer(res, original, via, v));
  };
  opts.raw.route(scope, {
    path: AUTHZ_PATH,
    methods: METHODS,
    handler,
    fault: (err, _req, res) => {
      // The database being away is an outage, not a bug: a 503, and no line per request (a flood
      // would write one each); the outage itself is logged once by the pool and the cache sync.
      if (isGatehouseError(err) && err.def.category === 'unavailable') {
        log.debug({ cause: (err.cause as Error | undefined)?.message }, 'gateway decision needs the database, which is unavailable');
        return unavailable(res);
      }
      log.error({ err }, 'gateway fault');
      fault(res);
    },
  });
}

/**
 * For Fastify's `frameworkErrors`: a request the router refused before any route ran (a malformed
 * %-escape in an Envoy-style path, reaching the router through `inject`) still gets the gateway's
 * answer shape, without echoing the URL.
 */
export function answerGatewayFrameworkError(url: string, reply: FastifyReply): boolean {
  if (!/^\/authz\/api(?:[/?]|$)/.test(url)) return false;
  reply.hijack();
  badRequest(reply.raw, 'the request URL is not valid (bad percent-encoding)');
  return true;
}
