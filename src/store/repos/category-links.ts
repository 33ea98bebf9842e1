/** Entries' links to categories (categoryEntry). Removed links keep their row with status DELETED. */
import { sql, type Kysely, type Selectable } from 'kysely';
import { LinkStatus, type CategoryLink } from '../../services/categories/model.js';
import type { ListResult, Page } from '../../services/model.js';
import { DuplicateKeyError, type CategoryLinkFilter, type CategoryLinkRepo, type EntitlementScope } from '../../services/ports.js';
import { isUniqueViolation, pageOffset } from '../errors.js';
import type { Database } from '../schema.js';
import type { CategoryEntriesTable } from '../schema-categories.js';
import { carriesContext, isMemberOf, startsWith } from './entitlement-sql.js';
import { int4Filter, isInt4 } from './int4.js';

function linkOf(r: Selectable<CategoryEntriesTable>): CategoryLink {
  return {
    id: r.id,
    partnerId: r.partner_id,
    categoryId: r.category_id,
    entryId: r.entry_id,
    categoryFullIds: r.category_full_ids,
    status: r.status,
    creatorUserId: r.creator_user_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const LIVE = [LinkStatus.PENDING, LinkStatus.ACTIVE];
const none = sql<boolean>`1 = 0`;

export class SqlCategoryLinkRepo implements CategoryLinkRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(categoryId: number, entryId: string): Promise<CategoryLink | undefined> {
    if (!isInt4(categoryId)) return undefined;
    const r = await this.db.selectFrom('category_entries').selectAll().where('category_id', '=', categoryId).where('entry_id', '=', entryId).where('status', 'in', LIVE).executeTakeFirst();
    return r && linkOf(r);
  }

  async ofEntry(entryId: string): Promise<CategoryLink[]> {
    const rows = await this.db.selectFrom('category_entries').selectAll().where('entry_id', '=', entryId).where('status', 'in', LIVE).orderBy('id').execute();
    return rows.map(linkOf);
  }

  async insert(l: Omit<CategoryLink, 'id'>): Promise<CategoryLink> {
    try {
      const r = await this.db
        .insertInto('category_entries')
        .values({ partner_id: l.partnerId, category_id: l.categoryId, entry_id: l.entryId, category_full_ids: l.categoryFullIds, status: l.status, creator_user_id: l.creatorUserId, created_at: l.createdAt, updated_at: l.updatedAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...l, id: r.id };
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('categoryEntry');
      throw e;
    }
  }

  async setStatus(id: number, status: number, now: number): Promise<void> {
    await this.db.updateTable('category_entries').set({ status, updated_at: now }).where('id', '=', id).execute();
  }

  async removeFromCategories(partnerId: number, categoryIds: readonly number[], now: number): Promise<CategoryLink[]> {
    const removed: CategoryLink[] = [];
    for (let i = 0; i < categoryIds.length; i += 500) {
      const ids = categoryIds.slice(i, i + 500);
      const rows = await this.db.selectFrom('category_entries').selectAll().where('partner_id', '=', partnerId).where('category_id', 'in', ids).where('status', 'in', LIVE).execute();
      await this.db.updateTable('category_entries').set({ status: LinkStatus.DELETED, updated_at: now }).where('partner_id', '=', partnerId).where('category_id', 'in', ids).where('status', 'in', LIVE).execute();
      removed.push(...rows.map(linkOf));
    }
    return removed;
  }

  async removeEntry(entryId: string, now: number): Promise<CategoryLink[]> {
    const links = await this.ofEntry(entryId);
    if (links.length) await this.db.updateTable('category_entries').set({ status: LinkStatus.DELETED, updated_at: now }).where('entry_id', '=', entryId).where('status', 'in', LIVE).execute();
    return links;
  }

  async relinkTo(partnerId: number, fromCategoryIds: readonly number[], to: { id: number; fullIds: string }, now: number): Promise<void> {
    // One INSERT … SELECT per chunk: each entry of the subtree once, unless already linked to `to`.
    for (let i = 0; i < fromCategoryIds.length; i += 500) {
      const ids = fromCategoryIds.slice(i, i + 500);
      await sql`insert into category_entries (partner_id, category_id, entry_id, category_full_ids, status, creator_user_id, created_at, updated_at)
        select ${partnerId}, ${to.id}, ce.entry_id, ${to.fullIds}, ${LinkStatus.ACTIVE}, min(ce.creator_user_id), ${now}, ${now}
        from category_entries ce where ce.partner_id = ${partnerId} and ce.category_id in (${sql.join(ids)}) and ce.status = ${LinkStatus.ACTIVE}
          and not exists (select 1 from category_entries x where x.category_id = ${to.id} and x.entry_id = ce.entry_id and x.status in (${sql.join(LIVE)}))
        group by ce.entry_id`.execute(this.db);
    }
  }

  async list(partnerId: number, raw: CategoryLinkFilter, page: Page, visibleTo?: EntitlementScope): Promise<ListResult<CategoryLink>> {
    const { filter: f, impossible } = int4Filter(raw, { equal: ['categoryIdEqual', 'statusEqual'], lists: ['categoryIdIn', 'statusIn'] });
    // A value no row can hold: nothing matches (and PostgreSQL would refuse the parameter).
    if (impossible) return { objects: [], totalCount: 0 };
    let q = this.db.selectFrom('category_entries').where('partner_id', '=', partnerId);
    const statuses = f.statusIn ?? (f.statusEqual !== undefined ? [f.statusEqual] : undefined);
    q = statuses ? (statuses.length ? q.where('status', 'in', statuses) : q.where(none)) : q.where('status', 'in', LIVE);
    if (f.categoryIdEqual !== undefined) q = q.where('category_id', '=', f.categoryIdEqual);
    if (f.categoryIdIn) q = f.categoryIdIn.length ? q.where('category_id', 'in', f.categoryIdIn) : q.where(none);
    if (f.entryIdEqual !== undefined) q = q.where('entry_id', '=', f.entryIdEqual);
    if (f.entryIdIn) q = f.entryIdIn.length ? q.where('entry_id', 'in', f.entryIdIn) : q.where(none);
    if (f.categoryFullIdsStartsWith !== undefined) q = q.where(startsWith('category_full_ids', f.categoryFullIdsStartsWith));
    if (f.creatorUserIdEqual !== undefined) q = q.where('creator_user_id', '=', f.creatorUserIdEqual);
    if (f.creatorUserIdIn) q = f.creatorUserIdIn.length ? q.where('creator_user_id', 'in', f.creatorUserIdIn) : q.where(none);
    if (f.createdAtGreaterThanOrEqual) q = q.where('created_at', '>=', f.createdAtGreaterThanOrEqual);
    if (f.createdAtLessThanOrEqual) q = q.where('created_at', '<=', f.createdAtLessThanOrEqual);
    if (visibleTo) {
      // Rows of categories the session may not see are dropped (the visibility rule of categories, §4).
      q = q.where(sql<boolean>`exists (select 1 from categories c where c.id = category_entries.category_id and c.status < 3 and ${carriesContext('c', visibleTo.privacyContext)} and (c.appear_in_list = 1 or ${isMemberOf('c', visibleTo.userId)}))`);
    }
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const dir = f.orderBy === '-createdAt' ? 'desc' : 'asc';
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy('created_at', dir).orderBy('id', dir).limit(limit).offset(offset).execute();
    return { objects: rows.map(linkOf), totalCount: Number(total?.n ?? 0) };
  }
}
