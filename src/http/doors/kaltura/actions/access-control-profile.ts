/** accessControlProfile.* (protocol §5.1): the door maps Kaltura rule objects to RuleSpec and back. */
import type { AccessControlProfileInput } from '../../../../services/access-control/access-control-service.js';
import type { AccessControlProfileRecord } from '../../../../services/model.js';
import type { AccessControlFilter } from '../../../../services/ports.js';
import { rulesFromKaltura } from '../access/from-kaltura.js';
import { rulesToKaltura } from '../access/to-kaltura.js';
import { csv, csvInts, given, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import type { KalturaServices } from './deps.js';

export function toKalturaAccessControlProfile(p: AccessControlProfileRecord): KObject {
  return kobj('KalturaAccessControlProfile', {
    id: p.id,
    partnerId: p.partnerId,
    name: p.name,
    systemName: p.systemName,
    description: p.description,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    isDefault: p.isDefault,
    rules: rulesToKaltura(p.rules),
  });
}

function profileInput(o: KObject): AccessControlProfileInput {
  const v = <T>(k: string) => o[k] as T | null | undefined;
  return {
    name: v('name'),
    systemName: v('systemName'),
    description: v('description'),
    // KalturaNullableBoolean: 1 sets the default, 0 and -1 change nothing.
    isDefault: o.isDefault === undefined || o.isDefault === null ? undefined : o.isDefault === 1,
    rules: Array.isArray(o.rules) ? rulesFromKaltura(o.rules as KObject[]) : undefined,
  };
}

export function profileFilter(f: KObject | null | undefined): AccessControlFilter {
  if (!f) return {};
  const out: AccessControlFilter = {};
  if (given(f.idEqual) && f.idEqual !== 0) out.idEqual = Number(f.idEqual);
  if (csvInts(f.idIn)) out.idIn = csvInts(f.idIn)!;
  if (given(f.systemNameEqual)) out.systemNameEqual = String(f.systemNameEqual);
  if (csv(f.systemNameIn)) out.systemNameIn = csv(f.systemNameIn)!;
  if (given(f.orderBy)) out.orderBy = String(f.orderBy);
  for (const k of ['createdAtGreaterThanOrEqual', 'createdAtLessThanOrEqual', 'updatedAtGreaterThanOrEqual', 'updatedAtLessThanOrEqual'] as const) {
    if (given(f[k]) && f[k] !== 0) out[k] = Number(f[k]);
  }
  return out;
}

export function accessControlProfileActions(s: Pick<KalturaServices, 'accessControl'>): ActionDef[] {
  const id = { name: 'id', type: T.int } as const;
  const profile = { name: 'accessControlProfile', type: T.object('KalturaAccessControlProfile') } as const;
  return [
    {
      service: 'accesscontrolprofile',
      action: 'add',
      params: [profile],
      permissions: ['ACCESS_CONTROL_ADD'],
      handler: async ({ args, principal, meta }) => {
        const o = args.accessControlProfile as KObject;
        assertWritable(o, 'insert');
        return toKalturaAccessControlProfile(await s.accessControl.add(principal, profileInput(o), meta));
      },
    },
    {
      service: 'accesscontrolprofile',
      action: 'get',
      params: [id],
      permissions: ['ACCESS_CONTROL_BASE'],
      handler: async ({ args, principal }) => toKalturaAccessControlProfile(await s.accessControl.get(principal, Number(args.id))),
    },
    {
      service: 'accesscontrolprofile',
      action: 'list',
      params: [
        { name: 'filter', type: T.object('KalturaAccessControlProfileFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['ACCESS_CONTROL_BASE', 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => {
        const r = await s.accessControl.list(principal, profileFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaAccessControlProfileListResponse', { objects: r.objects.map(toKalturaAccessControlProfile), totalCount: r.totalCount });
      },
    },
    {
      service: 'accesscontrolprofile',
      action: 'update',
      params: [id, profile],
      permissions: ['ACCESS_CONTROL_UPDATE'],
      handler: async ({ args, principal, meta }) => {
        const o = args.accessControlProfile as KObject;
        assertWritable(o, 'update', toKalturaAccessControlProfile(await s.accessControl.get(principal, Number(args.id))));
        return toKalturaAccessControlProfile(await s.accessControl.update(principal, Number(args.id), profileInput(o), meta));
      },
    },
    {
      service: 'accesscontrolprofile',
      action: 'delete',
      params: [id],
      permissions: ['ACCESS_CONTROL_DELETE'],
      handler: async ({ args, principal, meta }) => {
        await s.accessControl.delete(principal, Number(args.id), meta);
        return null;
      },
    },
  ];
}
