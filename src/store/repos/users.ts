import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import { UserStatus, type ListResult, type Page, type User } from '../../services/model.js';
import { DuplicateKeyError, type UserFilter, type UserRepo } from '../../services/ports.js';
import { isUniqueViolation, likeCi, pageOffset, parseJsonObject } from '../errors.js';
import type { Database, UsersTable } from '../schema.js';

function toDomain(r: Selectable<UsersTable>): User {
  return {
    kuserId: r.id,
    partnerId: r.partner_id,
    id: r.puser_id,
    loginDataId: r.login_data_id,
    status: r.status,
    isAdmin: r.is_admin === 1,
    isAccountOwner: r.is_account_owner === 1,
    roleIds: r.role_ids,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    screenName: r.screen_name,
    ksPrivileges: r.ks_privileges,
    type: r.type,
    externalId: r.external_id,
    data: parseJsonObject(r.data),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    statusUpdatedAt: r.status_updated_at,
    lastLoginAt: r.last_login_at,
    deletedAt: r.deleted_at,
  };
}

function toRow(u: Partial<User>): Updateable<UsersTable> {
  const row: Updateable<UsersTable> = {};
  if (u.partnerId !== undefined) row.partner_id = u.partnerId;
  if (u.id !== undefined) row.puser_id = u.id;
  if (u.loginDataId !== undefined) row.login_data_id = u.loginDataId;
  if (u.status !== undefined) row.status = u.status;
  if (u.isAdmin !== undefined) row.is_admin = u.isAdmin ? 1 : 0;
  if (u.isAccountOwner !== undefined) row.is_account_owner = u.isAccountOwner ? 1 : 0;
  if (u.roleIds !== undefined) row.role_ids = u.roleIds;
  if (u.email !== undefined) row.email = u.email;
  if (u.firstName !== undefined) row.first_name = u.firstName;
  if (u.lastName !== undefined) row.last_name = u.lastName;
  if (u.screenName !== undefined) row.screen_name = u.screenName;
  if (u.ksPrivileges !== undefined) row.ks_privileges = u.ksPrivileges;
  if (u.type !== undefined) row.type = u.type;
  if (u.externalId !== undefined) row.external_id = u.externalId;
  if (u.data !== undefined) row.data = JSON.stringify(u.data);
  if (u.createdAt !== undefined) row.created_at = u.createdAt;
  if (u.updatedAt !== undefined) row.updated_at = u.updatedAt;
  if (u.statusUpdatedAt !== undefined) row.status_updated_at = u.statusUpdatedAt;
  if (u.lastLoginAt !== undefined) row.last_login_at = u.lastLoginAt;
  if (u.deletedAt !== undefined) row.deleted_at = u.deletedAt;
  return row;
}

const ORDER: Record<string, ['id' | 'created_at' | 'updated_at' | 'puser_id', 'asc' | 'desc']> = {
  '+createdAt': ['created_at', 'asc'],
  '-createdAt': ['created_at', 'desc'],
  '+updatedAt': ['updated_at', 'asc'],
  '-updatedAt': ['updated_at', 'desc'],
  '+id': ['puser_id', 'asc'],
  '-id': ['puser_id', 'desc'],
};

export class SqlUserRepo implements UserRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async byId(partnerId: number, id: string): Promise<User | undefined> {
    const r = await this.db
      .selectFrom('users')
      .selectAll()
      .where('partner_id', '=', partnerId)
      .where('puser_id', '=', id)
      .where('status', '<>', UserStatus.DELETED)
      .executeTakeFirst();
    return r && toDomain(r);
  }

  async latestById(partnerId: number, id: string): Promise<User | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('partner_id', '=', partnerId).where('puser_id', '=', id).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return r && toDomain(r);
  }

  async byKuserId(kuserId: number): Promise<User | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', kuserId).executeTakeFirst();
    return r && toDomain(r);
  }

  async byLoginData(loginDataId: number): Promise<User[]> {
    const rows = await this.db
      .selectFrom('users')
      .selectAll()
      .where('login_data_id', '=', loginDataId)
      .where('status', '<>', UserStatus.DELETED)
      .orderBy('partner_id', 'asc')
      .execute();
    return rows.map(toDomain);
  }

  async insert(u: Omit<User, 'kuserId'>): Promise<User> {
    try {
      const r = await this.db.insertInto('users').values(toRow(u) as Insertable<UsersTable>).returningAll().executeTakeFirstOrThrow();
      return toDomain(r);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('users.partner_puser');
      throw e;
    }
  }

  async update(kuserId: number, patch: Partial<Omit<User, 'kuserId' | 'partnerId' | 'createdAt'>>): Promise<User> {
    const row = toRow(patch);
    if (Object.keys(row).length) await this.db.updateTable('users').set(row).where('id', '=', kuserId).execute();
    return (await this.byKuserId(kuserId))!;
  }

  async list(partnerId: number, f: UserFilter, page: Page): Promise<ListResult<User>> {
    let q = this.db.selectFrom('users').where('partner_id', '=', partnerId);
    if (f.statusEqual !== undefined) q = q.where('status', '=', f.statusEqual);
    else if (f.statusIn?.length) q = q.where('status', 'in', f.statusIn);
    else q = q.where('status', '<>', UserStatus.DELETED);
    if (f.idEqual !== undefined) q = q.where('puser_id', '=', f.idEqual);
    if (f.idIn) q = f.idIn.length ? q.where('puser_id', 'in', f.idIn) : q.where(sql<boolean>`1 = 0`);
    if (f.typeEqual !== undefined) q = q.where('type', '=', f.typeEqual);
    if (f.typeIn?.length) q = q.where('type', 'in', f.typeIn);
    if (f.isAdminEqual !== undefined) q = q.where('is_admin', '=', f.isAdminEqual ? 1 : 0);
    if (f.loginEnabledEqual !== undefined) q = q.where('login_data_id', f.loginEnabledEqual ? 'is not' : 'is', null);
    if (f.roleIdEqual !== undefined) q = q.where('role_ids', '=', f.roleIdEqual);
    if (f.roleIdsIn?.length) q = q.where('role_ids', 'in', f.roleIdsIn);
    if (f.firstNameStartsWith) q = q.where(likeCi('first_name', 'startsWith', f.firstNameStartsWith));
    if (f.lastNameStartsWith) q = q.where(likeCi('last_name', 'startsWith', f.lastNameStartsWith));
    if (f.firstNameOrLastNameStartsWith) {
      const t = f.firstNameOrLastNameStartsWith;
      q = q.where((eb) => eb.or([likeCi('first_name', 'startsWith', t), likeCi('last_name', 'startsWith', t)]));
    }
    if (f.idOrScreenNameStartsWith) {
      const t = f.idOrScreenNameStartsWith;
      q = q.where((eb) => eb.or([likeCi('puser_id', 'startsWith', t), likeCi('screen_name', 'startsWith', t)]));
    }
    if (f.screenNameLike) q = q.where(likeCi('screen_name', 'contains', f.screenNameLike));
    if (f.screenNameStartsWith) q = q.where(likeCi('screen_name', 'startsWith', f.screenNameStartsWith));
    if (f.emailLike) q = q.where(likeCi('email', 'contains', f.emailLike));
    if (f.emailStartsWith) q = q.where(likeCi('email', 'startsWith', f.emailStartsWith));
    if (f.externalIdEqual !== undefined) q = q.where('external_id', '=', f.externalIdEqual);
    if (f.createdAtGreaterThanOrEqual) q = q.where('created_at', '>=', f.createdAtGreaterThanOrEqual);
    if (f.createdAtLessThanOrEqual) q = q.where('created_at', '<=', f.createdAtLessThanOrEqual);
    if (f.updatedAtGreaterThanOrEqual) q = q.where('updated_at', '>=', f.updatedAtGreaterThanOrEqual);
    if (f.updatedAtLessThanOrEqual) q = q.where('updated_at', '<=', f.updatedAtLessThanOrEqual);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const [col, dir] = ORDER[f.orderBy ?? ''] ?? ['id', 'asc'];
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy(col, dir).orderBy('id', 'asc').limit(limit).offset(offset).execute();
    return { objects: rows.map(toDomain), totalCount: Number(total?.n ?? 0) };
  }

  async countLoginAdmins(partnerId: number): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('partner_id', '=', partnerId)
      .where('is_admin', '=', 1)
      .where('login_data_id', 'is not', null)
      .where('status', '<>', UserStatus.DELETED)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async countWithRole(roleId: number): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('role_ids', '=', String(roleId))
      .where('status', '<>', UserStatus.DELETED)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}
