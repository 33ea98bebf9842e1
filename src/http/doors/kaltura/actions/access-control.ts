/**
 * accessControl.* — the legacy name of accessControlProfile (protocol §5.1), the one kmc-ng uses:
 * the same profiles, the same permissions and errors, spoken as KalturaAccessControl with
 * restrictions instead of rules (access/legacy-restrictions.ts).
 */
import type { AccessControlProfileInput } from '../../../../services/access-control/access-control-service.js';
import type { AccessControlProfileRecord } from '../../../../services/model.js';
import { restrictionsFromRules, rulesFromRestrictions } from '../access/legacy-restrictions.js';
import { pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import { profileFilter } from './access-control-profile.js';
import type { KalturaServices } from './deps.js';

export function toKalturaAccessControl(p: AccessControlProfileRecord): KObject {
  const { restrictions, unsupported } = restrictionsFromRules(p.rules);
  return kobj('KalturaAccessControl', {
    id: p.id,
    partnerId: p.partnerId,
    name: p.name,
    systemName: p.systemName,
    description: p.description,
    createdAt: p.createdAt,
    isDefault: p.isDefault,
    restrictions,
    containsUnsuportedRestrictions: unsupported,
  });
}

function legacyInput(o: KObject): AccessControlProfileInput {
  const v = <T>(k: string) => o[k] as T | null | undefined;
  return {
    name: v('name'),
    systemName: v('systemName'),
    description: v('description'),
    isDefault: o.isDefault === undefined || o.isDefault === null ? undefined : o.isDefault === 1,
    // Restrictions sent (even none) replace the whole rule list, as on the real server.
    rules: Array.isArray(o.restrictions) ? rulesFromRestrictions(o.restrictions as KObject[]) : undefined,
  };
}

export function accessControlActions(s: Pick<KalturaServices, 'accessControl'>): ActionDef[] {
  const id = { name: 'id', type: T.int } as const;
  const object = { name: 'accessControl', type: T.object('KalturaAccessControl') } as const;
  return [
    {
      service: 'accesscontrol',
      action: 'add',
      params: [object],
      permissions: ['ACCESS_CONTROL_ADD'],
      handler: async ({ args, principal, meta }) => {
        const o = args.accessControl as KObject;
        assertWritable(o, 'insert');
        return toKalturaAccessControl(await s.accessControl.add(principal, legacyInput(o), meta));
      },
    },
    {
      service: 'accesscontrol',
      action: 'get',
      params: [id],
      permissions: ['ACCESS_CONTROL_BASE'],
      handler: async ({ args, principal }) => toKalturaAccessControl(await s.accessControl.get(principal, Number(args.id))),
    },
    {
      service: 'accesscontrol',
      action: 'list',
      params: [
        { name: 'filter', type: T.object('KalturaAccessControlFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['ACCESS_CONTROL_BASE', 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => {
        const r = await s.accessControl.list(principal, profileFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaAccessControlListResponse', { objects: r.objects.map(toKalturaAccessControl), totalCount: r.totalCount });
      },
    },
    {
      service: 'accesscontrol',
      action: 'update',
      params: [id, object],
      permissions: ['ACCESS_CONTROL_UPDATE'],
      handler: async ({ args, principal, meta }) => {
        const o = args.accessControl as KObject;
        assertWritable(o, 'update', toKalturaAccessControl(await s.accessControl.get(principal, Number(args.id))));
        return toKalturaAccessControl(await s.accessControl.update(principal, Number(args.id), legacyInput(o), meta));
      },
    },
    {
      service: 'accesscontrol',
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
