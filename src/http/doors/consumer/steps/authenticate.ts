// Step: the admin credential identifies a live caller of a live partner (401 with the credential's code, 403 for a blocked partner).
import type { FastifyRequest } from 'fastify';
import { fail } from '../../../../core/errors/index.js';
import type { Caller, CallerAuthenticator, Credential } from '../../../../services/auth/authenticate-caller.js';

export async function authenticate(req: FastifyRequest, callers: CallerAuthenticator, credential: Credential): Promise<Caller> {
  const check = await callers.authenticate(credential);
  if (!check.ok) {
    // One structured event per refusal; the reason stays in the log, the caller sees the code only.
    req.log.info({ auth: { granted: false, via: credential.kind, reason: check.reason } }, 'consumer door authentication refused');
    throw fail(check.error);
  }
  return check.caller;
}
