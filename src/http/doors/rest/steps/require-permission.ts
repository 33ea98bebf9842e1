// Step: the caller holds one of the route's permissions (403 PERMISSION_REQUIRED).
import type { FastifyRequest } from 'fastify';
import { E, fail } from '../../../../core/errors/index.js';
import { satisfiesAny } from '../../../../core/permissions/catalogue.js';
import type { Caller } from '../../../../services/auth/authenticate-caller.js';
import { SystemPartner } from '../../../../services/model.js';

export function requirePermission(req: FastifyRequest, caller: Caller, permissions: readonly string[]): void {
  // Operator permissions (SYSTEM_ADMIN_*) only ever count for callers of the admin-console
  // partner, as with a KS of partner -2: a publisher's `*` role never reaches the operator routes.
  const operator = caller.principal.partnerId === SystemPartner.ADMIN_CONSOLE;
  if (satisfiesAny(caller.principal.permissions, permissions, operator)) return;
  req.log.info({ auth: { granted: false, via: caller.via, reason: 'permission', required: permissions } }, 'rest authorization refused');
  throw fail(E.PERMISSION_REQUIRED, { PERMISSIONS: permissions.join(', ') });
}
