/**
 * The category tree. Paths, effective contexts and the members' category are stored (migration
 * 0007), so reads never recurse; a move rewrites a subtree's paths in one statement per table.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { CategoryStatus, ENTITLEMENT_DEFAULTS, LinkStatus, MembershipStatus, PermissionLevel, type Category, type NewCategory } from '../../services/categories/model.js';
import type { ListResult, Page } from '../../services/model.js';
import { DuplicateKeyError, type CategoryFilter, type CategoryNode, type CategoryRepo, type CounterName, type DerivedValues, type EntitlementScope } from '../../services/ports.js';
import { isPostgres } from '../migrations/0001-initial.js';
import { isUniqueViolation, likeCi, pageOffset } from '../errors.js';
import type { Database } from '../schema.js';
import type { CategoriesTable } from '../schema-categories.js';
import { carriesContext, inSubtree, isMemberOf, startsWith } from './entitlement-sql.js';
import { clampInt4, int4Filter, int4Only, isInt4 } from './int4.js';

export function categoryOf(r: Selectable<CategoriesTable>): Category {
  return {
    id: r.id,
    partnerId: r.partner_id,
    parentId: r.parent_id,
    name: r.name,
    fullName: r.full_name,
    fullIds: r.full_ids,
    depth: r.depth,
    description: r.description,
    tags: r.tags,
    adminTags: r.admin_tags,
    referenceId: r.reference_id,
    partnerData: r.partner_data,
    partnerSortValue: r.partner_sort_value,
    defaultOrderBy: r.default_order_by,
    moderation: r.moderation === 1,
    privacy: r.privacy,
    privacyContext: r.privacy_context,
    privacyContexts: r.privacy_contexts,
    appearInList: r.appear_in_list,
    inheritanceType: r.inheritance_type,
    membersCategoryId: r.members_category_id,
    owner: r.owner,
    userJoinPolicy: r.user_join_policy,
    defaultPermissionLevel: r.default_permission_level,
    contributionPolicy: r.contribution_policy,
    entriesCount: r.entries_count,
    directEntriesCount: r.direct_entries_count,
    pendingEntriesCount: r.pending_entries_count,
    directSubCategoriesCount: r.direct_sub_categories_count,
    membersCount: r.members_count,
    pendingMembersCount: r.pending_members_count,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

type Row = Partial<Omit<CategoriesTable, 'id'>>;

/** Domain fields → columns; the lower-cased keys follow the names they index. */
function rowOf(c: Partial<Category>): Row {
  const r: Row = {};
  const map: Array<[keyof Category, keyof CategoriesTable]> = [
    ['parentId', 'parent_id'], ['name', 'name'], ['fullName', 'full_name'], ['fullIds', 'full_ids'], ['depth', 'depth'],
    ['description', 'description'], ['tags', 'tags'], ['adminTags', 'admin_tags'], ['referenceId', 'reference_id'],
    ['partnerData', 'partner_data'], ['partnerSortValue', 'partner_sort_value'], ['defaultOrderBy', 'default_order_by'],
    ['privacy', 'privacy'], ['privacyContext', 'privacy_context'], ['privacyContexts', 'privacy_contexts'],
    ['appearInList', 'appear_in_list'], ['inheritanceType', 'inheritance_type'], ['membersCategoryId', 'members_category_id'],
    ['owner', 'owner'], ['userJoinPolicy', 'user_join_policy'], ['defaultPermissionLevel', 'default_permission_level'],
    ['contributionPolicy', 'contribution_policy'], ['status', 'status'], ['createdAt', 'created_at'], ['updatedAt', 'updated_at'],
  ];
  for (const [k, col] of map) if (c[k] !== undefined) (r as Record<string, unknown>)[col] = c[k];
  if (c.moderation !== undefined) r.moderation = c.moderation ? 1 : 0;
  if (c.partnerSortValue !== undefined) r.partner_sort_value = clampInt4(c.partnerSortValue);
  if (c.name !== undefined) r.name_key = c.name.toLowerCase();
  if (c.fullName !== undefined) r.full_name_key = c.fullName.toLowerCase();
  return r;
}

type OrderColumn = 'depth' | 'name' | 'full_name' | 'entries_count' | 'direct_entries_count' | 'members_count' | 'created_at' | 'updated_at' | 'partner_sort_value' | 'direct_sub_categories_count';
const ORDER: Record<string, [OrderColumn, 'asc' | 'desc']> = {};
for (const [wire, col] of [
  ['depth', 'depth'], ['name', 'name'], ['fullName', 'full_name'], ['entriesCount', 'entries_count'], ['directEntriesCount', 'direct_entries_count'],
  ['membersCount', 'members_count'], ['createdAt', 'created_at'], ['updatedAt', 'updated_at'], ['partnerSortValue', 'partner_sort_value'],
  ['directSubCategoriesCount', 'direct_sub_categories_count'],
] as const) {
  ORDER[`+${wire}`] = [col, 'asc'];
  ORDER[`-${wire}`] = [col, 'desc'];
}

const COUNTER: Record<CounterName, keyof CategoriesTable> = {
  entries: 'entries_count',
  directEntries: 'direct_entries_count',
  pendingEntries: 'pending_entries_count',
  subCategories: 'direct_sub_categories_count',
  members: 'members_count',
  pendingMembers: 'pending_members_count',
};
const none = sql<boolean>`1 = 0`;
const LIVE = 3; // status < 3: ACTIVE or UPDATING

export class SqlCategoryRepo implements CategoryRepo {
  constructor(private readonly db: Kysely<Database>) {}

  private live(partnerId: number) {
    return this.db.selectFrom('categories').where('partner_id', '=', partnerId).where('status', '<', LIVE);
  }

  async get(partnerId: number, id: number): Promise<Category | undefined> {
    if (!isInt4(id)) return undefined;
    const r = await this.live(partnerId).selectAll().where('id', '=', id).executeTakeFirst();
    return r && categoryOf(r);
  }

  async getMany(partnerId: number, ids: readonly number[]): Promise<Category[]> {
    const valid = int4Only(ids);
    if (!valid.length) return [];
    const rows = await this.live(partnerId).selectAll().where('id', 'in', valid).execute();
    return rows.map(categoryOf);
  }

  async byFullName(partnerId: number, fullName: string): Promise<Category | undefined> {
    const r = await this.live(partnerId).selectAll().where('full_name_key', '=', fullName.toLowerCase()).executeTakeFirst();
    return r && categoryOf(r);
  }

  async list(partnerId: number, raw: CategoryFilter, page: Page, visibleTo?: EntitlementScope): Promise<ListResult<Category>> {
    const { filter: f, impossible } = int4Filter(raw, {
      equal: ['idEqual', 'parentIdEqual', 'depthEqual', 'inheritedParentIdEqual', 'statusEqual', 'privacyEqual', 'appearInListEqual', 'inheritanceTypeEqual', 'contributionPolicyEqual'],
      lists: ['idIn', 'idNotIn', 'parentIdIn', 'ancestorIdIn', 'inheritedParentIdIn', 'statusIn', 'privacyIn', 'inheritanceTypeIn'],
      bounds: ['membersCountGreaterThanOrEqual', 'membersCountLessThanOrEqual'],
    });
    // A value no row can hold: nothing matches (and PostgreSQL would refuse the parameter).
    if (impossible) return { objects: [], totalCount: 0 };
    let q = this.db.selectFrom('categories as c').where('c.partner_id', '=', partnerId);
    const statuses = f.statusIn ?? (f.statusEqual !== undefined ? [f.statusEqual] : undefined);
    q = statuses ? (statuses.length ? q.where('c.status', 'in', statuses.filter((s) => s < LIVE)) : q.where(none)) : q.where('c.status', '<', LIVE);
    if (statuses && !statuses.some((s) => s < LIVE)) q = q.where(none);
    if (f.idEqual !== undefined) q = q.where('c.id', '=', f.idEqual);
    if (f.idIn) q = f.idIn.length ? q.where('c.id', 'in', f.idIn) : q.where(none);
    if (f.idNotIn?.length) q = q.where('c.id', 'not in', f.idNotIn);
    if (f.parentIdEqual !== undefined) q = q.where('c.parent_id', '=', f.parentIdEqual);
    if (f.parentIdIn) q = f.parentIdIn.length ? q.where('c.parent_id', 'in', f.parentIdIn) : q.where(none);
    if (f.depthEqual !== undefined) q = q.where('c.depth', '=', f.depthEqual);
    if (f.fullNameEqual !== undefined) q = q.where('c.full_name_key', '=', f.fullNameEqual.toLowerCase());
    if (f.fullNameIn) q = f.fullNameIn.length ? q.where('c.full_name_key', 'in', f.fullNameIn.map((n) => n.toLowerCase())) : q.where(none);
    const nameStarts = [...(f.fullNameStartsWith !== undefined ? [f.fullNameStartsWith] : []), ...(f.fullNameStartsWithIn ?? [])];
    if (nameStarts.length) q = q.where(sql<boolean>`(${sql.join(nameStarts.map((n) => segmentPrefix('c.full_name_key', n.toLowerCase())), sql` or `)})`);
    if (f.fullIdsEqual !== undefined) q = q.where('c.full_ids', '=', f.fullIdsEqual);
    if (f.fullIdsStartsWith !== undefined) q = q.where(segmentPrefix('c.full_ids', f.fullIdsStartsWith));
    if (f.ancestorIdIn) {
      const anc = f.ancestorIdIn.length ? await this.db.selectFrom('categories').select('full_ids').where('partner_id', '=', partnerId).where('id', 'in', f.ancestorIdIn).where('status', '<', LIVE).execute() : [];
      q = anc.length ? q.where(sql<boolean>`(${sql.join(anc.map((a) => startsWith('c.full_ids', `${a.full_ids}>`)), sql` or `)})`) : q.where(none);
    }
    if (f.privacyEqual !== undefined) q = q.where('c.privacy', '=', f.privacyEqual);
    if (f.privacyIn) q = f.privacyIn.length ? q.where('c.privacy', 'in', f.privacyIn) : q.where(none);
    if (f.appearInListEqual !== undefined) q = q.where('c.appear_in_list', '=', f.appearInListEqual);
    if (f.inheritanceTypeEqual !== undefined) q = q.where('c.inheritance_type', '=', f.inheritanceTypeEqual);
    if (f.inheritanceTypeIn) q = f.inheritanceTypeIn.length ? q.where('c.inheritance_type', 'in', f.inheritanceTypeIn) : q.where(none);
    if (f.privacyContextEqual !== undefined) {
      q = f.privacyContextEqual === '*' ? q.where('c.privacy_context', '<>', '') : q.where(sql<boolean>`(',' || ${sql.ref('c.privacy_context')} || ',') like ${`%,${f.privacyContextEqual.replace(/[\\%_]/g, (x) => `\\${x}`)},%`} escape '\\'`);
    }
    const inherited = f.inheritedParentIdIn ?? (f.inheritedParentIdEqual !== undefined ? [f.inheritedParentIdEqual] : undefined);
    if (inherited) q = inherited.length ? q.where('c.members_category_id', 'in', inherited).whereRef('c.members_category_id', '<>', 'c.id') : q.where(none);
    if (f.referenceIdEqual !== undefined) q = q.where('c.reference_id', '=', f.referenceIdEqual);
    if (f.contributionPolicyEqual !== undefined) q = q.where('c.contribution_policy', '=', f.contributionPolicyEqual);
    if (f.membersCountGreaterThanOrEqual !== undefined) q = q.where('c.members_count', '>=', f.membersCountGreaterThanOrEqual);
    if (f.membersCountLessThanOrEqual !== undefined) q = q.where('c.members_count', '<=', f.membersCountLessThanOrEqual);
    if (f.createdAtGreaterThanOrEqual) q = q.where('c.created_at', '>=', f.createdAtGreaterThanOrEqual);
    if (f.createdAtLessThanOrEqual) q = q.where('c.created_at', '<=', f.createdAtLessThanOrEqual);
    if (f.updatedAtGreaterThanOrEqual) q = q.where('c.updated_at', '>=', f.updatedAtGreaterThanOrEqual);
    if (f.updatedAtLessThanOrEqual) q = q.where('c.updated_at', '<=', f.updatedAtLessThanOrEqual);
    if (f.tagsLike) q = q.where(likeCi('c.tags', 'contains', f.tagsLike));
    if (f.tagsMultiLikeOr?.length) q = q.where(sql<boolean>`(${sql.join(f.tagsMultiLikeOr.map((t) => likeCi('c.tags', 'contains', t)), sql` or `)})`);
    for (const t of f.tagsMultiLikeAnd ?? []) q = q.where(likeCi('c.tags', 'contains', t));
    if (f.freeText) {
      const words = f.freeText.split(/\s+/).filter(Boolean);
      for (const w of words) q = q.where(sql<boolean>`(${likeCi('c.name', 'contains', w)} or ${likeCi('c.description', 'contains', w)} or ${likeCi('c.tags', 'contains', w)} or ${likeCi('c.reference_id', 'contains', w)})`);
    }
    if (f.membersIn) q = f.membersIn.length ? q.where(membership(f.membersIn, undefined)) : q.where(none);
    if (f.managerEqual !== undefined) q = q.where(membership([f.managerEqual], 'manager'));
    if (f.memberEqual !== undefined) q = q.where(membership([f.memberEqual], 'member'));
    if (visibleTo) {
      // Entitlement (§4): categories of the session's context, and of those only the ones listed
      // to the whole partner or where the user is a member.
      q = q.where(carriesContext('c', visibleTo.privacyContext)).where(sql<boolean>`(c.appear_in_list = 1 or ${isMemberOf('c', visibleTo.userId)})`);
    }
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const [col, dir] = ORDER[f.orderBy ?? ''] ?? ['depth', 'asc'];
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll('c').orderBy(`c.${col}`, dir).orderBy('c.id', 'asc').limit(limit).offset(offset).execute();
    return { objects: rows.map(categoryOf), totalCount: Number(total?.n ?? 0) };
  }

  async insert(c: NewCategory): Promise<Category> {
    const { parentFullIds, membersCategoryId, ...rest } = c;
    try {
      const r = await this.db
        .insertInto('categories')
        .values({ ...(rowOf({ ...rest, fullIds: '', membersCategoryId: 0 }) as Required<Row>), partner_id: c.partnerId, deleted_at: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      const fullIds = parentFullIds ? `${parentFullIds}>${r.id}` : String(r.id);
      const members = membersCategoryId === 'self' ? r.id : membersCategoryId;
      await this.db.updateTable('categories').set({ full_ids: fullIds, members_category_id: members }).where('id', '=', r.id).execute();
      if (c.parentId) await this.bump([c.parentId], 'subCategories', 1);
      return (await this.get(c.partnerId, r.id))!;
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('category.name');
      throw e;
    }
  }

  async update(partnerId: number, id: number, patch: Partial<Omit<Category, 'id' | 'partnerId' | 'createdAt'>>): Promise<Category> {
    const row = rowOf(patch);
    try {
      if (Object.keys(row).length) await this.db.updateTable('categories').set(row).where('id', '=', id).where('partner_id', '=', partnerId).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('category.name');
      throw e;
    }
    return (await this.get(partnerId, id))!;
  }

  async subtree(partnerId: number, fullIds: string): Promise<CategoryNode[]> {
    const rows = await this.live(partnerId)
      .select(['id', 'parent_id', 'full_ids', 'privacy_context', 'inheritance_type', 'members_category_id', 'depth'])
      .where(inSubtree('full_ids', fullIds))
      .orderBy('depth')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, parentId: r.parent_id, fullIds: r.full_ids, privacyContext: r.privacy_context, inheritanceType: r.inheritance_type, membersCategoryId: r.members_category_id }));
  }

  async rewritePaths(partnerId: number, from: { fullIds: string; fullNameKey: string; fullName: string }, to: { fullIds: string; fullName: string }, depthDelta: number, now: number): Promise<void> {
    // One statement per table: the subtree's paths keep their tails and get the new head.
    const tail = (col: string, head: string) => sql<string>`substr(${sql.ref(col)}, ${head.length + 1})`;
    await this.db
      .updateTable('categories')
      .set({
        full_ids: sql`${to.fullIds} || ${tail('full_ids', from.fullIds)}`,
        full_name: sql`${to.fullName} || ${tail('full_name', from.fullName)}`,
        full_name_key: sql`${to.fullName.toLowerCase()} || ${tail('full_name_key', from.fullNameKey)}`,
        depth: sql`depth + ${depthDelta}`,
        updated_at: now,
      })
      .where('partner_id', '=', partnerId)
      .where('status', '<', LIVE)
      .where(inSubtree('full_ids', from.fullIds))
      .execute();
    await this.db
      .updateTable('category_entries')
      .set({ category_full_ids: sql`${to.fullIds} || ${tail('category_full_ids', from.fullIds)}`, updated_at: now })
      .where('partner_id', '=', partnerId)
      .where('status', '<', 3)
      .where(inSubtree('category_full_ids', from.fullIds))
      .execute();
  }

  async setDerived(partnerId: number, groups: readonly DerivedValues[], now: number): Promise<void> {
    for (const g of groups) {
      const set: Record<string, unknown> = { privacy_contexts: g.privacyContexts, updated_at: now };
      if (g.resetEntitlement) Object.assign(set, rowOf({ ...ENTITLEMENT_DEFAULTS, privacyContext: '', owner: '' }), { members_category_id: sql`id` });
      else if (g.membersCategoryId === 'self') set.members_category_id = sql`id`;
      else if (g.membersCategoryId !== undefined) set.members_category_id = g.membersCategoryId;
      for (let i = 0; i < g.ids.length; i += 500) {
        await this.db.updateTable('categories').set(set as Row).where('partner_id', '=', partnerId).where('id', 'in', g.ids.slice(i, i + 500)).execute();
      }
    }
  }

  async deleteSubtree(partnerId: number, fullIds: string, now: number): Promise<number[]> {
    const ids = (await this.live(partnerId).select('id').where(inSubtree('full_ids', fullIds)).execute()).map((r) => r.id);
    await this.db.updateTable('categories').set({ status: CategoryStatus.DELETED, deleted_at: now, updated_at: now }).where('partner_id', '=', partnerId).where('status', '<', LIVE).where(inSubtree('full_ids', fullIds)).execute();
    return ids;
  }

  async bump(ids: readonly number[], counter: CounterName, delta: number): Promise<void> {
    if (!ids.length || delta === 0) return;
    const col = COUNTER[counter];
    // A guarded increment: never read-modify-write, never below zero.
    await this.db
      .updateTable('categories')
      .set({ [col]: sql`case when ${sql.ref(col)} + ${delta} < 0 then 0 else ${sql.ref(col)} + ${delta} end` } as Row)
      .where('id', 'in', [...ids])
      .execute();
  }

  async recount(partnerId: number, ids: readonly number[]): Promise<void> {
    if (!ids.length) return;
    const subtreeLinks = sql`ce.category_full_ids = categories.full_ids or (ce.category_full_ids >= categories.full_ids || '>' and ce.category_full_ids < categories.full_ids || '?')`;
    await this.db
      .updateTable('categories')
      .set({
        entries_count: sql`(select count(distinct ce.entry_id) from category_entries ce where ce.partner_id = categories.partner_id and ce.status = ${LinkStatus.ACTIVE} and (${subtreeLinks}))`,
        direct_entries_count: sql`(select count(*) from category_entries ce where ce.partner_id = categories.partner_id and ce.category_id = categories.id and ce.status = ${LinkStatus.ACTIVE})`,
        pending_entries_count: sql`(select count(*) from category_entries ce where ce.partner_id = categories.partner_id and ce.category_id = categories.id and ce.status = ${LinkStatus.PENDING})`,
        direct_sub_categories_count: sql`(select count(*) from categories k where k.partner_id = categories.partner_id and k.parent_id = categories.id and k.status < ${LIVE})`,
        members_count: sql`(select count(*) from category_users cu where cu.partner_id = categories.partner_id and cu.category_id = categories.id and cu.status = ${MembershipStatus.ACTIVE})`,
        pending_members_count: sql`(select count(*) from category_users cu where cu.partner_id = categories.partner_id and cu.category_id = categories.id and cu.status = ${MembershipStatus.PENDING})`,
      })
      .where('partner_id', '=', partnerId)
      .where('id', 'in', [...ids])
      .execute();
  }

  async lockEntry(entryId: string): Promise<void> {
    // SQLite runs one transaction at a time; PostgreSQL needs the row lock.
    if (isPostgres(this.db)) await sql`select id from entries where id = ${entryId} for update`.execute(this.db);
  }

  async entitledCategoryIds(partnerId: number, scope: EntitlementScope): Promise<number[]> {
    // One statement, two index-driven halves: the partner's open categories (partner_id, privacy)
    // and the categories whose members are those of the user's memberships (partner_id, user_id …
    // then partner_id, members_category_id).
    const open = scope.knownUser ? [1, 2] : [1];
    const member =
      scope.userId === ''
        ? sql``
        : sql` union select c.id from category_users cu join categories c on c.partner_id = cu.partner_id and c.members_category_id = cu.category_id
            where cu.partner_id = ${partnerId} and cu.user_id = ${scope.userId} and cu.status = ${MembershipStatus.ACTIVE} and c.status < ${LIVE}
            and ${carriesContext('c', scope.privacyContext)}
            and (cu.permission_level <> ${PermissionLevel.NONE} or not (c.privacy = 3 and c.appear_in_list = 3))`;
    const r = await sql<{ id: number }>`select c.id from categories c where c.partner_id = ${partnerId} and c.privacy in (${sql.join(open)}) and c.status < ${LIVE} and ${carriesContext('c', scope.privacyContext)}${member}`.execute(this.db);
    return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b);
  }
}

/** Whole-segment prefix: "a" matches "a" and "a>…"; "a>" matches "a>…" only. */
function segmentPrefix(column: string, prefix: string) {
  return prefix.endsWith('>') ? startsWith(column, prefix) : inSubtree(column, prefix);
}

/** The category has an active membership of one of `users` (of the given kind), inherited included. */
function membership(users: string[], kind: 'manager' | 'member' | undefined) {
  const level = kind === 'manager' ? sql` and cu.permission_level = ${PermissionLevel.MANAGER}` : kind === 'member' ? sql` and cu.permission_level <> ${PermissionLevel.MANAGER}` : sql``;
  return sql<boolean>`exists (select 1 from category_users cu where cu.partner_id = c.partner_id and cu.category_id = c.members_category_id and cu.status = ${MembershipStatus.ACTIVE} and cu.user_id in (${sql.join(users)})${level})`;
}
