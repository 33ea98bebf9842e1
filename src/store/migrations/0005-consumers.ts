/**
 * API consumers (seed 002, Sunbird/Kong): a partner's consumers with their ACL groups, and their
 * JWT credentials; on PostgreSQL, change notifications for the gateway's revocation bound. Frozen
 * in time like every migration: typed against no schema.
 */
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './0001-initial.js';

export async function up(db: Kysely<any>): Promise<void> {
  // Usernames are unique per partner (Kong's are unique per installation; ours are tenant rows).
  // Groups are one JSON array: `grant` replaces the whole set, as Sunbird's adminutil does.
  await db.schema
    .createTable('consumers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('groups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consumers_partner_username').on('consumers').columns(['partner_id', 'username']).unique().execute();

  // `key` is the token's `iss` (or header `kid`): the gateway finds a credential, and through it
  // the partner, from the token alone, so keys are unique across the installation. The HS256
  // secret is sealed (it must be recoverable to verify signatures); public keys are public.
  await db.schema
    .createTable('consumer_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('consumer_id', 'text', (c) => c.notNull().references('consumers.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text')
    .addColumn('public_key', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deprecated_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    // Set once, by the rotation that exchanged this (deprecated) credential for a new one.
    .addColumn('replaced_by', 'text')
    .execute();
  await db.schema.createIndex('consumer_credentials_consumer').on('consumer_credentials').columns(['consumer_id', 'created_at']).execute();

  // PostgreSQL: announce every change-feed and revocation row to the nodes' LISTEN connections
  // (store/notify.ts), so revocations reach every node in about a round trip rather than a poll
  // interval. One notification per statement, without payload; readers use the feed's cursor.
  if (isPostgres(db)) {
    await sql`create or replace function gatehouse_notify_change() returns trigger language plpgsql as $$ begin perform pg_notify('gatehouse_changes', ''); return null; end $$`.execute(db);
    for (const table of ['change_log', 'invalid_sessions']) {
      await sql`create trigger ${sql.raw(`${table}_notify`)} after insert on ${sql.table(table)} for each statement execute procedure gatehouse_notify_change()`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const table of ['change_log', 'invalid_sessions']) await sql`drop trigger if exists ${sql.raw(`${table}_notify`)} on ${sql.table(table)}`.execute(db);
    await sql`drop function if exists gatehouse_notify_change()`.execute(db);
  }
  for (const t of ['consumer_credentials', 'consumers']) await db.schema.dropTable(t).ifExists().execute();
}
