/** Table types of the category tree, its entries and its members (migration 0007); part of schema.ts's Database. */
import type { Generated } from 'kysely';

export interface CategoriesTable {
  id: Generated<number>;
  partner_id: number;
  /** 0 for a root. */
  parent_id: number;
  name: string;
  /** lower(name): the sibling-uniqueness key. */
  name_key: string;
  /** Ancestors' names and its own joined with '>'. */
  full_name: string;
  /** lower(full_name), for whole-segment prefix ranges. */
  full_name_key: string;
  /** Ancestors' ids and its own joined with '>'. */
  full_ids: string;
  depth: number;
  description: string;
  tags: string;
  admin_tags: string;
  reference_id: string;
  partner_data: string;
  partner_sort_value: number;
  default_order_by: string;
  moderation: number;
  privacy: number;
  /** Its own contexts, comma-separated ('' = none). */
  privacy_context: string;
  /** Effective contexts: its own and its ancestors', comma-separated, de-duplicated. */
  privacy_contexts: string;
  appear_in_list: number;
  inheritance_type: number;
  /** Whose members apply: itself (MANUAL) or the nearest MANUAL ancestor (INHERIT). */
  members_category_id: number;
  /** The owner's user id ('' = none). */
  owner: string;
  user_join_policy: number;
  default_permission_level: number;
  contribution_policy: number;
  entries_count: number;
  direct_entries_count: number;
  pending_entries_count: number;
  direct_sub_categories_count: number;
  members_count: number;
  pending_members_count: number;
  status: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export interface CategoryEntriesTable {
  id: Generated<number>;
  partner_id: number;
  category_id: number;
  entry_id: string;
  /** The category's full_ids, kept current on moves. */
  category_full_ids: string;
  status: number;
  creator_user_id: string;
  created_at: number;
  updated_at: number;
}

export interface CategoryUsersTable {
  id: Generated<number>;
  partner_id: number;
  category_id: number;
  user_id: string;
  permission_level: number;
  /** Comma-separated CATEGORY_* names derived from the level. */
  permission_names: string;
  update_method: number;
  status: number;
  created_at: number;
  updated_at: number;
}
