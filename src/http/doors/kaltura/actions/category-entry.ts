/** categoryEntry.* (protocol kaltura-entitlements.md §6-§7). */
import type { CategoryLink } from '../../../../services/categories/model.js';
import type { CategoryLinkFilter } from '../../../../services/ports.js';
import { csv, csvInts, given, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { E, fail } from '../../../../core/errors/index.js';
import { kobj, T, type KObject } from '../wire/types.js';
import type { KalturaServices } from './deps.js';

export function toKalturaCategoryEntry(l: CategoryLink): KObject {
  return kobj('KalturaCategoryEntry', { categoryId: l.categoryId, entryId: l.entryId, createdAt: l.createdAt, categoryFullIds: l.categoryFullIds, status: l.status, creatorUserId: l.creatorUserId || null });
}

type Keys<F> = ReadonlyArray<keyof F & string>;
type Picks<F> = { ints?: Keys<F>; intLists?: Keys<F>; strings?: Keys<F>; stringLists?: Keys<F>; times?: Keys<F> };

/** Decodes the filter fields the service knows; 0 times and '' strings are "not set", as the clients send them. */
export function pick<F extends object>(f: KObject | null | undefined, p: Picks<F>): F {
  const out: Record<string, unknown> = {};
  if (!f) return out as F;
  for (const k of (p.ints ?? [])) if (given(f[k])) out[k] = Number(f[k]);
  for (const k of (p.intLists ?? [])) if (csv(f[k])) out[k] = csvInts(f[k]);
  for (const k of (p.strings ?? [])) if (given(f[k])) out[k] = String(f[k]);
  for (const k of (p.stringLists ?? [])) if (csv(f[k])) out[k] = csv(f[k]);
  for (const k of (p.times ?? [])) if (given(f[k]) && f[k] !== 0) out[k] = Number(f[k]);
  return out as F;
}

const linkFilter = (f: KObject | null | undefined): CategoryLinkFilter =>
  pick<CategoryLinkFilter>(f, {
    ints: ['categoryIdEqual', 'statusEqual'],
    intLists: ['categoryIdIn', 'statusIn'],
    strings: ['entryIdEqual', 'categoryFullIdsStartsWith', 'creatorUserIdEqual', 'orderBy'],
    stringLists: ['entryIdIn', 'creatorUserIdIn'],
    times: ['createdAtGreaterThanOrEqual', 'createdAtLessThanOrEqual'],
  });

export const listParams = (filterClass: string) => [
  { name: 'filter', type: T.object(filterClass), optional: true, default: null },
  { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
];
export const ASSIGN = ['CONTENT_MANAGE_ASSIGN_CATEGORIES', 'BASE_USER_SESSION_PERMISSION'];
const entryId = { name: 'entryId', type: T.string } as const;
const categoryId = { name: 'categoryId', type: T.int } as const;

export function categoryEntryActions(s: Pick<KalturaServices, 'categoryEntries'>): ActionDef[] {
  const service = 'categoryentry';
  return [
    {
      service,
      action: 'add',
      params: [{ name: 'categoryEntry', type: T.object('KalturaCategoryEntry') }],
      permissions: ASSIGN,
      handler: async ({ args, principal, meta }) => {
        const o = args.categoryEntry as KObject;
        assertWritable(o, 'insert');
        if (!given(o.entryId)) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'KalturaCategoryEntry::entryId' });
        if (!given(o.categoryId)) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'KalturaCategoryEntry::categoryId' });
        return toKalturaCategoryEntry(await s.categoryEntries.add(principal, Number(o.categoryId), String(o.entryId), meta));
      },
    },
    {
      service,
      action: 'delete',
      params: [entryId, categoryId],
      permissions: ASSIGN,
      handler: async ({ args, principal, meta }) => {
        await s.categoryEntries.delete(principal, String(args.entryId), Number(args.categoryId), meta);
        return null;
      },
    },
    {
      service,
      action: 'list',
      params: listParams('KalturaCategoryEntryFilter'),
      permissions: ['CONTENT_MANAGE_ASSIGN_CATEGORIES', 'CONTENT_MANAGE_BASE', 'KMC_READ_ONLY', 'BASE_USER_SESSION_PERMISSION'],
      handler: async ({ args, principal }) => {
        const r = await s.categoryEntries.list(principal, linkFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaCategoryEntryListResponse', { objects: r.objects.map(toKalturaCategoryEntry), totalCount: r.totalCount });
      },
    },
  ];
}
