import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { expiresAt, type Counter } from '../../core/login-counter.js';
import type { LoginAttemptRepo, LoginCounterKey, LoginCounterTx } from '../../services/ports-login-attempts.js';
import type { Database, LoginAttemptsTable } from '../schema.js';

function toCounter(r: Selectable<LoginAttemptsTable>): Counter {
  return {
    epoch: r.epoch,
    failures: r.failures,
    cleared: r.cleared,
    pending: r.pending,
    pendingUntil: r.pending_until,
    blockedUntil: r.blocked_until,
    windowEnds: r.window_ends,
  };
}

function columns(c: Counter, now: number) {
  return {
    epoch: c.epoch,
    failures: c.failures,
    cleared: c.cleared,
    pending: c.pending,
    pending_until: c.pendingUntil,
    blocked_until: c.blockedUntil,
    window_ends: c.windowEnds,
    expires_at: expiresAt(c),
    updated_at: now,
  };
}

const EMPTY_ROW = { epoch: 0, failures: 0, cleared: 0, pending: 0, pending_until: 0, blocked_until: null, window_ends: 0, expires_at: 0 };

/**
 * Atomicity: `lock` is an upsert whose conflict branch rewrites the row unchanged and returns it.
 * On PostgreSQL that takes the row lock (a concurrent transaction waits at its own `lock` and then
 * reads what this one wrote); on SQLite the first write of a transaction takes the database's
 * write lock, which also serialises other processes on the same file. Either way the read, the
 * decision and the write of a counter cannot interleave with another request's: no lost counts.
 */
class Tx implements LoginCounterTx {
  constructor(private readonly trx: Transaction<Database> | Kysely<Database>) {}

  async lock(key: LoginCounterKey, now: number): Promise<Counter> {
    const r = await this.trx
      .insertInto('login_attempts')
      .values({ scope: key.scope, login_key: key.loginKey, address: key.address, ...EMPTY_ROW, updated_at: now })
      .onConflict((oc) => oc.columns(['scope', 'login_key', 'address']).doUpdateSet({ updated_at: sql<number>`login_attempts.updated_at` }))
      .returningAll()
      .executeTakeFirstOrThrow();
    return toCounter(r);
  }

  async write(key: LoginCounterKey, next: Counter, now: number): Promise<void> {
    await this.trx
      .updateTable('login_attempts')
      .set(columns(next, now))
      .where('scope', '=', key.scope)
      .where('login_key', '=', key.loginKey)
      .where('address', '=', key.address)
      .execute();
  }
}

export class SqlLoginAttemptRepo implements LoginAttemptRepo {
  constructor(private readonly db: Kysely<Database>) {}

  guarded<T>(fn: (tx: LoginCounterTx) => Promise<T>): Promise<T> {
    // Inside a unit of work the caller's transaction already holds what it locks.
    if (this.db.isTransaction) return fn(new Tx(this.db));
    return this.db.transaction().execute((trx) => fn(new Tx(trx)));
  }

  async clearLogin(loginKey: string): Promise<void> {
    await this.db.deleteFrom('login_attempts').where('scope', 'in', ['login', 'login_address']).where('login_key', '=', loginKey).execute();
  }

  async purgeExpired(now: number): Promise<number> {
    const r = await this.db.deleteFrom('login_attempts').where('expires_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
