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

/**
 * The CRUD actions over access-control profiles under one Kaltura service name, written once for
 * both names (accessControlProfile and the legacy accessControl): the same service calls,
 * permissions and errors; only the wire objects differ.
 */
export interface ProfileDialect {
  /** Lower-case service name. */
  service: string;
  /** The parameter carrying the object, and its class. */
  param: string;
  objectClass: string;
  filterClass: string;
  listClass: string;
  toKaltura(p: AccessControlProfileRecord): KObject;
  input(o: KObject): AccessControlProfileInput;
}

export function profileActions(s: Pick<KalturaServices, 'accessControl'>, d: ProfileDialect): ActionDef[] {
  const id = { name: 'id', type: T.int } as const;
  const object = { name: d.param, type: T.object(d.objectClass) } as const;
  const { service, toKaltura } = d;
  return [
    {
      service,
      action: 'add',
      params: [object],
      permissions: ['ACCESS_CONTROL_ADD'],
      handler: async ({ args, principal, meta }) => {
        const o = args[d.param] as KObject;
        assertWritable(o, 'insert');
        return toKaltura(await s.accessControl.add(principal, d.input(o), meta));
      },
    },
    {
      service,
      action: 'get',
      params: [id],
      permissions: ['ACCESS_CONTROL_BASE'],
      handler: async ({ args, principal }) => toKaltura(await s.accessControl.get(principal, Number(args.id))),
    },
    {
      service,
      action: 'list',
      params: [
        { name: 'filter', type: T.object(d.filterClass), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['ACCESS_CONTROL_BASE', 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => {
        const r = await s.accessControl.list(principal, profileFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj(d.listClass, { objects: r.objects.map(toKaltura), totalCount: r.totalCount });
      },
    },
    {
      service,
      action: 'update',
      params: [id, object],
      permissions: ['ACCESS_CONTROL_UPDATE'],
      handler: async ({ args, principal, meta }) => {
        const o = args[d.param] as KObject;
        assertWritable(o, 'update', toKaltura(await s.accessControl.get(principal, Number(args.id))));
        return toKaltura(await s.accessControl.update(principal, Number(args.id), d.input(o), meta));
      },
    },
    {
      service,
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

export function accessControlProfileActions(s: Pick<KalturaServices, 'accessControl'>): ActionDef[] {
  return profileActions(s, {
    service: 'accesscontrolprofile',
    param: 'accessControlProfile',
    objectClass: 'KalturaAccessControlProfile',
    filterClass: 'KalturaAccessControlProfileFilter',
    listClass: 'KalturaAccessControlProfileListResponse',
    toKaltura: toKalturaAccessControlProfile,
    input: profileInput,
  });
}
