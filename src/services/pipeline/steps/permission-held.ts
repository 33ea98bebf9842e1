// Step: the caller holds one of the permissions the action needs; else `permission_missing`.
import { satisfiesAny } from '../../../core/permissions/catalogue.js';
import { isOperatorSession, type Principal } from '../../context.js';
import { SystemPartner } from '../../model.js';
import { PASS, refuse, type StepOutcome } from '../reasons.js';

/**
 * Operator permissions (SYSTEM_ADMIN_*) count only for callers of the admin-console partner: a KS
 * of partner -2 (whichever partner it acts on) or a REST caller of partner -2. A publisher's `*`
 * role never reaches them (catalogue.satisfiesAny).
 */
export function isOperator(p: Pick<Principal, 'ks' | 'partnerId'>): boolean {
  return isOperatorSession(p) || p.partnerId === SystemPartner.ADMIN_CONSOLE;
}

export function permissionHeld(p: Pick<Principal, 'ks' | 'partnerId' | 'permissions'>, required: readonly string[]): StepOutcome {
  return satisfiesAny(p.permissions, required, isOperator(p)) ? PASS : refuse('permission_missing');
}
