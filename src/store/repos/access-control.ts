/** Access-control profiles (protocol §5.1): rules kept as one JSON column of RuleSpec[], soft delete. */
import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { RuleSpec } from '../../core/access/model.js';
import type { AccessControlProfileRecord, ListResult, Page } from '../../services/model.js';
import { DuplicateKeyError, type AccessControlFilter, type AccessControlRepo } from '../../services/ports.js';
import { isUniqueViolation, pageOffset, parseJsonArray } from '../errors.js';
import type { AccessControlProfilesTable, Database } from '../schema.js';

function toDomain(r: Selectable<AccessControlProfilesTable>): AccessControlProfileRecord {
  return {
    id: r.id,
    partnerId: r.partner_id,
    name: r.name,
    systemName: r.system_name,
    description: r.description,
    isDefault: r.is_default === 1,
    // Written only by this repository from validated, compiled RuleSpec[]; read back as such.
    rules: parseJsonArray(r.rules) as RuleSpec[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const ORDER: Record<string, ['created_at' | 'updated_at', 'asc' | 'desc']> = {
  '+createdAt': ['created_at', 'asc'],
  '-createdAt': ['created_at', 'desc'],
  '+updatedAt': ['updated_at', 'asc'],
  '-updatedAt': ['updated_at', 'desc'],
};

export class SqlAccessControlRepo implements AccessControlRepo {
  constructor(private readonly db: Kysely<Database>) {}

  private live() {
    return this.db.selectFrom('access_control_profiles').where('deleted_at', 'is', null);
  }

  async get(id: number): Promise<AccessControlProfileRecord | undefined> {
    const r = await this.live().selectAll().where('id', '=', id).executeTakeFirst();
    return r && toDomain(r);
  }

  async listByPartner(partnerId: number): Promise<AccessControlProfileRecord[]> {
    const rows = await this.live().selectAll().where('partner_id', '=', partnerId).orderBy('id').execute();
    return rows.map(toDomain);
  }

  async list(partnerId: number, f: AccessControlFilter, page: Page): Promise<ListResult<AccessControlProfileRecord>> {
    let q = this.live().where('partner_id', '=', partnerId);
    if (f.idEqual !== undefined) q = q.where('id', '=', f.idEqual);
    if (f.idIn) q = f.idIn.length ? q.where('id', 'in', f.idIn) : q.where(sql<boolean>`1 = 0`);
    if (f.systemNameEqual !== undefined) q = q.where('system_name', '=', f.systemNameEqual);
    if (f.systemNameIn) q = f.systemNameIn.length ? q.where('system_name', 'in', f.systemNameIn) : q.where(sql<boolean>`1 = 0`);
    if (f.createdAtGreaterThanOrEqual) q = q.where('created_at', '>=', f.createdAtGreaterThanOrEqual);
    if (f.createdAtLessThanOrEqual) q = q.where('created_at', '<=', f.createdAtLessThanOrEqual);
    if (f.updatedAtGreaterThanOrEqual) q = q.where('updated_at', '>=', f.updatedAtGreaterThanOrEqual);
    if (f.updatedAtLessThanOrEqual) q = q.where('updated_at', '<=', f.updatedAtLessThanOrEqual);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const [col, dir] = ORDER[f.orderBy ?? ''] ?? ['created_at', 'asc'];
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy(col, dir).orderBy('id', 'asc').limit(limit).offset(offset).execute();
    return { objects: rows.map(toDomain), totalCount: Number(total?.n ?? 0) };
  }

  async countForInsert(partnerId: number): Promise<number> {
    // A no-op write takes the partner row's lock (PostgreSQL) or the write lock (SQLite) until the
    // transaction ends, so concurrent adds for one partner count one after another.
    await this.db.updateTable('partners').set({ updated_at: sql`updated_at` }).where('id', '=', partnerId).execute();
    const r = await this.live().select((eb) => eb.fn.countAll().as('n')).where('partner_id', '=', partnerId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async insert(p: Omit<AccessControlProfileRecord, 'id'>): Promise<AccessControlProfileRecord> {
    try {
      const r = await this.db
        .insertInto('access_control_profiles')
        .values({
          partner_id: p.partnerId,
          name: p.name,
          system_name: p.systemName,
          description: p.description,
          is_default: p.isDefault ? 1 : 0,
          rules: JSON.stringify(p.rules),
          created_at: p.createdAt,
          updated_at: p.updatedAt,
          deleted_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...p, id: r.id };
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('access_control_profiles.system_name');
      throw e;
    }
  }

  async update(id: number, p: Partial<Pick<AccessControlProfileRecord, 'name' | 'systemName' | 'description' | 'rules' | 'updatedAt'>>): Promise<AccessControlProfileRecord> {
    const row: Updateable<AccessControlProfilesTable> = {};
    if (p.name !== undefined) row.name = p.name;
    if (p.systemName !== undefined) row.system_name = p.systemName;
    if (p.description !== undefined) row.description = p.description;
    if (p.rules !== undefined) row.rules = JSON.stringify(p.rules);
    if (p.updatedAt !== undefined) row.updated_at = p.updatedAt;
    try {
      if (Object.keys(row).length) await this.db.updateTable('access_control_profiles').set(row).where('id', '=', id).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('access_control_profiles.system_name');
      throw e;
    }
    return (await this.get(id))!;
  }

  async markDefault(partnerId: number, id: number): Promise<void> {
    await this.db
      .updateTable('access_control_profiles')
      .set({ is_default: sql`case when id = ${id} then 1 else 0 end` })
      .where('partner_id', '=', partnerId)
      .execute();
  }

  async softDelete(id: number, now: number): Promise<void> {
    await this.db.updateTable('access_control_profiles').set({ deleted_at: now, is_default: 0, updated_at: now }).where('id', '=', id).execute();
  }
}
