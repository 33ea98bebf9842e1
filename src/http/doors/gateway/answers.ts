/**
 * The gateway's one map from decisions to the wire: Kong ≥ 1.1's statuses and `{"message": ...}`
 * bodies (protocol §1.4-1.6), and the identity headers of a 200. Messages follow Kong's wording
 * where Kong has one. They name the failed check, never a token, key or secret.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Decision, GatewayIdentity, Refusal } from '../../../services/gateway/gateway-service.js';

const MESSAGES: Record<string, string> = {
  malformed: 'Unrecognizable token',
  'unsupported header': 'Bad token; unsupported header',
  'no key claim': "No mandatory 'iss' in claims",
  'unknown key': "No credentials found for given 'iss'",
  // A location pinned to another partner: the credential is as good as unknown there.
  'partner mismatch': "No credentials found for given 'iss'",
  algorithm: 'Invalid algorithm',
  signature: 'Invalid signature',
  'bad claim': "Bad token; 'exp' and 'nbf' must be numbers",
  expired: 'token expired',
  'not yet valid': 'token not valid yet',
  'exp required': "Bad token; 'exp' is required",
  'exceeds max lifetime': 'exceeds maximum allowed expiration',
  deprecated: 'Credential deprecated; it can only be used to rotate',
  'credential expired': 'Credential expired',
  'partner blocked': 'The partner of this credential is blocked',
  'no service': 'No service matches this request',
  groups: 'You cannot consume this service',
  services: 'You cannot consume this service',
  permissions: 'You cannot consume this service',
  'rate limited': 'API rate limit exceeded',
};

/** API-key failures share one message, as the REST door's: unknown, revoked and expired look alike. */
const API_KEY_MESSAGE = 'Invalid authentication credentials';

function json(res: ServerResponse, status: number, message: string, headers: OutgoingHttpHeaders): void {
  const body = `{"message":${JSON.stringify(message)}}`;
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(body);
  res.writeHead(status, headers).end(body);
}

export function badRequest(res: ServerResponse, reason: string): void {
  json(res, 400, `Bad request: ${reason}`, { 'cache-control': 'no-store' });
}

export function noCredential(res: ServerResponse, reason: 'none' | 'multiple'): void {
  json(res, 401, reason === 'none' ? 'Unauthorized' : 'Multiple credentials provided', { 'cache-control': 'no-store', 'www-authenticate': 'Bearer realm="gatehouse"' });
}

export function refusal(res: ServerResponse, r: Refusal, via: 'jwt' | 'apiKey'): void {
  const headers: OutgoingHttpHeaders = { 'cache-control': 'no-store' };
  if (r.status === 401) {
    headers['www-authenticate'] = via === 'jwt' ? 'Bearer realm="gatehouse", error="invalid_token"' : 'Key realm="gatehouse"';
    const apiKey = via === 'apiKey' || r.reason.startsWith('api key');
    return json(res, 401, apiKey ? API_KEY_MESSAGE : (MESSAGES[r.reason] ?? 'Unauthorized'), headers);
  }
  if (r.status === 429) {
    const retry = String(r.retryAfterSec);
    headers['retry-after'] = retry;
    headers['ratelimit-limit'] = String(r.limit);
    headers['ratelimit-remaining'] = '0';
    headers['ratelimit-reset'] = retry;
  }
  json(res, r.status, MESSAGES[r.reason] ?? 'Forbidden', headers);
}

/**
 * The identity headers of a grant, built once per (identity, service): the services hand out one
 * frozen identity per credential record, so a WeakMap keyed by it is exact and goes with it. Kept
 * as Node's flat `[name, value, …]` list, which `writeHead` reads without walking an object.
 */
const grantHeaders = new WeakMap<GatewayIdentity, Map<string, readonly string[]>>();

function identityHeaders(id: GatewayIdentity, serviceId: string): readonly string[] {
  let byService = grantHeaders.get(id);
  if (!byService) grantHeaders.set(id, (byService = new Map()));
  let headers = byService.get(serviceId);
  if (!headers) {
    headers = Object.freeze([
      'cache-control', 'no-store',
      'content-length', '0',
      'x-consumer-id', id.consumerId,
      'x-consumer-username', id.username,
      'x-credential-identifier', id.credentialId,
      'x-consumer-groups', id.groups.join(', '),
      'x-gatehouse-partner-id', String(id.partnerId),
      'x-gatehouse-service-id', serviceId,
    ]);
    byService.set(serviceId, headers);
  }
  return headers;
}

export function granted(res: ServerResponse, d: Extract<Decision, { granted: true }>): void {
  const headers = identityHeaders(d.identity, d.service.id);
  if (d.rateLimit > 0) {
    res.writeHead(200, [...headers, 'ratelimit-limit', String(d.rateLimit), 'ratelimit-remaining', String(d.remaining)]).end();
    return;
  }
  res.writeHead(200, headers as string[]).end();
}

export function fault(res: ServerResponse): void {
  // Fail closed: nginx turns a 500 from auth_request into a 500 for the client, never a pass.
  if (res.headersSent) return void res.end();
  json(res, 500, 'An unexpected error occurred', { 'cache-control': 'no-store' });
}

/**
 * The database is away (a restart, a failover) and the decision needed it: fail closed with 503,
 * which a proxy passes on (Traefik, Envoy) or turns into a 500 (nginx auth_request), never a pass.
 */
export function unavailable(res: ServerResponse): void {
  if (res.headersSent) return void res.end();
  json(res, 503, 'Service temporarily unavailable', { 'cache-control': 'no-store', 'retry-after': '5' });
}
