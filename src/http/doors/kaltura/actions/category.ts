/** category.* (protocol kaltura-entitlements.md §2-§4, §7). */
import { E, fail } from '../../../../core/errors/index.js';
import type { Category } from '../../../../services/categories/model.js';
import { UNPAGED_CATEGORIES, type CategoryInput } from '../../../../services/categories/category-service.js';
import type { CategoryFilter } from '../../../../services/ports.js';
import { csv, csvInts, given, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import type { KalturaServices } from './deps.js';

export function toKalturaCategory(c: Category): KObject {
  return kobj('KalturaCategory', {
    id: c.id,
    parentId: c.parentId,
    depth: c.depth,
    partnerId: c.partnerId,
    name: c.name,
    fullName: c.fullName,
    fullIds: c.fullIds,
    entriesCount: c.entriesCount,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    description: c.description,
    tags: c.tags,
    appearInList: c.appearInList,
    privacy: c.privacy,
    inheritanceType: c.inheritanceType,
    userJoinPolicy: c.userJoinPolicy,
    defaultPermissionLevel: c.defaultPermissionLevel,
    owner: c.owner || null,
    directEntriesCount: c.directEntriesCount,
    referenceId: c.referenceId || null,
    contributionPolicy: c.contributionPolicy,
    membersCount: c.membersCount,
    pendingMembersCount: c.pendingMembersCount,
    privacyContext: c.privacyContext || null,
    privacyContexts: c.privacyContexts || null,
    status: c.status,
    inheritedParentId: c.membersCategoryId !== c.id ? c.membersCategoryId : null,
    partnerSortValue: c.partnerSortValue,
    partnerData: c.partnerData || null,
    defaultOrderBy: c.defaultOrderBy || null,
    directSubCategoriesCount: c.directSubCategoriesCount,
    moderation: c.moderation ? 1 : 0,
    pendingEntriesCount: c.pendingEntriesCount,
    adminTags: c.adminTags || null,
  });
}

function categoryInput(o: KObject): CategoryInput {
  const out: CategoryInput = {};
  const str = ['name', 'description', 'tags', 'adminTags', 'referenceId', 'partnerData', 'defaultOrderBy', 'owner', 'privacyContext'] as const;
  const int = ['parentId', 'partnerSortValue', 'appearInList', 'privacy', 'inheritanceType', 'defaultPermissionLevel', 'contributionPolicy', 'userJoinPolicy'] as const;
  for (const k of str) if (o[k] !== undefined) out[k] = o[k] === null ? '' : String(o[k]);
  for (const k of int) if (o[k] !== undefined && o[k] !== null) out[k] = Number(o[k]);
  if (o.moderation !== undefined && o.moderation !== null && o.moderation !== -1) out.moderation = o.moderation === 1;
  return out;
}

const INTS = ['idEqual', 'parentIdEqual', 'depthEqual', 'privacyEqual', 'appearInListEqual', 'inheritanceTypeEqual', 'statusEqual', 'inheritedParentIdEqual', 'contributionPolicyEqual', 'membersCountGreaterThanOrEqual', 'membersCountLessThanOrEqual'] as const;
const INT_LISTS = ['idIn', 'idNotIn', 'parentIdIn', 'privacyIn', 'inheritanceTypeIn', 'statusIn', 'inheritedParentIdIn', 'ancestorIdIn'] as const;
const STRINGS = ['fullNameEqual', 'fullNameStartsWith', 'fullIdsEqual', 'fullIdsStartsWith', 'privacyContextEqual', 'referenceIdEqual', 'tagsLike', 'freeText', 'managerEqual', 'memberEqual', 'orderBy'] as const;
const STRING_LISTS = ['fullNameIn', 'tagsMultiLikeOr', 'tagsMultiLikeAnd', 'membersIn', 'fullNameStartsWithIn'] as const;
const TIMES = ['createdAtGreaterThanOrEqual', 'createdAtLessThanOrEqual', 'updatedAtGreaterThanOrEqual', 'updatedAtLessThanOrEqual'] as const;

function categoryFilter(f: KObject | null | undefined): CategoryFilter {
  if (!f) return {};
  const out: CategoryFilter = {};
  // 0 is an id filter's "not set" in the clients; other integer filters take 0 as a value.
  for (const k of INTS) if (given(f[k]) && !(k.startsWith('id') && f[k] === 0)) out[k] = Number(f[k]);
  for (const k of INT_LISTS) if (csv(f[k])) out[k] = csvInts(f[k])!;
  for (const k of STRINGS) if (given(f[k])) out[k] = String(f[k]);
  for (const k of STRING_LISTS) if (csv(f[k])) out[k] = csv(f[k])!;
  for (const k of TIMES) if (given(f[k]) && f[k] !== 0) out[k] = Number(f[k]);
  return out;
}

const id = { name: 'id', type: T.int } as const;
const category = { name: 'category', type: T.object('KalturaCategory') } as const;

export function categoryActions(s: Pick<KalturaServices, 'categories'>): ActionDef[] {
  const service = 'category';
  return [
    {
      service,
      action: 'add',
      params: [category],
      permissions: ['CONTENT_MANAGE_EDIT_CATEGORIES'],
      handler: async ({ args, principal, meta }) => {
        const o = args.category as KObject;
        assertWritable(o, 'insert');
        return toKalturaCategory(await s.categories.add(principal, categoryInput(o), meta));
      },
    },
    {
      service,
      action: 'get',
      params: [id],
      permissions: ['CONTENT_MANAGE_EDIT_CATEGORIES', 'CONTENT_MANAGE_ASSIGN_CATEGORIES', 'CONTENT_MANAGE_BASE', 'BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION'],
      handler: async ({ args, principal }) => toKalturaCategory(await s.categories.get(principal, Number(args.id))),
    },
    {
      service,
      action: 'list',
      params: [
        { name: 'filter', type: T.object('KalturaCategoryFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['CONTENT_MANAGE_ASSIGN_CATEGORIES', 'CONTENT_MANAGE_BASE', 'KMC_READ_ONLY', 'BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION'],
      handler: async ({ args, principal }) => {
        // Without a pager the server answers up to MAX_NUMBER_OF_CATEGORIES at once.
        const page = args.pager ? pageOf(args.pager) : { pageSize: UNPAGED_CATEGORIES, pageIndex: 1 };
        const r = await s.categories.list(principal, categoryFilter(args.filter as KObject | null), page);
        return kobj('KalturaCategoryListResponse', { objects: r.objects.map(toKalturaCategory), totalCount: r.totalCount });
      },
    },
    {
      service,
      action: 'update',
      params: [id, category],
      permissions: ['CONTENT_MANAGE_EDIT_CATEGORIES'],
      handler: async ({ args, principal, meta }) => {
        const o = args.category as KObject;
        assertWritable(o, 'update', toKalturaCategory(await s.categories.get(principal, Number(args.id))));
        return toKalturaCategory(await s.categories.update(principal, Number(args.id), categoryInput(o), meta));
      },
    },
    {
      // kmc-ng's "Move Category": ids sharing a parent, the new parent (0 = top level); answers true.
      service,
      action: 'move',
      params: [
        { name: 'categoryIds', type: T.string },
        { name: 'targetCategoryParentId', type: T.int },
      ],
      permissions: ['CONTENT_MANAGE_EDIT_CATEGORIES'],
      handler: async ({ args, principal, meta }) => {
        const ids = String(args.categoryIds).split(',').map((x) => x.trim()).filter(Boolean);
        if (!ids.every((x) => /^\d+$/.test(x))) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'categoryIds' });
        await s.categories.move(principal, ids.map(Number), Number(args.targetCategoryParentId), meta);
        return true;
      },
    },
    {
      service,
      action: 'delete',
      params: [id, { name: 'moveEntriesToParentCategory', type: T.int, optional: true, default: 1 }],
      permissions: ['CONTENT_MANAGE_EDIT_CATEGORIES'],
      handler: async ({ args, principal, meta }) => {
        await s.categories.delete(principal, Number(args.id), Number(args.moveEntriesToParentCategory) !== 0, meta);
        return null;
      },
    },
  ];
}
