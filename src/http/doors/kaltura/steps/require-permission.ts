// Step: the principal's roles grant one of the action's permissions (SERVICE_FORBIDDEN, arg `service->action`).
import { E, fail } from '../../../../core/errors/index.js';
import type { Principal } from '../../../../services/context.js';
import { permissionHeld } from '../../../../services/pipeline/steps/permission-held.js';
import type { ActionDef } from '../registry.js';

export function requirePermission(p: Principal, def: ActionDef): void {
  if (!permissionHeld(p, def.permissions).ok) throw fail(E.SERVICE_FORBIDDEN, { SERVICE: `${def.service}->${def.action}` });
}
