// Step: the service and action exist (SERVICE_DOES_NOT_EXISTS / ACTION_NOT_SPECIFIED / ACTION_DOES_NOT_EXISTS).
import { E, fail } from '../../../../core/errors/index.js';
import type { ActionDef, ActionRegistry } from '../registry.js';

export function findAction(registry: ActionRegistry, service: unknown, action: unknown): ActionDef {
  const svc = typeof service === 'string' ? service.toLowerCase() : '';
  if (!registry.hasService(svc)) throw fail(E.SERVICE_DOES_NOT_EXISTS, { SRV_NAME: svc });
  if (typeof action !== 'string' || action === '') throw fail(E.ACTION_NOT_SPECIFIED);
  const def = registry.find(svc, action);
  if (!def) throw fail(E.ACTION_DOES_NOT_EXISTS, { ACTION_NAME: action.toLowerCase(), SERVICE_NAME: svc });
  return def;
}
