/**
 * Shared counters of services' rate limits (issue 19): one row per bucket and window (`key` names
 * the service, what it counts by and the window kind; `window_start` which window, epoch ms). Nodes
 * add their hits in small batches (cache/window-counters.ts), each batch one upsert that answers
 * the total; `expires_at` is when the window ends, so a periodic delete keeps the table bounded.
 * Written only on PostgreSQL (SQLite counts in each node's memory), created on both so the schema
 * is one. Frozen in time like every migration: typed against no schema.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_counters')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_counters_pk', ['key', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_counters_expires').on('rate_counters').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_counters').ifExists().execute();
}
