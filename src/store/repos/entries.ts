/** Entries (metadata only). Deleted entries keep their row (status DELETED, deleted_at) and vanish from reads. */
import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Updateable } from 'kysely';
import { LinkStatus } from '../../services/categories/model.js';
import { EntryStatus, type Entry, type ListResult, type Page } from '../../services/model.js';
import { DuplicateKeyError, type EntryCondition, type EntryFilter, type EntryRepo } from '../../services/ports.js';
import { isUniqueViolation, likeCi, pageOffset } from '../errors.js';
import { hasActiveLink } from './entitlement-sql.js';
import type { Database, EntriesTable } from '../schema.js';

function toDomain(r: Selectable<EntriesTable>): Entry {
  return {
    id: r.id,
    partnerId: r.partner_id,
    name: r.name,
    description: r.description,
    userId: r.user_id,
    creatorId: r.creator_id,
    tags: r.tags,
    accessControlId: r.access_control_id,
    startDate: r.start_date,
    endDate: r.end_date,
    flavorParamsIds: r.flavor_params_ids,
    status: r.status,
    mediaType: r.media_type,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

type Column = 'created_at' | 'updated_at' | 'name' | 'start_date' | 'end_date' | 'media_type';
const ORDER: Record<string, [Column, 'asc' | 'desc']> = {};
for (const [wire, col] of [['createdAt', 'created_at'], ['updatedAt', 'updated_at'], ['name', 'name'], ['startDate', 'start_date'], ['endDate', 'end_date'], ['mediaType', 'media_type'], ['recent', 'created_at']] as const) {
  ORDER[`+${wire}`] = [col, 'asc'];
  ORDER[`-${wire}`] = [col, 'desc'];
}

export class SqlEntryRepo implements EntryRepo {
  constructor(private readonly db: Kysely<Database>) {}

  private live() {
    return this.db.selectFrom('entries').where('deleted_at', 'is', null);
  }

  async get(id: string): Promise<Entry | undefined> {
    const r = await this.live().selectAll().where('id', '=', id).executeTakeFirst();
    return r && toDomain(r);
  }

  async insert(e: Entry): Promise<Entry> {
    try {
      await this.db
        .insertInto('entries')
        .values({
          id: e.id,
          partner_id: e.partnerId,
          name: e.name,
          description: e.description,
          user_id: e.userId,
          creator_id: e.creatorId,
          tags: e.tags,
          access_control_id: e.accessControlId,
          start_date: e.startDate,
          end_date: e.endDate,
          flavor_params_ids: e.flavorParamsIds,
          status: e.status,
          media_type: e.mediaType,
          created_at: e.createdAt,
          updated_at: e.updatedAt,
          deleted_at: null,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw new DuplicateKeyError('entries.id');
      throw err;
    }
    return e;
  }

  async update(id: string, p: Partial<Omit<Entry, 'id' | 'partnerId' | 'createdAt'>>): Promise<Entry> {
    const row: Updateable<EntriesTable> = {};
    if (p.name !== undefined) row.name = p.name;
    if (p.description !== undefined) row.description = p.description;
    if (p.userId !== undefined) row.user_id = p.userId;
    if (p.creatorId !== undefined) row.creator_id = p.creatorId;
    if (p.tags !== undefined) row.tags = p.tags;
    if (p.accessControlId !== undefined) row.access_control_id = p.accessControlId;
    if (p.startDate !== undefined) row.start_date = p.startDate;
    if (p.endDate !== undefined) row.end_date = p.endDate;
    if (p.flavorParamsIds !== undefined) row.flavor_params_ids = p.flavorParamsIds;
    if (p.status !== undefined) row.status = p.status;
    if (p.mediaType !== undefined) row.media_type = p.mediaType;
    if (p.updatedAt !== undefined) row.updated_at = p.updatedAt;
    if (Object.keys(row).length) await this.db.updateTable('entries').set(row).where('id', '=', id).execute();
    return (await this.get(id))!;
  }

  async softDelete(id: string, now: number): Promise<void> {
    await this.db.updateTable('entries').set({ status: EntryStatus.DELETED, deleted_at: now, updated_at: now }).where('id', '=', id).execute();
  }

  async list(partnerId: number, f: EntryFilter, page: Page): Promise<ListResult<Entry>> {
    let q = this.live().where('partner_id', '=', partnerId);
    const conds = conditions(f);
    if (conds.length) q = q.where(sql<SqlBool>`${sql.join(conds, sql` and `)}`);
    for (const group of f.anyOf ?? []) {
      // One OR group: any of its conditions (each an AND of its own properties).
      const alts = group.map((g) => conditions(g)).map((c) => (c.length ? sql<SqlBool>`(${sql.join(c, sql` and `)})` : sql<SqlBool>`1 = 1`));
      q = q.where(alts.length ? sql<SqlBool>`(${sql.join(alts, sql` or `)})` : NONE);
    }
    if (f.entitledTo) q = q.where(entitledEntries(partnerId, f.entitledTo));
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    // Kaltura lists newest first unless asked otherwise.
    const [col, dir] = ORDER[f.orderBy ?? ''] ?? ['created_at', 'desc'];
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy(col, dir).orderBy('id', dir).limit(limit).offset(offset).execute();
    return { objects: rows.map(toDomain), totalCount: Number(total?.n ?? 0) };
  }

  async countWithAccessControl(partnerId: number, accessControlId: number): Promise<number> {
    const r = await this.live().select((eb) => eb.fn.countAll().as('n')).where('partner_id', '=', partnerId).where('access_control_id', '=', accessControlId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async repointAccessControl(partnerId: number, from: number, to: number | null, now: number): Promise<number> {
    const r = await this.db
      .updateTable('entries')
      .set({ access_control_id: to, updated_at: now })
      .where('partner_id', '=', partnerId)
      .where('access_control_id', '=', from)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}

/**
 * Entitlement as a list filter (protocol §12), driven from the entitled side so a list or count
 * reads the entries it may show, not every entry of the partner: the ids linked (ACTIVE or
 * PENDING) to an entitled category — one range of the category_entries(partner_id, category_id,
 * status, entry_id) index per category — plus the user's own entries (entries(partner_id,
 * user_id)) and the lifted ones. Without a privacy context, uncategorised entries are listed too
 * (they are the default context's), which needs a probe per entry of the partner.
 */
const NONE = sql<SqlBool>`1 = 0`;
const expr = (column: string, op: string, value: unknown) => sql<SqlBool>`${sql.ref(column)} ${sql.raw(op)} ${value}`;
const inList = (column: string, values: readonly (string | number)[], not = false) =>
  values.length ? sql<SqlBool>`${sql.ref(column)} ${sql.raw(not ? 'not in' : 'in')} (${sql.join([...values])})` : not ? sql<SqlBool>`1 = 1` : NONE;

/** The filter's own properties as SQL conditions, joined with AND by the caller (no OR groups, no entitlement). */
function conditions(f: EntryCondition): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = [];
  if (f.idEqual !== undefined) out.push(expr('id', '=', f.idEqual));
  if (f.idIn) out.push(inList('id', f.idIn));
  if (f.idNotIn?.length) out.push(inList('id', f.idNotIn, true));
  if (f.nameEqual !== undefined) out.push(expr('name', '=', f.nameEqual));
  if (f.nameLike) out.push(likeCi('name', 'contains', f.nameLike));
  if (f.userIdEqual !== undefined) out.push(expr('user_id', '=', f.userIdEqual));
  if (f.userIdIn) out.push(inList('user_id', f.userIdIn));
  if (f.tagsLike) out.push(likeCi('tags', 'contains', f.tagsLike));
  for (const word of f.freeText?.split(/\s+/).filter(Boolean) ?? []) {
    out.push(sql<SqlBool>`(${likeCi('name', 'contains', word)} or ${likeCi('description', 'contains', word)} or ${likeCi('tags', 'contains', word)} or ${expr('id', '=', word)})`);
  }
  if (f.accessControlIdEqual !== undefined) out.push(expr('access_control_id', '=', f.accessControlIdEqual));
  if (f.accessControlIdIn) out.push(inList('access_control_id', f.accessControlIdIn));
  if (f.mediaOnly) out.push(sql<SqlBool>`media_type is not null`);
  if (f.mediaTypeEqual !== undefined) out.push(expr('media_type', '=', f.mediaTypeEqual));
  if (f.mediaTypeIn) out.push(inList('media_type', f.mediaTypeIn));
  if (f.statusEqual !== undefined) out.push(expr('status', '=', f.statusEqual));
  if (f.statusIn) out.push(inList('status', f.statusIn));
  for (const [key, column] of RANGE_COLUMNS) {
    const gte = f[`${key}GreaterThanOrEqual`];
    const lte = f[`${key}LessThanOrEqual`];
    if (gte) out.push(expr(column, '>=', gte));
    if (lte) out.push(expr(column, '<=', lte));
  }
  return out;
}
const RANGE_COLUMNS = [['createdAt', 'created_at'], ['updatedAt', 'updated_at'], ['startDate', 'start_date'], ['endDate', 'end_date']] as const;

function entitledEntries(partnerId: number, e: NonNullable<EntryFilter['entitledTo']>) {
  const linked = e.categoryIds.length
    ? sql`select ce.entry_id from category_entries ce where ce.partner_id = ${partnerId} and ce.category_id in (${sql.join(e.categoryIds)}) and ce.status in (${LinkStatus.PENDING}, ${LinkStatus.ACTIVE})`
    : sql`select ce.entry_id from category_entries ce where 1 = 0`;
  const own = e.scope.userId === '' ? sql`` : sql` union all select e2.id from entries e2 where e2.partner_id = ${partnerId} and e2.user_id = ${e.scope.userId}`;
  const lifted = e.liftedEntryIds.length ? sql` union all select e3.id from entries e3 where e3.id in (${sql.join([...e.liftedEntryIds])})` : sql``;
  const ids = sql<boolean>`${sql.ref('entries.id')} in (${linked}${own}${lifted})`;
  return e.scope.privacyContext === null ? sql<boolean>`(${ids} or not ${hasActiveLink('entries.id')})` : ids;
}
