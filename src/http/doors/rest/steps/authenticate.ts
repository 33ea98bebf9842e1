// Step: the credential identifies a live caller (401 with the credential's own code, else 403 for a blocked partner).
import type { FastifyRequest } from 'fastify';
import { E, fail } from '../../../../core/errors/index.js';
import type { Caller, CallerAuthenticator, Credential } from '../../../../services/auth/authenticate-caller.js';

export async function authenticate(req: FastifyRequest, callers: CallerAuthenticator, credential: Credential, accessTokenOnly: boolean): Promise<Caller> {
  // Kala: API keys are minted with a user's token only, so a leaked key cannot breed more keys.
  if (accessTokenOnly && credential.kind !== 'accessToken') throw fail(E.ACCESS_TOKEN_REQUIRED);
  const check = await callers.authenticate(credential);
  if (!check.ok) {
    // One structured event per refusal; the reason stays in the log, the caller sees the code only.
    req.log.info({ auth: { granted: false, via: credential.kind, reason: check.reason } }, 'rest authentication refused');
    throw fail(check.error);
  }
  return check.caller;
}
