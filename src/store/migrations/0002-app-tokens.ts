/** App tokens (protocol §3). The token value is sealed (AES-256-GCM), never stored in clear. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('token_enc', 'text', (c) => c.notNull())
    .addColumn('hash_type', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('session_type', 'integer')
    .addColumn('session_user_id', 'text')
    .addColumn('session_duration', 'integer', (c) => c.notNull())
    .addColumn('session_privileges', 'text')
    .addColumn('expiry', 'bigint')
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('app_tokens_partner').on('app_tokens').columns(['partner_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('app_tokens').ifExists().execute();
}
