// Step (rotation only): a consumer JWT in `Authorization: Bearer` that verifies, deprecated or not, and is not past its hard expiry — else 401.
import type { FastifyRequest } from 'fastify';
import { E, fail } from '../../../../core/errors/index.js';
import type { CredentialEntry } from '../../../../services/ports.js';
import type { ConsumerTokenVerifier } from '../../../../services/consumers/verify-consumer-token.js';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export async function consumerToken(req: FastifyRequest, tokens: ConsumerTokenVerifier): Promise<CredentialEntry> {
  const m = BEARER.exec(req.headers.authorization ?? '');
  if (!m) throw fail(E.INVALID_CONSUMER_CREDENTIAL, { REASON: 'send the consumer JWT as Authorization: Bearer <token>' });
  const check = await tokens.verify(m[1]!, 'rotation');
  if (!check.ok) {
    req.log.info({ auth: { granted: false, via: 'consumerJwt', reason: check.reason } }, 'consumer credential rotation refused');
    // The reason names the check that failed (as Kong's messages do), never the token or key.
    throw fail(E.INVALID_CONSUMER_CREDENTIAL, { REASON: check.reason });
  }
  return check.entry;
}
