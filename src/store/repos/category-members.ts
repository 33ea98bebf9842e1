/** Category memberships (categoryUser). Removed memberships keep their row with status DELETED. */
import { sql, type Kysely, type Selectable } from 'kysely';
import { MembershipStatus, type Membership } from '../../services/categories/model.js';
import type { ListResult, Page } from '../../services/model.js';
import { DuplicateKeyError, type MembershipFilter, type MembershipRepo } from '../../services/ports.js';
import { isUniqueViolation, likeCi, pageOffset } from '../errors.js';
import type { Database } from '../schema.js';
import type { CategoryUsersTable } from '../schema-categories.js';
import { inSubtree, startsWith } from './entitlement-sql.js';
import { int4Filter, isInt4 } from './int4.js';

function membershipOf(r: Selectable<CategoryUsersTable>): Membership {
  return {
    id: r.id,
    partnerId: r.partner_id,
    categoryId: r.category_id,
    userId: r.user_id,
    permissionLevel: r.permission_level,
    permissionNames: r.permission_names ? r.permission_names.split(',') : [],
    updateMethod: r.update_method,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const none = sql<boolean>`1 = 0`;
const ORDER: Record<string, ['created_at' | 'updated_at', 'asc' | 'desc']> = {
  '+createdAt': ['created_at', 'asc'],
  '-createdAt': ['created_at', 'desc'],
  '+updatedAt': ['updated_at', 'asc'],
  '-updatedAt': ['updated_at', 'desc'],
};

export class SqlMembershipRepo implements MembershipRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(categoryId: number, userId: string): Promise<Membership | undefined> {
    if (!isInt4(categoryId)) return undefined;
    const r = await this.db.selectFrom('category_users').selectAll().where('category_id', '=', categoryId).where('user_id', '=', userId).where('status', '<>', MembershipStatus.DELETED).executeTakeFirst();
    return r && membershipOf(r);
  }

  async insert(m: Omit<Membership, 'id'>): Promise<Membership> {
    try {
      const r = await this.db
        .insertInto('category_users')
        .values({
          partner_id: m.partnerId,
          category_id: m.categoryId,
          user_id: m.userId,
          permission_level: m.permissionLevel,
          permission_names: m.permissionNames.join(','),
          update_method: m.updateMethod,
          status: m.status,
          created_at: m.createdAt,
          updated_at: m.updatedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...m, id: r.id };
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('categoryUser');
      throw e;
    }
  }

  async update(id: number, patch: Partial<Pick<Membership, 'permissionLevel' | 'permissionNames' | 'updateMethod' | 'status' | 'updatedAt'>>): Promise<Membership> {
    const set: Partial<Omit<CategoryUsersTable, 'id'>> = {};
    if (patch.permissionLevel !== undefined) set.permission_level = patch.permissionLevel;
    if (patch.permissionNames !== undefined) set.permission_names = patch.permissionNames.join(',');
    if (patch.updateMethod !== undefined) set.update_method = patch.updateMethod;
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.updatedAt !== undefined) set.updated_at = patch.updatedAt;
    await this.db.updateTable('category_users').set(set).where('id', '=', id).execute();
    return membershipOf(await this.db.selectFrom('category_users').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  }

  async list(partnerId: number, raw: MembershipFilter, page: Page): Promise<ListResult<Membership>> {
    const { filter: f, impossible } = int4Filter(raw, { equal: ['categoryIdEqual', 'permissionLevelEqual', 'statusEqual', 'updateMethodEqual'], lists: ['categoryIdIn', 'permissionLevelIn', 'statusIn', 'updateMethodIn'] });
    // A value no row can hold: nothing matches (and PostgreSQL would refuse the parameter).
    if (impossible) return { objects: [], totalCount: 0 };
    let q = this.db.selectFrom('category_users as cu').where('cu.partner_id', '=', partnerId).where('cu.status', '<>', MembershipStatus.DELETED);
    if (f.categoryIdEqual !== undefined) q = q.where('cu.category_id', '=', f.categoryIdEqual);
    if (f.categoryIdIn) q = f.categoryIdIn.length ? q.where('cu.category_id', 'in', f.categoryIdIn) : q.where(none);
    if (f.userIdEqual !== undefined) q = q.where('cu.user_id', '=', f.userIdEqual);
    if (f.userIdIn) q = f.userIdIn.length ? q.where('cu.user_id', 'in', f.userIdIn) : q.where(none);
    if (f.categoryFullIdsEqual !== undefined || f.categoryFullIdsStartsWith !== undefined) {
      const path = f.categoryFullIdsEqual !== undefined ? sql<boolean>`k.full_ids = ${f.categoryFullIdsEqual}` : f.categoryFullIdsStartsWith!.endsWith('>') ? startsWith('k.full_ids', f.categoryFullIdsStartsWith!) : inSubtree('k.full_ids', f.categoryFullIdsStartsWith!);
      q = q.where(sql<boolean>`exists (select 1 from categories k where k.id = cu.category_id and ${path})`);
    }
    if (f.permissionLevelEqual !== undefined) q = q.where('cu.permission_level', '=', f.permissionLevelEqual);
    if (f.permissionLevelIn) q = f.permissionLevelIn.length ? q.where('cu.permission_level', 'in', f.permissionLevelIn) : q.where(none);
    if (f.statusEqual !== undefined) q = q.where('cu.status', '=', f.statusEqual);
    if (f.statusIn) q = f.statusIn.length ? q.where('cu.status', 'in', f.statusIn) : q.where(none);
    if (f.updateMethodEqual !== undefined) q = q.where('cu.update_method', '=', f.updateMethodEqual);
    if (f.updateMethodIn) q = f.updateMethodIn.length ? q.where('cu.update_method', 'in', f.updateMethodIn) : q.where(none);
    const names = (n: string) => sql<boolean>`(',' || cu.permission_names || ',') like ${`%,${n.replace(/[\\%_]/g, (x) => `\\${x}`)},%`} escape '\\'`;
    for (const n of f.permissionNamesMatchAnd ?? []) q = q.where(names(n));
    if (f.permissionNamesMatchOr?.length) q = q.where(sql<boolean>`(${sql.join(f.permissionNamesMatchOr.map(names), sql` or `)})`);
    for (const n of f.permissionNamesNotContains ?? []) q = q.where(sql<boolean>`not ${names(n)}`);
    if (f.freeText) q = q.where(likeCi('cu.user_id', 'contains', f.freeText));
    if (f.createdAtGreaterThanOrEqual) q = q.where('cu.created_at', '>=', f.createdAtGreaterThanOrEqual);
    if (f.createdAtLessThanOrEqual) q = q.where('cu.created_at', '<=', f.createdAtLessThanOrEqual);
    if (f.updatedAtGreaterThanOrEqual) q = q.where('cu.updated_at', '>=', f.updatedAtGreaterThanOrEqual);
    if (f.updatedAtLessThanOrEqual) q = q.where('cu.updated_at', '<=', f.updatedAtLessThanOrEqual);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const [col, dir] = ORDER[f.orderBy ?? ''] ?? ['created_at', 'asc'];
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll('cu').orderBy(`cu.${col}`, dir).orderBy('cu.id', 'asc').limit(limit).offset(offset).execute();
    return { objects: rows.map(membershipOf), totalCount: Number(total?.n ?? 0) };
  }

  async removeFromCategories(partnerId: number, categoryIds: readonly number[], now: number, onlyLevel?: number): Promise<string[]> {
    const users = new Set<string>();
    for (let i = 0; i < categoryIds.length; i += 500) {
      const ids = categoryIds.slice(i, i + 500);
      let rows = this.db.selectFrom('category_users').select('user_id').where('partner_id', '=', partnerId).where('category_id', 'in', ids).where('status', '<>', MembershipStatus.DELETED);
      let update = this.db.updateTable('category_users').set({ status: MembershipStatus.DELETED, updated_at: now }).where('partner_id', '=', partnerId).where('category_id', 'in', ids).where('status', '<>', MembershipStatus.DELETED);
      if (onlyLevel !== undefined) {
        rows = rows.where('permission_level', '=', onlyLevel);
        update = update.where('permission_level', '=', onlyLevel);
      }
      for (const r of await rows.execute()) users.add(r.user_id);
      await update.execute();
    }
    return [...users];
  }
}
