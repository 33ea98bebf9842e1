/**
 * Password history and the sign-in lookup of the audit log (issue 18).
 *  - `password_history`: the hashes (argon2id, never a password) a login used before its current
 *    one, newest first by `id`, so a change can refuse the last N (Kaltura's `numPrevPassToKeep`,
 *    PASSWORD_ALREADY_USED). Trimmed to the partner's N on every change.
 *  - `audit_actor`: a person's own sign-ins are read by their login id whatever case they typed it
 *    in (`lower(actor)`), newest first, without scanning the log.
 * Frozen in time like every migration: typed against no schema.
 */
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './0001-initial.js';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('password_history')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('login_data_id', 'integer', (c) => c.notNull().references('login_data.id').onDelete('cascade'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_history_login').on('password_history').columns(['login_data_id', 'id']).execute();
  await db.schema.createIndex('audit_actor').on('audit_log').expression(sql`lower(actor), id`).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_actor').ifExists().execute();
  await db.schema.dropTable('password_history').ifExists().execute();
}
