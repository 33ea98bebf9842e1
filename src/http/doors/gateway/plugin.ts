/**
 * `/authz/api`: forward-auth decisions for an API gateway in front of any upstream (nginx
 * `auth_request`, Traefik ForwardAuth, Envoy ext_authz over HTTP). Decode the original request
 * and credential → ask the GatewayService → answer 200 with identity headers, or 401/403/429
 * with a Kong-style `{"message": ...}` body (./answers.ts). Hot path: no body parsing, no
 * per-request compilation, no database read in the steady state.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { GatewayService } from '../../../services/gateway/gateway-service.js';
import { badRequest, fault, granted, noCredential, refusal } from './answers.js';
import { AUTHZ_PATH, partnerPin, readGatewayCredential, readOriginal } from './original-request.js';

export interface GatewayDoorOptions {
  gateway: GatewayService;
  /** GATEHOUSE_API_KEY_IN_QUERY: whether `key=` in the original query is a credential. */
  apiKeyInQuery: boolean;
  bodyLimit: number;
}

// HEAD comes with GET (Fastify's exposeHeadRoutes). Proxies ask with GET (nginx subrequests,
// Traefik) or with the original method (Envoy).
const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

export async function gatewayDoor(scope: FastifyInstance, opts: GatewayDoorOptions): Promise<void> {
  // Bodies are never looked at (Envoy may forward one): taken as bytes and dropped.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req: FastifyRequest, _body: Buffer, done: (err: null, body: undefined) => void) => done(null, undefined));
  scope.setErrorHandler((err, req, reply) => {
    req.log.error({ err }, 'gateway fault');
    return fault(reply);
  });

  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const original = readOriginal(req);
    if (!original.ok) return badRequest(reply, original.reason);
    const pin = partnerPin(req);
    if (pin !== undefined && Number.isNaN(pin)) return badRequest(reply, 'X-Gatehouse-Partner must be one partner id');
    const cred = readGatewayCredential(req, original.query, opts.apiKeyInQuery);
    if (!cred.ok) {
      req.log.info({ authz: { granted: false, status: 401, reason: `credential: ${cred.reason}`, method: original.method, path: original.path } }, 'gateway decision');
      return noCredential(reply, cred.reason);
    }
    const via = cred.credential.kind;
    const d = await opts.gateway.decide({ method: original.method, path: original.path, credential: cred.credential, partnerPin: pin });
    if (!d.granted) {
      // One structured event per refusal (STYLE rule 14): ids and the failed check, never the credential.
      req.log.info(
        { authz: { granted: false, status: d.status, reason: d.reason, via, partnerId: d.identity?.partnerId, credential: d.identity?.credentialId, service: d.service?.id, method: original.method, path: original.path } },
        'gateway decision',
      );
      return refusal(reply, d, via);
    }
    // Grants are the hot path: their event is built only when debug logging is on.
    if ((req.log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled?.('debug')) {
      req.log.debug({ authz: { granted: true, via, partnerId: d.identity.partnerId, credential: d.identity.credentialId, service: d.service.id, method: original.method, path: original.path } }, 'gateway decision');
    }
    return granted(reply, d);
  };
  scope.route({ method: METHODS, url: AUTHZ_PATH, handler });
  scope.route({ method: METHODS, url: `${AUTHZ_PATH}/*`, handler });
}

/**
 * For Fastify's `frameworkErrors`: a request the router refused before any route ran (a malformed
 * %-escape in an Envoy-style path) still gets the gateway's answer shape, without echoing the URL.
 */
export function answerGatewayFrameworkError(url: string, reply: FastifyReply): boolean {
  if (!/^\/authz\/api(?:[/?]|$)/.test(url)) return false;
  badRequest(reply, 'the request URL is not valid (bad percent-encoding)');
  return true;
}
