import { sql, type Kysely, type Selectable } from 'kysely';
import type { LoginData } from '../../services/model.js';
import { DuplicateKeyError, type LoginDataRepo } from '../../services/ports.js';
import { isUniqueViolation } from '../errors.js';
import type { Database, LoginDataTable } from '../schema.js';

function toDomain(r: Selectable<LoginDataTable>): LoginData {
  return {
    id: r.id,
    loginEmail: r.login_email,
    passwordHash: r.password_hash,
    firstName: r.first_name,
    lastName: r.last_name,
    loginAttempts: r.login_attempts,
    blockedUntil: r.blocked_until,
    lastLoginPartnerId: r.last_login_partner_id,
    lastLoginAt: r.last_login_at,
    passwordChangedAt: r.password_changed_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class SqlLoginDataRepo implements LoginDataRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: number): Promise<LoginData | undefined> {
    const r = await this.db.selectFrom('login_data').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toDomain(r);
  }

  async byEmail(email: string): Promise<LoginData | undefined> {
    const r = await this.db.selectFrom('login_data').selectAll().where('login_key', '=', email.toLowerCase()).executeTakeFirst();
    return r && toDomain(r);
  }

  async insert(l: Omit<LoginData, 'id'>): Promise<LoginData> {
    try {
      return await this.insertRow(l);
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('login_data.login_key');
      throw e;
    }
  }

  private async insertRow(l: Omit<LoginData, 'id'>): Promise<LoginData> {
    const r = await this.db
      .insertInto('login_data')
      .values({
        login_email: l.loginEmail,
        login_key: l.loginEmail.toLowerCase(),
        password_hash: l.passwordHash,
        first_name: l.firstName,
        last_name: l.lastName,
        login_attempts: l.loginAttempts,
        blocked_until: l.blockedUntil,
        last_login_partner_id: l.lastLoginPartnerId,
        last_login_at: l.lastLoginAt,
        password_changed_at: l.passwordChangedAt,
        created_at: l.createdAt,
        updated_at: l.updatedAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toDomain(r);
  }

  async update(id: number, p: Partial<Omit<LoginData, 'id' | 'createdAt'>>): Promise<void> {
    const row: Partial<Selectable<LoginDataTable>> = {};
    if (p.loginEmail !== undefined) {
      row.login_email = p.loginEmail;
      row.login_key = p.loginEmail.toLowerCase();
    }
    if (p.passwordHash !== undefined) row.password_hash = p.passwordHash;
    if (p.firstName !== undefined) row.first_name = p.firstName;
    if (p.lastName !== undefined) row.last_name = p.lastName;
    if (p.loginAttempts !== undefined) row.login_attempts = p.loginAttempts;
    if (p.blockedUntil !== undefined) row.blocked_until = p.blockedUntil;
    if (p.lastLoginPartnerId !== undefined) row.last_login_partner_id = p.lastLoginPartnerId;
    if (p.lastLoginAt !== undefined) row.last_login_at = p.lastLoginAt;
    if (p.passwordChangedAt !== undefined) row.password_changed_at = p.passwordChangedAt;
    if (p.updatedAt !== undefined) row.updated_at = p.updatedAt;
    if (Object.keys(row).length) await this.db.updateTable('login_data').set(row).where('id', '=', id).execute();
  }

  async recordFailure(id: number, maxAttempts: number, blockUntil: number, now: number): Promise<{ attempts: number; blocked: boolean }> {
    // One statement increments and decides the block, so concurrent wrong guesses on several
    // nodes cannot each read "4 attempts" and all slip under the limit. A lock that has run out
    // starts the count again (else one more wrong guess would re-lock at once).
    const expired = sql<boolean>`(blocked_until is not null and blocked_until <= ${now})`;
    const next = sql<number>`(case when ${expired} then 1 else login_attempts + 1 end)`;
    const r = await this.db
      .updateTable('login_data')
      .set({
        login_attempts: next,
        blocked_until: sql<number | null>`case when ${next} >= ${maxAttempts} then ${blockUntil} when ${expired} then null else blocked_until end`,
        updated_at: now,
      })
      .where('id', '=', id)
      .returning(['login_attempts', 'blocked_until'])
      .executeTakeFirst();
    const attempts = r?.login_attempts ?? 0;
    return { attempts, blocked: attempts >= maxAttempts };
  }

  async recordSuccess(id: number, partnerId: number, now: number): Promise<void> {
    await this.db
      .updateTable('login_data')
      .set({ login_attempts: 0, blocked_until: null, last_login_partner_id: partnerId, last_login_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
  }
}
