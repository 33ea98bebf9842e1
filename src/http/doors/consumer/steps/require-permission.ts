// Step: the caller may manage the partner's consumers (CONSUMER_MANAGE), else 403 PERMISSION_REQUIRED.
import type { FastifyRequest } from 'fastify';
import { E, fail } from '../../../../core/errors/index.js';
import type { Caller } from '../../../../services/auth/authenticate-caller.js';
import { permissionHeld } from '../../../../services/pipeline/steps/permission-held.js';

export const CONSUMER_MANAGE = 'CONSUMER_MANAGE';

export function requirePermission(req: FastifyRequest, caller: Caller): void {
  if (permissionHeld(caller.principal, [CONSUMER_MANAGE]).ok) return;
  req.log.info({ auth: { granted: false, via: caller.via, reason: 'permission', required: CONSUMER_MANAGE } }, 'consumer door authorization refused');
  throw fail(E.PERMISSION_REQUIRED, { PERMISSIONS: CONSUMER_MANAGE });
}
