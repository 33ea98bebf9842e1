/**
 * Initial schema. Frozen in time: later changes get new migrations. Takes Kysely<any> (Kysely's
 * advice) so it never depends on today's table types.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { CreateTableBuilder } from 'kysely';

type Id = 'serial' | 'integer';

function idType(db: Kysely<any>): Id {
  return isPostgres(db) ? 'serial' : 'integer';
}

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

function withId<T extends string>(db: Kysely<any>, t: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'> {
  return t.addColumn('id', idType(db), (c) => (isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement()));
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('partners')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('admin_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('admin_email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('admin_secrets_enc', 'text', (c) => c.notNull())
    .addColumn('ks_max_expiry', 'integer', (c) => c.notNull().defaultTo(86400))
    .addColumn('max_login_attempts', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('login_block_period', 'integer', (c) => c.notNull().defaultTo(1800))
    .addColumn('default_access_control_id', 'integer')
    .addColumn('partner_parent_id', 'integer')
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('login_data'))
    .addColumn('login_email', 'text', (c) => c.notNull())
    .addColumn('login_key', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('login_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('blocked_until', 'bigint')
    .addColumn('last_login_partner_id', 'integer')
    .addColumn('last_login_at', 'bigint')
    .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('users'))
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('puser_id', 'text', (c) => c.notNull())
    .addColumn('login_data_id', 'integer', (c) => c.references('login_data.id'))
    .addColumn('status', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_account_owner', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('role_ids', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('first_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('screen_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('ks_privileges', 'text')
    .addColumn('type', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('external_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('status_updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .addColumn('deleted_at', 'bigint')
    .execute();
  // One live user per id and partner; deleted users (status 2) keep their row for the audit trail.
  await db.schema.createIndex('users_partner_puser_live').on('users').columns(['partner_id', 'puser_id']).unique().where(sql.ref('status'), '<>', 2).execute();
  await db.schema.createIndex('users_login_data').on('users').column('login_data_id').execute();

  await withId(db, db.schema.createTable('user_roles'))
    .addColumn('partner_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('system_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('permission_names', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_roles_partner').on('user_roles').columns(['partner_id', 'status']).execute();

  await db.schema
    .createTable('widgets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('role_id', 'integer')
    .addColumn('privileges', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entry_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('access_control_profiles'))
    .addColumn('partner_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('system_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rules', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('acp_partner').on('access_control_profiles').column('partner_id').execute();

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('partner_id', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('client_ip', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_partner_time').on('audit_log').columns(['partner_id', 'at_ms']).execute();

  await withId(db, db.schema.createTable('invalid_sessions'))
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ks_usage')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('remaining', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('change_log'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('system_state')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['system_state', 'change_log', 'ks_usage', 'invalid_sessions', 'audit_log', 'access_control_profiles', 'widgets', 'user_roles', 'users', 'login_data', 'partners']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
