/**
 * Categories, their entries and their members (issue 17; protocol kaltura-entitlements.md §2-§6).
 * The tree is stored flat with its derived paths, so no read ever recurses:
 *  - `full_ids` ("1>5>9") and `full_name_key` (lower-cased "a>b>c") locate a subtree with one
 *    index range (`prefix>` .. `prefix?`); on PostgreSQL both use the "C" collation so the range
 *    and LIKE-prefix comparisons are bytewise and index-driven, as on SQLite.
 *  - `privacy_contexts` is the category's effective contexts (its own ∪ its ancestors'), kept
 *    current on moves, so "does this category carry context X" is a look at one row.
 *  - `members_category_id` is the category whose members apply: itself for MANUAL inheritance, the
 *    nearest MANUAL ancestor for INHERIT (Kaltura's `inheritedParentId`), so "is the user a member"
 *    is one probe of category_users(partner_id, user_id, status, category_id).
 * Counters are kept by guarded increments in the write's transaction (repos/categories*.ts).
 * Frozen in time like every migration: typed against no schema.
 */
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './0001-initial.js';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  const serial = pg ? 'serial' : 'integer';
  const idColumn = (c: any) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  // Path columns compare bytewise on both dialects (see above).
  const path = (c: any) => (pg ? c.notNull().modifyFront(sql`collate "C"`) : c.notNull());

  await db.schema
    .createTable('categories')
    .addColumn('id', serial, idColumn)
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('parent_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('name', 'text', (c) => c.notNull())
    // lower(name): siblings' names are unique case-insensitively (DUPLICATE_CATEGORY).
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('full_name_key', 'text', path)
    .addColumn('full_ids', 'text', path)
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('admin_tags', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('reference_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('partner_data', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('partner_sort_value', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('default_order_by', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('moderation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('privacy', 'integer', (c) => c.notNull())
    .addColumn('privacy_context', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('privacy_contexts', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('appear_in_list', 'integer', (c) => c.notNull())
    .addColumn('inheritance_type', 'integer', (c) => c.notNull())
    .addColumn('members_category_id', 'integer', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_join_policy', 'integer', (c) => c.notNull())
    .addColumn('default_permission_level', 'integer', (c) => c.notNull())
    .addColumn('contribution_policy', 'integer', (c) => c.notNull())
    .addColumn('entries_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('direct_entries_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_entries_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('direct_sub_categories_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('members_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pending_members_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();
  // One live name per parent (status < 3: not DELETED/PURGED); also the index of "children of X".
  await db.schema
    .createIndex('categories_sibling_name_live')
    .on('categories')
    .columns(['partner_id', 'parent_id', 'name_key'])
    .unique()
    .where(sql.ref('status'), '<', 3)
    .execute();
  await db.schema.createIndex('categories_partner_full_ids').on('categories').columns(['partner_id', 'full_ids']).execute();
  await db.schema.createIndex('categories_partner_full_name').on('categories').columns(['partner_id', 'full_name_key']).execute();
  // The member branch of entitlement: categories whose members are those of category X.
  await db.schema.createIndex('categories_partner_members_of').on('categories').columns(['partner_id', 'members_category_id']).execute();
  // The open branch of entitlement: a partner's ALL / AUTHENTICATED_USERS categories.
  await db.schema.createIndex('categories_partner_privacy').on('categories').columns(['partner_id', 'privacy', 'status']).execute();

  await db.schema
    .createTable('category_entries')
    .addColumn('id', serial, idColumn)
    .addColumn('partner_id', 'integer', (c) => c.notNull())
    .addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id'))
    .addColumn('entry_id', 'text', (c) => c.notNull())
    .addColumn('category_full_ids', 'text', path)
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('creator_user_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One live (PENDING or ACTIVE) link per category and entry (CATEGORY_ENTRY_ALREADY_EXISTS).
  await db.schema
    .createIndex('category_entries_live')
    .on('category_entries')
    .columns(['category_id', 'entry_id'])
    .unique()
    .where(sql.ref('status'), '<', 3)
    .execute();
  // An entry's links (entitlement's per-entry probe, covering: no table read), and a category's entries.
  await db.schema.createIndex('category_entries_entry').on('category_entries').columns(['entry_id', 'status', 'category_id']).execute();
  await db.schema.createIndex('category_entries_category').on('category_entries').columns(['partner_id', 'category_id', 'status', 'entry_id']).execute();
  await db.schema.createIndex('category_entries_full_ids').on('category_entries').columns(['partner_id', 'category_full_ids']).execute();

  await db.schema
    .createTable('category_users')
    .addColumn('id', serial, idColumn)
    .addColumn('partner_id', 'integer', (c) => c.notNull())
    .addColumn('category_id', 'integer', (c) => c.notNull().references('categories.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('permission_level', 'integer', (c) => c.notNull())
    .addColumn('permission_names', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('update_method', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One live (not DELETED) membership per category and user (CATEGORY_USER_ALREADY_EXISTS).
  await db.schema
    .createIndex('category_users_live')
    .on('category_users')
    .columns(['category_id', 'user_id'])
    .unique()
    .where(sql.ref('status'), '<>', 4)
    .execute();
  // A user's memberships (entitlement; covering), and a category's members (lists, counts).
  await db.schema.createIndex('category_users_user').on('category_users').columns(['partner_id', 'user_id', 'status', 'category_id']).execute();
  await db.schema.createIndex('category_users_category').on('category_users').columns(['partner_id', 'category_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['category_users', 'category_entries', 'categories']) await db.schema.dropTable(t).ifExists().execute();
}
