/**
 * Role management for the REST door and the console: the Kaltura door's `userRole` service (whose
 * rules against escalation, in grants.ts, hold for every door), with a clearer answer for the
 * built-in global roles, which no partner may change.
 */
import { E, fail } from '../../core/errors/index.js';
import type { Principal, RequestMeta } from '../context.js';
import { SystemPartner, type ListResult, type Page, type Role } from '../model.js';
import type { RoleFilter } from '../ports.js';
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
    return this.d.roles.add(p, input, meta);
  }

  async update(p: Principal, id: number, input: RoleInput, meta: RequestMeta): Promise<Role> {
    await this.owned(p, id);
    return this.d.roles.update(p, id, input, meta);
  }

  async delete(p: Principal, id: number, meta: RequestMeta): Promise<void> {
    await this.owned(p, id);
    await this.d.roles.delete(p, id, meta);
  }

  /** Global built-in roles are visible to every partner but belong to none: they cannot be changed. */
  private async owned(p: Principal, id: number): Promise<Role> {
    const role = await this.d.roles.get(p, id);
    if (role.partnerId === SystemPartner.GLOBAL && p.partnerId !== SystemPartner.GLOBAL) throw fail(E.BUILT_IN_ROLE_READ_ONLY, { ID: id });
    return role;
  }
}
