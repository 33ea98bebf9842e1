// The REST and consumer doors' wording of the caller table's refusals (services/pipeline/caller.ts): a catalogue error each door renders in its own shape (problem+json, Sunbird envelope), and one log event.
import type { FastifyRequest } from 'fastify';
import { E, fail, type GatehouseError } from '../core/errors/index.js';
import type { CallerCredential } from '../services/pipeline/caller.js';
import type { Refusal } from '../services/pipeline/reasons.js';

/**
 * 401 with the credential's own code when it is not valid (or its user is gone: the token names
 * nobody any more), 403 for a blocked partner or a missing permission. The reason stays in the
 * log; the caller sees the code only. `door` names the log event ('rest', 'consumer door').
 */
export function callerRefusal(req: FastifyRequest, door: string, via: CallerCredential['kind'], r: Refusal, required: readonly string[]): GatehouseError {
  if (r.reason === 'permission_missing') {
    req.log.info({ auth: { granted: false, via, reason: 'permission', required } }, `${door} authorization refused`);
    return fail(E.PERMISSION_REQUIRED, { PERMISSIONS: required.join(', ') });
  }
  const reason = r.reason === 'invalid_credential' ? (r.detail ?? 'invalid') : r.reason === 'user_blocked' ? 'user not active' : 'partner blocked';
  req.log.info({ auth: { granted: false, via, reason } }, `${door} authentication refused`);
  if (r.reason === 'invalid_credential') return fail(via === 'apiKey' ? E.INVALID_API_KEY : E.INVALID_ACCESS_TOKEN);
  if (r.reason === 'user_blocked') return fail(E.INVALID_ACCESS_TOKEN);
  return fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
}
