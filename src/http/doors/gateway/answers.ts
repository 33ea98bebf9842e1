/**
 * The gateway's one map from decisions to the wire: Kong ≥ 1.1's statuses and `{"message": ...}`
 * bodies (protocol §1.4-1.6), and the identity headers of a 200. Messages follow Kong's wording
 * where Kong has one. They name the failed check, never a token, key or secret.
 */
import type { FastifyReply } from 'fastify';
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

function json(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(`{"message":${JSON.stringify(message)}}`);
}

export function badRequest(reply: FastifyReply, reason: string): FastifyReply {
  return json(reply.header('cache-control', 'no-store'), 400, `Bad request: ${reason}`);
}

export function noCredential(reply: FastifyReply, reason: 'none' | 'multiple'): FastifyReply {
  reply.header('cache-control', 'no-store').header('www-authenticate', 'Bearer realm="gatehouse"');
  return json(reply, 401, reason === 'none' ? 'Unauthorized' : 'Multiple credentials provided');
}

export function refusal(reply: FastifyReply, r: Refusal, via: 'jwt' | 'apiKey'): FastifyReply {
  reply.header('cache-control', 'no-store');
  if (r.status === 401) {
    reply.header('www-authenticate', via === 'jwt' ? 'Bearer realm="gatehouse", error="invalid_token"' : 'Key realm="gatehouse"');
    const apiKey = via === 'apiKey' || r.reason.startsWith('api key');
    return json(reply, 401, apiKey ? API_KEY_MESSAGE : (MESSAGES[r.reason] ?? 'Unauthorized'));
  }
  if (r.status === 429) {
    reply.header('retry-after', String(r.retryAfterSec)).header('ratelimit-limit', String(r.limit)).header('ratelimit-remaining', '0').header('ratelimit-reset', String(r.retryAfterSec));
  }
  return json(reply, r.status, MESSAGES[r.reason] ?? 'Forbidden');
}

export function granted(reply: FastifyReply, d: Extract<Decision, { granted: true }>): FastifyReply {
  const id: GatewayIdentity = d.identity;
  reply
    .header('cache-control', 'no-store')
    .header('x-consumer-id', id.consumerId)
    .header('x-consumer-username', id.username)
    .header('x-credential-identifier', id.credentialId)
    .header('x-consumer-groups', id.groups.join(', '))
    .header('x-gatehouse-partner-id', String(id.partnerId))
    .header('x-gatehouse-service-id', d.service.id);
  if (d.rateLimit > 0) reply.header('ratelimit-limit', String(d.rateLimit)).header('ratelimit-remaining', String(d.remaining));
  return reply.code(200).send();
}

export function fault(reply: FastifyReply): FastifyReply {
  // Fail closed: nginx turns a 500 from auth_request into a 500 for the client, never a pass.
  return json(reply.header('cache-control', 'no-store'), 500, 'An unexpected error occurred');
}
