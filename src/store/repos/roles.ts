import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import { RoleStatus, type ListResult, type Page, type Role } from '../../services/model.js';
import type { RoleFilter, RoleRepo } from '../../services/ports.js';
import { likeCi, pageOffset } from '../errors.js';
import type { Database, UserRolesTable } from '../schema.js';

function toDomain(r: Selectable<UserRolesTable>): Role {
  return {
    id: r.id,
    partnerId: r.partner_id,
    name: r.name,
    systemName: r.system_name,
    description: r.description,
    status: r.status,
    permissionNames: r.permission_names,
    tags: r.tags,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toRow(p: Partial<Role>): Updateable<UserRolesTable> {
  const row: Updateable<UserRolesTable> = {};
  if (p.partnerId !== undefined) row.partner_id = p.partnerId;
  if (p.name !== undefined) row.name = p.name;
  if (p.systemName !== undefined) row.system_name = p.systemName;
  if (p.description !== undefined) row.description = p.description;
  if (p.status !== undefined) row.status = p.status;
  if (p.permissionNames !== undefined) row.permission_names = p.permissionNames;
  if (p.tags !== undefined) row.tags = p.tags;
  if (p.createdAt !== undefined) row.created_at = p.createdAt;
  if (p.updatedAt !== undefined) row.updated_at = p.updatedAt;
  return row;
}

const ORDER: Record<string, ['id' | 'name' | 'created_at' | 'updated_at', 'asc' | 'desc']> = {
  '+id': ['id', 'asc'],
  '-id': ['id', 'desc'],
  '+name': ['name', 'asc'],
  '-name': ['name', 'desc'],
  '+createdAt': ['created_at', 'asc'],
  '-createdAt': ['created_at', 'desc'],
  '+updatedAt': ['updated_at', 'asc'],
  '-updatedAt': ['updated_at', 'desc'],
};

export class SqlRoleRepo implements RoleRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: number): Promise<Role | undefined> {
    const r = await this.db.selectFrom('user_roles').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toDomain(r);
  }

  async list(partnerIds: number[], f: RoleFilter, page: Page): Promise<ListResult<Role>> {
    let q = this.db.selectFrom('user_roles').where('partner_id', 'in', partnerIds);
    if (f.statusEqual !== undefined) q = q.where('status', '=', f.statusEqual);
    else if (f.statusIn?.length) q = q.where('status', 'in', f.statusIn);
    else q = q.where('status', '<>', RoleStatus.DELETED);
    if (f.idEqual !== undefined) q = q.where('id', '=', f.idEqual);
    if (f.idIn) q = f.idIn.length ? q.where('id', 'in', f.idIn) : q.where(sql<boolean>`1 = 0`);
    if (f.nameEqual !== undefined) q = q.where('name', '=', f.nameEqual);
    if (f.nameIn?.length) q = q.where('name', 'in', f.nameIn);
    if (f.systemNameEqual !== undefined) q = q.where('system_name', '=', f.systemNameEqual);
    if (f.systemNameIn?.length) q = q.where('system_name', 'in', f.systemNameIn);
    if (f.descriptionLike) q = q.where(likeCi('description', 'contains', f.descriptionLike));
    if (f.partnerIdEqual !== undefined) q = q.where('partner_id', '=', f.partnerIdEqual);
    if (f.partnerIdIn?.length) q = q.where('partner_id', 'in', f.partnerIdIn);
    if (f.tagsMultiLikeOr?.length) {
      const tags = f.tagsMultiLikeOr;
      q = q.where((eb) => eb.or(tags.map((t) => likeCi('tags', 'contains', t))));
    }
    for (const t of f.tagsMultiLikeAnd ?? []) q = q.where(likeCi('tags', 'contains', t));
    if (f.createdAtGreaterThanOrEqual) q = q.where('created_at', '>=', f.createdAtGreaterThanOrEqual);
    if (f.createdAtLessThanOrEqual) q = q.where('created_at', '<=', f.createdAtLessThanOrEqual);
    if (f.updatedAtGreaterThanOrEqual) q = q.where('updated_at', '>=', f.updatedAtGreaterThanOrEqual);
    if (f.updatedAtLessThanOrEqual) q = q.where('updated_at', '<=', f.updatedAtLessThanOrEqual);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const [col, dir] = ORDER[f.orderBy ?? ''] ?? ['id', 'asc'];
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy(col, dir).limit(limit).offset(offset).execute();
    return { objects: rows.map(toDomain), totalCount: Number(total?.n ?? 0) };
  }

  async insert(r: Omit<Role, 'id'>): Promise<Role> {
    const row = await this.db.insertInto('user_roles').values(toRow(r) as Insertable<UserRolesTable>).returningAll().executeTakeFirstOrThrow();
    return toDomain(row);
  }

  async update(id: number, patch: Partial<Omit<Role, 'id' | 'partnerId' | 'createdAt'>>): Promise<Role> {
    const row = toRow(patch);
    if (Object.keys(row).length) await this.db.updateTable('user_roles').set(row).where('id', '=', id).execute();
    return (await this.get(id))!;
  }
}
