/** categoryUser.* (protocol kaltura-entitlements.md §5, §7). */
import { E, fail } from '../../../../core/errors/index.js';
import type { MemberView } from '../../../../services/categories/membership-service.js';
import type { MembershipFilter } from '../../../../services/ports.js';
import { given, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import { ASSIGN, listParams, pick } from './category-entry.js';
import type { KalturaServices } from './deps.js';

export function toKalturaCategoryUser(m: MemberView): KObject {
  return kobj('KalturaCategoryUser', {
    categoryId: m.categoryId,
    userId: m.userId,
    partnerId: m.partnerId,
    permissionLevel: m.permissionLevel,
    status: m.status,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    updateMethod: m.updateMethod,
    categoryFullIds: m.categoryFullIds,
    permissionNames: m.permissionNames.join(','),
  });
}

const memberFilter = (f: KObject | null | undefined): MembershipFilter =>
  pick<MembershipFilter>(f, {
    ints: ['categoryIdEqual', 'permissionLevelEqual', 'statusEqual', 'updateMethodEqual'],
    intLists: ['categoryIdIn', 'permissionLevelIn', 'statusIn', 'updateMethodIn'],
    strings: ['userIdEqual', 'categoryFullIdsStartsWith', 'categoryFullIdsEqual', 'freeText', 'orderBy'],
    stringLists: ['userIdIn', 'permissionNamesMatchAnd', 'permissionNamesMatchOr', 'permissionNamesNotContains'],
    times: ['createdAtGreaterThanOrEqual', 'createdAtLessThanOrEqual', 'updatedAtGreaterThanOrEqual', 'updatedAtLessThanOrEqual'],
  });

const categoryId = { name: 'categoryId', type: T.int } as const;
const userId = { name: 'userId', type: T.string } as const;

export function categoryUserActions(s: Pick<KalturaServices, 'categoryUsers'>): ActionDef[] {
  const service = 'categoryuser';
  const level = (o: KObject) => (o.permissionLevel === undefined || o.permissionLevel === null ? null : Number(o.permissionLevel));
  const method = (o: KObject) => (o.updateMethod === undefined || o.updateMethod === null ? null : Number(o.updateMethod));
  return [
    {
      service,
      action: 'add',
      params: [{ name: 'categoryUser', type: T.object('KalturaCategoryUser') }],
      permissions: ASSIGN,
      handler: async ({ args, principal, meta }) => {
        const o = args.categoryUser as KObject;
        assertWritable(o, 'insert');
        if (!given(o.categoryId)) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'KalturaCategoryUser::categoryId' });
        return toKalturaCategoryUser(await s.categoryUsers.add(principal, Number(o.categoryId), String(o.userId ?? ''), { permissionLevel: level(o), updateMethod: method(o) }, meta));
      },
    },
    {
      service,
      action: 'get',
      params: [categoryId, userId],
      permissions: [...ASSIGN, 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => toKalturaCategoryUser(await s.categoryUsers.get(principal, Number(args.categoryId), String(args.userId))),
    },
    {
      service,
      action: 'update',
      params: [categoryId, userId, { name: 'categoryUser', type: T.object('KalturaCategoryUser') }, { name: 'override', type: T.bool, optional: true, default: false }],
      permissions: ASSIGN,
      handler: async ({ args, principal, meta }) => {
        const o = args.categoryUser as KObject;
        const current = toKalturaCategoryUser(await s.categoryUsers.get(principal, Number(args.categoryId), String(args.userId)));
        assertWritable(o, 'update', current);
        return toKalturaCategoryUser(await s.categoryUsers.update(principal, Number(args.categoryId), String(args.userId), { permissionLevel: level(o), updateMethod: method(o) }, Boolean(args.override), meta));
      },
    },
    {
      service,
      action: 'delete',
      params: [categoryId, userId],
      permissions: ASSIGN,
      handler: async ({ args, principal, meta }) => {
        await s.categoryUsers.delete(principal, Number(args.categoryId), String(args.userId), meta);
        return null;
      },
    },
    {
      service,
      action: 'activate',
      params: [categoryId, userId],
      permissions: ASSIGN,
      handler: async ({ args, principal, meta }) => toKalturaCategoryUser(await s.categoryUsers.activate(principal, Number(args.categoryId), String(args.userId), meta)),
    },
    {
      service,
      action: 'deactivate',
      params: [categoryId, userId],
      permissions: ASSIGN,
      handler: async ({ args, principal, meta }) => toKalturaCategoryUser(await s.categoryUsers.deactivate(principal, Number(args.categoryId), String(args.userId), meta)),
    },
    {
      service,
      action: 'list',
      params: listParams('KalturaCategoryUserFilter'),
      permissions: [...ASSIGN, 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => {
        const r = await s.categoryUsers.list(principal, memberFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaCategoryUserListResponse', { objects: r.objects.map(toKalturaCategoryUser), totalCount: r.totalCount });
      },
    },
  ];
}
