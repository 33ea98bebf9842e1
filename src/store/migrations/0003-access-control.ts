/**
 * Access control (protocol §5): soft-deleted profiles with unique live system names, entries
 * (metadata only: Gatehouse stores no media), custom-metadata profiles and metadata objects.
 * Frozen in time like every migration: typed against no schema.
 */
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './0001-initial.js';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('access_control_profiles').addColumn('deleted_at', 'bigint').execute();
  // One live profile per system name and partner; empty names are not names, deleted profiles free theirs.
  await db.schema
    .createIndex('acp_partner_system_name_live')
    .on('access_control_profiles')
    .columns(['partner_id', 'system_name'])
    .unique()
    .where(sql<boolean>`system_name <> '' and deleted_at is null`)
    .execute();

  await db.schema
    .createTable('entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('creator_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('access_control_id', 'integer')
    .addColumn('start_date', 'bigint')
    .addColumn('end_date', 'bigint')
    .addColumn('flavor_params_ids', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('media_type', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  await db.schema.createIndex('entries_partner_user').on('entries').columns(['partner_id', 'user_id']).execute();
  await db.schema.createIndex('entries_partner_acp').on('entries').columns(['partner_id', 'access_control_id']).execute();

  const serial = isPostgres(db) ? 'serial' : 'integer';
  const idColumn = (c: any) => (isPostgres(db) ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .createTable('metadata_profiles')
    .addColumn('id', serial, idColumn)
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('object_type', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('system_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('xsd', 'text', (c) => c.notNull())
    .addColumn('field_names', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('metadata_profiles_partner').on('metadata_profiles').column('partner_id').execute();

  await db.schema
    .createTable('metadata')
    .addColumn('id', serial, idColumn)
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('metadata_profile_id', 'integer', (c) => c.notNull().references('metadata_profiles.id'))
    .addColumn('object_type', 'integer', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('xml', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One live metadata object per profile and object (METADATA_ALREADY_EXISTS); deleted ones (3) stay for history.
  await db.schema
    .createIndex('metadata_profile_object_live')
    .on('metadata')
    .columns(['metadata_profile_id', 'object_type', 'object_id'])
    .unique()
    .where(sql.ref('status'), '<>', 3)
    .execute();
  await db.schema.createIndex('metadata_object').on('metadata').columns(['partner_id', 'object_type', 'object_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['metadata', 'metadata_profiles', 'entries']) await db.schema.dropTable(t).ifExists().execute();
  await db.schema.dropIndex('acp_partner_system_name_live').ifExists().execute();
  await db.schema.alterTable('access_control_profiles').dropColumn('deleted_at').execute();
}
