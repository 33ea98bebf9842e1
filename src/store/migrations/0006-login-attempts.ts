/**
 * Sign-in attempt counters (issue 15): one row per client address (the throttle), per login (the
 * ceiling across addresses) and per login and address (the partner's lockout). Rows are counters
 * of core/login-counter.ts, written only under a row lock; `expires_at` is when nothing depends on
 * a row any more, so a periodic delete keeps the table bounded. The lock columns of `login_data`
 * are no longer written by sign-ins. Frozen in time like every migration: typed against no schema.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_attempts')
    .addColumn('scope', 'text', (c) => c.notNull())
    // The lower-cased login id ('' for an address counter) and the client address ('' for a login counter).
    .addColumn('login_key', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('epoch', 'integer', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('cleared', 'integer', (c) => c.notNull())
    .addColumn('pending', 'integer', (c) => c.notNull())
    .addColumn('pending_until', 'bigint', (c) => c.notNull())
    .addColumn('blocked_until', 'bigint')
    .addColumn('window_ends', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // Also the index of an administrator's unlock, which deletes one login's rows of both login scopes.
    .addPrimaryKeyConstraint('login_attempts_pk', ['scope', 'login_key', 'address'])
    .execute();
  await db.schema.createIndex('login_attempts_expires').on('login_attempts').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_attempts').ifExists().execute();
}
