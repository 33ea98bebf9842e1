import type { Kysely, Selectable, Transaction } from 'kysely';
import type { LoginData } from '../../services/model.js';
import { DuplicateKeyError, type LoginDataRepo } from '../../services/ports.js';
import { isUniqueViolation } from '../errors.js';
import { isPostgres } from '../migrations/0001-initial.js';
import type { Database, LoginDataTable } from '../schema.js';

/** A login_data row with its ceiling counter (scope 'login'), when it has one. */
type Row = Selectable<LoginDataTable> & { ceiling_failures?: number | null; ceiling_cleared?: number | null; ceiling_blocked_until?: number | null };

/**
 * `loginAttempts` and `blockedUntil` are the login's failures and lock across all addresses (its
 * ceiling counter in `login_attempts`) as last written: the caller compares `blockedUntil` with
 * its clock, and a counter whose window has ended is deleted by the periodic purge.
 */
function toDomain(r: Row): LoginData {
  return {
    id: r.id,
    loginEmail: r.login_email,
    passwordHash: r.password_hash,
    firstName: r.first_name,
    lastName: r.last_name,
    loginAttempts: (r.ceiling_failures ?? 0) - (r.ceiling_cleared ?? 0),
    blockedUntil: r.ceiling_blocked_until ?? null,
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
    const r = await this.withCeiling().where('login_data.id', '=', id).executeTakeFirst();
    return r && toDomain(r);
  }

  async byEmail(email: string): Promise<LoginData | undefined> {
    const r = await this.withCeiling().where('login_data.login_key', '=', email.toLowerCase()).executeTakeFirst();
    return r && toDomain(r);
  }

  private withCeiling() {
    return this.db
      .selectFrom('login_data')
      .leftJoin('login_attempts as c', (j) => j.onRef('c.login_key', '=', 'login_data.login_key').on('c.scope', '=', 'login').on('c.address', '=', ''))
      .selectAll('login_data')
      .select(['c.failures as ceiling_failures', 'c.cleared as ceiling_cleared', 'c.blocked_until as ceiling_blocked_until']);
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
    // An unlock (an administrator set the password): every counter of the login goes, each address's and the ceiling.
    if (p.loginAttempts === 0 || p.blockedUntil === null) {
      const login = await this.db.selectFrom('login_data').select('login_key').where('id', '=', id).executeTakeFirst();
      if (login) await this.db.deleteFrom('login_attempts').where('scope', 'in', ['login', 'login_address']).where('login_key', '=', login.login_key).execute();
    }
  }

  async previousPasswords(id: number, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const rows = await this.db.selectFrom('password_history').select('password_hash').where('login_data_id', '=', id).orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => r.password_hash);
  }

  async changePassword(id: number, change: { passwordHash: string; keep: number; now: number }): Promise<void> {
    // Atomicity: the old hash moves to the history and the new one takes its place together, so
    // two changes at once never lose a hash from the history nor keep one twice as current.
    const run = async (tx: Kysely<Database>) => {
      // PostgreSQL: the row lock orders concurrent changes; SQLite's one writer already does.
      let read = tx.selectFrom('login_data').select('password_hash').where('id', '=', id);
      if (isPostgres(tx)) read = read.forUpdate();
      const current = await read.executeTakeFirst();
      if (!current) return;
      if (change.keep > 0) await tx.insertInto('password_history').values({ login_data_id: id, password_hash: current.password_hash, created_at: change.now }).execute();
      const kept = change.keep > 0 ? await tx.selectFrom('password_history').select('id').where('login_data_id', '=', id).orderBy('id', 'desc').limit(change.keep).execute() : [];
      let trim = tx.deleteFrom('password_history').where('login_data_id', '=', id);
      if (kept.length) trim = trim.where('id', 'not in', kept.map((k) => k.id));
      await trim.execute();
      await tx.updateTable('login_data').set({ password_hash: change.passwordHash, password_changed_at: change.now, updated_at: change.now }).where('id', '=', id).execute();
    };
    if (this.db.isTransaction) await run(this.db);
    else await this.db.transaction().execute((trx: Transaction<Database>) => run(trx));
  }

  async recordSuccess(id: number, partnerId: number, now: number): Promise<void> {
    await this.db
      .updateTable('login_data')
      .set({ last_login_partner_id: partnerId, last_login_at: now, updated_at: now })
      .where('id', '=', id)
      .execute();
  }
}
