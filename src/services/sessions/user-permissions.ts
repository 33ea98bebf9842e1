/**
 * The permissions a user holds through their role, read live (cached) on every call, so a role
 * change or a block takes effect at once rather than when a token expires (ASVS 8.3.2). Same
 * rules as a KS of that user: the role's permissions; without a role, an admin holds everything
 * in the partner and anyone else the basic user-session role.
 */
import { GLOBAL_ROLES } from '../../core/permissions/builtin-roles.js';
import { parsePermissionNames, satisfiesAny } from '../../core/permissions/catalogue.js';
import type { User } from '../model.js';
import { userRolePermissions } from '../pipeline/steps/session-permissions.js';
import type { Directory } from '../ports.js';

/** What every user holds without a role (the basic user-session role). */
export const BASIC_USER_PERMISSIONS = parsePermissionNames(GLOBAL_ROLES.find((r) => r.systemName === 'BASE_USER_SESSION_ROLE')?.permissionNames ?? '');

export type Permissions = ReadonlySet<string> | '*';

export async function userPermissions(directory: Directory, user: User): Promise<Permissions> {
  // The rule is the caller table's (pipeline/steps/session-permissions.ts), written once there.
  return userRolePermissions({ role: (id) => directory.role(id) }, user);
}

/** True when `granted` covers every permission of `wanted` (`*` only covers `*`). */
export function holdsAll(granted: Permissions, wanted: Permissions, operator = false): boolean {
  if (granted === '*') return wanted === '*' ? true : [...wanted].every((n) => satisfiesAny('*', [n], operator));
  if (wanted === '*') return false;
  return [...wanted].every((n) => satisfiesAny(granted, [n], operator));
}
