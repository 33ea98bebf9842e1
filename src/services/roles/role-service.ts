/** userRole.add / get / list / update / delete and permission.list (protocol §4.5). */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import { PERMISSIONS, unknownPermissions, type PermissionDef } from '../../core/permissions/catalogue.js';
import type { Auditor } from '../audit.js';
import { assertMayGrantRole } from '../grants.js';
import type { Principal, RequestMeta } from '../context.js';
import { RoleStatus, SystemPartner, type ListResult, type Page, type Role } from '../model.js';
import type { Directory, RoleFilter, RoleRepo, UserRepo } from '../ports.js';

export interface RoleInput {
  name?: string | null;
  systemName?: string | null;
  description?: string | null;
  status?: number | null;
  permissionNames?: string | null;
  tags?: string | null;
}

/** KalturaPermissionFilter's fields Gatehouse honours. */
export interface PermissionFilter {
  nameEqual?: string;
  nameIn?: string[];
  idEqual?: number;
  idIn?: number[];
  typeEqual?: number;
  typeIn?: number[];
  statusEqual?: number;
  statusIn?: number[];
}

/** Kaltura's KalturaPermissionStatus ACTIVE: every permission Gatehouse serves. */
export const PERMISSION_ACTIVE = 1;

export interface RoleServiceDeps {
  roles: RoleRepo;
  users: UserRepo;
  directory: Directory;
  audit: Auditor;
  clock: Clock;
}

export class RoleService {
  constructor(private readonly d: RoleServiceDeps) {}

  async add(p: Principal, input: RoleInput, meta: RequestMeta): Promise<Role> {
    if (!input.name) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'userRole::name' });
    await this.assertNameFree(p.partnerId, input.name);
    const permissionNames = normalisePermissions(input.permissionNames ?? '');
    // A role's permissions are power over whoever holds it (grants.ts; every door creates roles here).
    assertMayGrantRole(p, permissionNames);
    const now = nowSeconds(this.d.clock);
    const role = await this.d.roles.insert({
      partnerId: p.partnerId,
      name: input.name,
      systemName: input.systemName ?? '',
      description: input.description ?? '',
      status: activeOrBlocked(input.status ?? RoleStatus.ACTIVE),
      permissionNames,
      tags: input.tags ?? '',
      createdAt: now,
      updatedAt: now,
    });
    await this.audit(p, 'userRole.add', role.id, meta);
    return role;
  }

  async get(p: Principal, id: number): Promise<Role> {
    const role = await this.d.roles.get(id);
    if (!role || role.status === RoleStatus.DELETED || !visible(role, p.partnerId)) throw fail(E.INVALID_OBJECT_ID, { ID: id });
    return role;
  }

  list(p: Principal, filter: RoleFilter, page: Page): Promise<ListResult<Role>> {
    return this.d.roles.list(p.partnerId === SystemPartner.GLOBAL ? [SystemPartner.GLOBAL] : [p.partnerId, SystemPartner.GLOBAL], filter, page);
  }

  async update(p: Principal, id: number, input: RoleInput, meta: RequestMeta): Promise<Role> {
    const role = await this.owned(p, id);
    // Only a role whose power the caller holds, and only into power it holds (no `*` added to one's own role).
    assertMayGrantRole(p, role.permissionNames);
    if (input.permissionNames != null) assertMayGrantRole(p, input.permissionNames);
    const patch: Partial<Role> = { updatedAt: nowSeconds(this.d.clock) };
    if (input.name != null && input.name !== role.name) {
      await this.assertNameFree(p.partnerId, input.name);
      patch.name = input.name;
    }
    if (input.systemName != null) patch.systemName = input.systemName;
    // `foo__null` arrives as null: clear the field.
    if (input.description !== undefined) patch.description = input.description ?? '';
    if (input.tags !== undefined) patch.tags = input.tags ?? '';
    // Deleting goes through delete (which checks the role is unused), never through a status change.
    if (input.status != null) patch.status = activeOrBlocked(input.status);
    if (input.permissionNames != null) patch.permissionNames = normalisePermissions(input.permissionNames);
    const updated = await this.d.roles.update(id, patch);
    // Permission changes apply to live sessions at once (ASVS 8.3.2): every node drops the role.
    await this.d.directory.changed('role', String(id));
    await this.audit(p, 'userRole.update', id, meta);
    return updated;
  }

  async delete(p: Principal, id: number, meta: RequestMeta): Promise<Role> {
    const role = await this.owned(p, id);
    assertMayGrantRole(p, role.permissionNames);
    if ((await this.d.users.countWithRole(id)) > 0) throw fail(E.ROLE_IS_BEING_USED);
    const updated = await this.d.roles.update(id, { status: RoleStatus.DELETED, updatedAt: nowSeconds(this.d.clock) });
    await this.d.directory.changed('role', String(role.id));
    await this.audit(p, 'userRole.delete', id, meta);
    return updated;
  }

  /**
   * The permissions Gatehouse serves, all active. A type filter picks Kaltura's kinds: kmc-ng asks
   * for the partner's features and plugins (typeIn 2,3) and adds them to its role's names.
   */
  listPermissions(filter: PermissionFilter, page: Page): ListResult<PermissionDef> {
    const status = PERMISSION_ACTIVE;
    let all = PERMISSIONS.filter(
      (x) =>
        (filter.nameEqual === undefined || x.name === filter.nameEqual) &&
        (!filter.nameIn?.length || filter.nameIn.includes(x.name)) &&
        (filter.idEqual === undefined || x.id === filter.idEqual) &&
        (!filter.idIn?.length || filter.idIn.includes(x.id)) &&
        (filter.typeEqual === undefined || x.type === filter.typeEqual) &&
        (!filter.typeIn?.length || filter.typeIn.includes(x.type)) &&
        (filter.statusEqual === undefined || status === filter.statusEqual) &&
        (!filter.statusIn?.length || filter.statusIn.includes(status)),
    );
    const totalCount = all.length;
    all = all.slice((page.pageIndex - 1) * page.pageSize, page.pageIndex * page.pageSize);
    return { objects: all, totalCount };
  }

  /** Roles a partner may change: its own, never the global ones. */
  private async owned(p: Principal, id: number): Promise<Role> {
    const role = await this.d.roles.get(id);
    if (!role || role.status === RoleStatus.DELETED || role.partnerId !== p.partnerId) throw fail(E.INVALID_OBJECT_ID, { ID: id });
    return role;
  }

  private async assertNameFree(partnerId: number, name: string): Promise<void> {
    const same = await this.d.roles.list([partnerId], { nameEqual: name }, { pageSize: 1, pageIndex: 1 });
    if (same.totalCount > 0) throw fail(E.ROLE_NAME_ALREADY_EXISTS);
  }

  private audit(p: Principal, action: string, id: number, meta: RequestMeta): Promise<void> {
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target: String(id), outcome: 'success', clientIp: meta.clientIp });
  }
}

function activeOrBlocked(status: number): number {
  if (status !== RoleStatus.ACTIVE && status !== RoleStatus.BLOCKED) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'status' });
  return status;
}

function visible(role: Role, partnerId: number): boolean {
  return role.partnerId === partnerId || role.partnerId === SystemPartner.GLOBAL || partnerId === SystemPartner.ADMIN_CONSOLE;
}

function normalisePermissions(text: string): string {
  const unknown = unknownPermissions(text);
  if (unknown.length) throw fail(E.PERMISSION_NOT_FOUND, { ERR_TEXT: `Permission [${unknown.join(', ')}] not found` });
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',');
}
