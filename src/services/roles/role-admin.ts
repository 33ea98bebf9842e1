/**
 * Role management for callers whose permissions are arbitrary subsets (REST access tokens and
 * API keys): the same records and rules as the Kaltura door's `userRole` service, plus one rule
 * against privilege escalation. A role's permissions are power over whoever holds the role, so a
 * caller may only create a role with permissions it holds, and may only change or delete a role
 * whose current permissions it holds; otherwise someone allowed to edit roles could add `*` to
 * their own.
 */
import { E, fail } from '../../core/errors/index.js';
import { parsePermissionNames } from '../../core/permissions/catalogue.js';
import { isOperatorSession, type Principal, type RequestMeta } from '../context.js';
import { SystemPartner, type ListResult, type Page, type Role } from '../model.js';
import type { RoleFilter } from '../ports.js';
import { holdsAll, type Permissions } from '../sessions/user-permissions.js';
import type { RoleInput, RoleService } from './role-service.js';

export class RoleAdministration {
  constructor(private readonly d: { roles: RoleService }) {}

  list(p: Principal, filter: RoleFilter, page: Page): Promise<ListResult<Role>> {
    return this.d.roles.list(p, filter, page);
  }

  get(p: Principal, id: number): Promise<Role> {
    return this.d.roles.get(p, id);
  }

  add(p: Principal, input: RoleInput, meta: RequestMeta): Promise<Role> {
    this.require(p, parsePermissionNames(input.permissionNames ?? ''));
    return this.d.roles.add(p, input, meta);
  }

  async update(p: Principal, id: number, input: RoleInput, meta: RequestMeta): Promise<Role> {
    const role = await this.owned(p, id);
    this.require(p, parsePermissionNames(role.permissionNames));
    if (input.permissionNames != null) this.require(p, parsePermissionNames(input.permissionNames));
    return this.d.roles.update(p, id, input, meta);
  }

  async delete(p: Principal, id: number, meta: RequestMeta): Promise<void> {
    const role = await this.owned(p, id);
    this.require(p, parsePermissionNames(role.permissionNames));
    await this.d.roles.delete(p, id, meta);
  }

  /** Global built-in roles are visible to every partner but belong to none: they cannot be changed. */
  private async owned(p: Principal, id: number): Promise<Role> {
    const role = await this.d.roles.get(p, id);
    if (role.partnerId === SystemPartner.GLOBAL && p.partnerId !== SystemPartner.GLOBAL) throw fail(E.BUILT_IN_ROLE_READ_ONLY, { ID: id });
    return role;
  }

  private require(p: Principal, wanted: Permissions): void {
    const operator = isOperatorSession(p) || p.partnerId === SystemPartner.ADMIN_CONSOLE;
    if (holdsAll(p.permissions, wanted, operator)) return;
    const missing = wanted === '*' ? ['*'] : [...wanted].filter((n) => !holdsAll(p.permissions, new Set([n]), operator));
    throw fail(E.PERMISSION_NOT_HELD, { PERMISSIONS: missing.join(', ') });
  }
}
