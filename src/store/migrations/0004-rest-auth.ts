/**
 * REST door auth (seed 004): access-token signing keys, API keys and the protected upstream
 * services. Frozen in time like every migration: typed against no schema.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Private keys are sealed (AES-256-GCM under the master key); public JWKs are public anyway.
  // One key per activation time: two nodes rotating at once collide here instead of both signing.
  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('private_jwk_enc', 'text', (c) => c.notNull())
    .addColumn('activates_at', 'bigint', (c) => c.notNull().unique())
    .addColumn('retires_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  // Keys are stored only as HMAC-SHA-256 under the server pepper; `start` is the visible prefix.
  // No foreign key to users: a key belongs to the partner and outlives its creator.
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('start', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_to', 'bigint', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('services', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_keys_partner').on('api_keys').columns(['partner_id', 'created_at']).execute();

  await db.schema
    .createTable('api_services')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('route_prefix', 'text', (c) => c.notNull())
    .addColumn('allowed_groups', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('required_permissions', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_services_partner_name').on('api_services').columns(['partner_id', 'name']).unique().execute();
  // The gateway matches the longest prefix: two services with one prefix would be ambiguous.
  await db.schema.createIndex('api_services_partner_route_prefix').on('api_services').columns(['partner_id', 'route_prefix']).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['api_services', 'api_keys', 'signing_keys']) await db.schema.dropTable(t).ifExists().execute();
}
