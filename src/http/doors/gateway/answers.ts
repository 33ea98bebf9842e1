/**
 * The gateway's one map from decisions to the wire: Kong ≥ 1.1's statuses and `{"message": ...}`
 * bodies (protocol §1.4-1.6), and the identity headers of a 200. Messages follow Kong's wording
 * where Kong has one. They name the failed check, never a token, key or secret.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Decision, GatewayIdentity, Refusal, RefusalReason } from '../../../services/gateway/gateway-service.js';
import type { ApiService } from '../../../services/model.js';
import { LIMIT_HEADER, REMAINING_HEADER, type RateVerdict, type WindowState } from '../../../core/gateway/rate-windows.js';

/** Kong's messages for a consumer JWT's failures (TokenFailure), and the partner pin's. */
const TOKEN_MESSAGES: Record<string, string> = {
  malformed: 'Unrecognizable token',
  'unsupported header': 'Bad token; unsupported header',
  'no key claim': "No mandatory 'iss' in claims",
  'unknown key': "No credentials found for given 'iss'",
  algorithm: 'Invalid algorithm',
  signature: 'Invalid signature',
  'bad claim': "Bad token; 'exp' and 'nbf' must be numbers",
  expired: 'token expired',
  'not yet valid': 'token not valid yet',
  'exp required': "Bad token; 'exp' is required",
  'exceeds max lifetime': 'exceeds maximum allowed expiration',
  deprecated: 'Credential deprecated; it can only be used to rotate',
  'credential expired': 'Credential expired',
};

/** The door's one map from a refusal reason to Kong's status and message. */
const ANSWER: Readonly<Record<Exclude<RefusalReason, 'invalid_credential'>, { status: number; message: string }>> = {
  // A location pinned to another partner: the credential is as good as unknown there.
  partner_mismatch: { status: 401, message: "No credentials found for given 'iss'" },
  partner_blocked: { status: 403, message: 'The partner of this credential is blocked' },
  no_service: { status: 403, message: 'No service matches this request' },
  not_allowed: { status: 403, message: 'You cannot consume this service' },
  rate_limited: { status: 429, message: 'API rate limit exceeded' },
};

/** The HTTP status of a refusal (for logs); the answer itself is `refusal`. */
export function refusalStatus(r: Refusal): number {
  return r.reason === 'invalid_credential' ? 401 : ANSWER[r.reason].status;
}

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
  const headers: OutgoingHttpHeaders = { 'cache-control': 'no-store', 'x-gatehouse-reason': r.reason };
  if (r.reason === 'invalid_credential' || r.reason === 'partner_mismatch') {
    headers['www-authenticate'] = via === 'jwt' ? 'Bearer realm="gatehouse", error="invalid_token"' : 'Key realm="gatehouse"';
    if (r.reason === 'partner_mismatch') return json(res, 401, via === 'apiKey' ? API_KEY_MESSAGE : ANSWER.partner_mismatch.message, headers);
    return json(res, 401, r.credential === 'apiKey' ? API_KEY_MESSAGE : (TOKEN_MESSAGES[r.detail] ?? 'Unauthorized'), headers);
  }
  if (r.reason === 'rate_limited') {
    const retry = String(r.retryAfterSec);
    headers['retry-after'] = retry;
    headers['ratelimit-limit'] = String(r.limit);
    headers['ratelimit-remaining'] = '0';
    headers['ratelimit-reset'] = retry;
    // A service's windows: Kong's per-window headers too (X-RateLimit-Limit-Minute, …).
    if (r.windows) for (const w of r.windows) windowHeaders(w, headers);
  }
  const a = ANSWER[r.reason];
  json(res, a.status, a.message, headers);
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

function windowHeaders(w: WindowState, headers: OutgoingHttpHeaders): void {
  headers[LIMIT_HEADER[w.window]] = String(w.limit);
  headers[REMAINING_HEADER[w.window]] = String(w.remaining);
}

/**
 * A grant under a service's windows: Kong's headers — each window's limit and remaining, and the
 * `RateLimit-*` of the window with the fewest left — unless the per-credential limit has fewer
 * left, whose `RateLimit-*` then stand (the tighter budget is the one a client must heed).
 */
function windowedGrant(res: ServerResponse, headers: readonly string[], d: Extract<Decision, { granted: true }>, v: RateVerdict): void {
  const out = [...headers];
  for (const w of v.windows) out.push(LIMIT_HEADER[w.window], String(w.limit), REMAINING_HEADER[w.window], String(w.remaining));
  if (d.rateLimit > 0 && d.remaining < v.remaining) out.push('ratelimit-limit', String(d.rateLimit), 'ratelimit-remaining', String(d.remaining));
  else out.push('ratelimit-limit', String(v.limit), 'ratelimit-remaining', String(v.remaining), 'ratelimit-reset', String(v.resetSec));
  res.writeHead(200, out).end();
}

export function granted(res: ServerResponse, d: Extract<Decision, { granted: true }>): void {
  const headers = identityHeaders(d.identity, d.service.id);
  if (d.windows && d.windows.windows.length > 0) return windowedGrant(res, headers, d, d.windows);
  if (d.rateLimit > 0) {
    res.writeHead(200, [...headers, 'ratelimit-limit', String(d.rateLimit), 'ratelimit-remaining', String(d.remaining)]).end();
    return;
  }
  res.writeHead(200, headers as string[]).end();
}

/** A public service let a request without a credential through: Kong's anonymous marker, no consumer. */
export function grantedPublic(res: ServerResponse, s: ApiService, v?: RateVerdict): void {
  const headers = ['cache-control', 'no-store', 'content-length', '0', 'x-anonymous-consumer', 'true', 'x-gatehouse-partner-id', String(s.partnerId), 'x-gatehouse-service-id', s.id];
  if (v) {
    for (const w of v.windows) headers.push(LIMIT_HEADER[w.window], String(w.limit), REMAINING_HEADER[w.window], String(w.remaining));
    headers.push('ratelimit-limit', String(v.limit), 'ratelimit-remaining', String(v.remaining), 'ratelimit-reset', String(v.resetSec));
  }
  res.writeHead(200, headers).end();
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
