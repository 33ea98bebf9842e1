/** userRole.* and permission.list (protocol §4.5). */
import { expandAll, parsePermissionNames, type PermissionDef } from '../../../../core/permissions/catalogue.js';
import { SystemPartner, type Role } from '../../../../services/model.js';
import type { RoleFilter } from '../../../../services/ports.js';
import { PERMISSION_ACTIVE, type PermissionFilter, type RoleInput } from '../../../../services/roles/role-service.js';
import { csv, csvInts, given, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import type { KalturaServices } from './deps.js';

/**
 * A role as Kaltura answers it: a `*` role's names spelled out (UserRole::getPermissionNames), so
 * kmc-ng, which takes userRole.get's names as what its user may do, keeps every served menu for
 * the partner administrator. The role itself still holds `*`.
 */
export function toKalturaRole(r: Role): KObject {
  const permissionNames = parsePermissionNames(r.permissionNames) === '*' ? expandAll(r.partnerId === SystemPartner.ADMIN_CONSOLE) : r.permissionNames;
  return kobj('KalturaUserRole', {
    id: r.id,
    name: r.name,
    systemName: r.systemName,
    description: r.description,
    status: r.status,
    partnerId: r.partnerId,
    permissionNames,
    tags: r.tags,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  });
}

function toKalturaPermission(p: PermissionDef): KObject {
  return kobj('KalturaPermission', { id: p.id, type: p.type, name: p.name, friendlyName: p.friendlyName, description: p.description, status: PERMISSION_ACTIVE, partnerId: 0, dependsOnPermissionNames: '', tags: '', permissionItemsIds: '', partnerGroup: '' });
}

function roleInput(o: KObject): RoleInput {
  const v = <T>(k: string) => o[k] as T | null | undefined;
  return { name: v('name'), systemName: v('systemName'), description: v('description'), status: v('status'), permissionNames: v('permissionNames'), tags: v('tags') };
}

function roleFilter(f: KObject | null | undefined): RoleFilter {
  if (!f) return {};
  const out: RoleFilter = {};
  if (given(f.idEqual) && f.idEqual !== 0) out.idEqual = Number(f.idEqual);
  if (csvInts(f.idIn)) out.idIn = csvInts(f.idIn)!;
  for (const k of ['nameEqual', 'systemNameEqual', 'descriptionLike', 'orderBy'] as const) if (given(f[k])) out[k] = String(f[k]);
  if (csv(f.nameIn)) out.nameIn = csv(f.nameIn)!;
  if (csv(f.systemNameIn)) out.systemNameIn = csv(f.systemNameIn)!;
  if (given(f.statusEqual) && f.statusEqual !== 0) out.statusEqual = Number(f.statusEqual);
  if (csvInts(f.statusIn)) out.statusIn = csvInts(f.statusIn)!;
  if (given(f.partnerIdEqual) && f.partnerIdEqual !== 0) out.partnerIdEqual = Number(f.partnerIdEqual);
  if (csvInts(f.partnerIdIn)) out.partnerIdIn = csvInts(f.partnerIdIn)!;
  if (csv(f.tagsMultiLikeOr)) out.tagsMultiLikeOr = csv(f.tagsMultiLikeOr)!;
  if (csv(f.tagsMultiLikeAnd)) out.tagsMultiLikeAnd = csv(f.tagsMultiLikeAnd)!;
  for (const k of ['createdAtGreaterThanOrEqual', 'createdAtLessThanOrEqual', 'updatedAtGreaterThanOrEqual', 'updatedAtLessThanOrEqual'] as const) {
    if (given(f[k]) && f[k] !== 0) out[k] = Number(f[k]);
  }
  return out;
}

export function roleActions(s: Pick<KalturaServices, 'roles'>): ActionDef[] {
  const id = { name: 'userRoleId', type: T.int } as const;
  return [
    {
      service: 'userrole',
      action: 'add',
      params: [{ name: 'userRole', type: T.object('KalturaUserRole') }],
      permissions: ['ADMIN_ROLE_ADD'],
      handler: async ({ args, principal, meta }) => {
        const o = args.userRole as KObject;
        assertWritable(o, 'insert');
        return toKalturaRole(await s.roles.add(principal, roleInput(o), meta));
      },
    },
    {
      service: 'userrole',
      action: 'get',
      params: [id],
      permissions: ['ADMIN_BASE', 'KMC_READ_ONLY', 'ACCOUNT_BASE'],
      handler: async ({ args, principal }) => toKalturaRole(await s.roles.get(principal, Number(args.userRoleId))),
    },
    {
      service: 'userrole',
      action: 'list',
      params: [
        { name: 'filter', type: T.object('KalturaUserRoleFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['ADMIN_BASE', 'KMC_READ_ONLY', 'ACCOUNT_BASE'],
      handler: async ({ args, principal }) => {
        const r = await s.roles.list(principal, roleFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaUserRoleListResponse', { objects: r.objects.map(toKalturaRole), totalCount: r.totalCount });
      },
    },
    {
      service: 'userrole',
      action: 'update',
      params: [id, { name: 'userRole', type: T.object('KalturaUserRole') }],
      permissions: ['ADMIN_ROLE_UPDATE'],
      handler: async ({ args, principal, meta }) => {
        const o = args.userRole as KObject;
        assertWritable(o, 'update', toKalturaRole(await s.roles.get(principal, Number(args.userRoleId))));
        return toKalturaRole(await s.roles.update(principal, Number(args.userRoleId), roleInput(o), meta));
      },
    },
    {
      service: 'userrole',
      action: 'delete',
      params: [id],
      permissions: ['ADMIN_ROLE_DELETE'],
      handler: async ({ args, principal, meta }) => toKalturaRole(await s.roles.delete(principal, Number(args.userRoleId), meta)),
    },
    {
      service: 'permission',
      action: 'list',
      params: [
        { name: 'filter', type: T.object('KalturaPermissionFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['ADMIN_BASE', 'KMC_READ_ONLY', 'ACCOUNT_BASE', 'ADMIN_ROLE_ADD'],
      handler: async ({ args }) => {
        const f = (args.filter ?? {}) as KObject;
        const filter: PermissionFilter = {};
        if (given(f.nameEqual)) filter.nameEqual = String(f.nameEqual);
        if (csv(f.nameIn)) filter.nameIn = csv(f.nameIn)!;
        if (given(f.idEqual) && f.idEqual !== 0) filter.idEqual = Number(f.idEqual);
        if (csvInts(f.idIn)) filter.idIn = csvInts(f.idIn)!;
        // kmc-ng asks typeIn 2,3 (the partner's features and plugins) with statusEqual 1.
        for (const k of ['typeEqual', 'statusEqual'] as const) if (given(f[k]) && f[k] !== 0) filter[k] = Number(f[k]);
        if (csvInts(f.typeIn)) filter.typeIn = csvInts(f.typeIn)!;
        if (csvInts(f.statusIn)) filter.statusIn = csvInts(f.statusIn)!;
        const r = s.roles.listPermissions(filter, pageOf(args.pager));
        return kobj('KalturaPermissionListResponse', { objects: r.objects.map(toKalturaPermission), totalCount: r.totalCount });
      },
    },
  ];
}
