// Step: the caller holds one of the route's permissions (403 PERMISSION_REQUIRED).
import type { FastifyRequest } from 'fastify';
import { E, fail } from '../../../../core/errors/index.js';
import type { Caller } from '../../../../services/auth/authenticate-caller.js';
import { permissionHeld } from '../../../../services/pipeline/steps/permission-held.js';

export function requirePermission(req: FastifyRequest, caller: Caller, permissions: readonly string[]): void {
  if (permissionHeld(caller.principal, permissions).ok) return;
  req.log.info({ auth: { granted: false, via: caller.via, reason: 'permission', required: permissions } }, 'rest authorization refused');
  throw fail(E.PERMISSION_REQUIRED, { PERMISSIONS: permissions.join(', ') });
}
