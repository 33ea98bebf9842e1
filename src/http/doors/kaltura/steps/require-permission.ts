// Step: the principal's roles grant one of the action's permissions (SERVICE_FORBIDDEN, arg `service->action`).
import { E, fail } from '../../../../core/errors/index.js';
import { satisfiesAny } from '../../../../core/permissions/catalogue.js';
import { isOperatorSession, type Principal } from '../../../../services/context.js';
import type { ActionDef } from '../registry.js';

export function requirePermission(p: Principal, def: ActionDef): void {
  if (!satisfiesAny(p.permissions, def.permissions, isOperatorSession(p))) throw fail(E.SERVICE_FORBIDDEN, { SERVICE: `${def.service}->${def.action}` });
}
