// Step (registration routes): a consumer JWT that verifies (the consumer is the caller), else an admin credential with CONSUMER_MANAGE — else the admin path's 401/403.
import type { FastifyRequest } from 'fastify';
import type { RegistrationCaller } from '../../../../services/consumers/device-registration.js';
import type { ConsumerTokenVerifier } from '../../../../services/consumers/verify-consumer-token.js';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Both kinds of caller send `Authorization: Bearer <jwt>`. The consumer reading comes first: a
 * token is a consumer's when its `kid`/`iss` names a consumer credential and it verifies. Any other
 * bearer (an admin access token: its kid names no consumer credential) goes on to the admin
 * pipeline, whose refusal is the answer; a consumer token that failed its checks is logged with
 * the check's name, never the token.
 */
export async function registeringCaller(req: FastifyRequest, tokens: ConsumerTokenVerifier, admin: () => Promise<RegistrationCaller>): Promise<RegistrationCaller> {
  const m = BEARER.exec(req.headers.authorization ?? '');
  if (m) {
    const check = await tokens.verify(m[1]!, 'registration');
    if (check.ok) return { kind: 'consumer', entry: check.entry };
    if (check.reason !== 'unknown key' && check.reason !== 'malformed') req.log.info({ auth: { granted: false, via: 'consumerJwt', reason: check.reason } }, 'consumer token refused for registration');
  }
  return admin();
}
