/**
 * kmc-ng lists roles with `tagsMultiLikeOr: 'kmc'` and finds the account's administrator role with
 * `tagsMultiLikeOr: 'partner_admin'`, as on Kaltura's server, where the roles a publisher manages
 * carry those tags. Installations made before this had the built-in roles untagged, so kmc-ng's
 * Roles page was empty and its Users page showed no role: tag them (and the partners' copies of
 * the templates) as new installations are. Roles someone tagged are left alone. Frozen in time like
 * every migration: the names are written out, not imported.
 */
import type { Kysely } from 'kysely';

const TEMPLATES = ['MANAGER', 'CONTENT_UPLOADER', 'CONTENT_MODERATOR', 'PLAYER_DESIGNER'];

export async function up(db: Kysely<any>): Promise<void> {
  await db.updateTable('user_roles').set({ tags: 'kmc,partner_admin' }).where('partner_id', '=', 0).where('system_name', '=', 'PARTNER_ADMIN_ROLE').where('tags', '=', '').execute();
  await db.updateTable('user_roles').set({ tags: 'kmc' }).where('partner_id', '>', 0).where('system_name', 'in', TEMPLATES).where('tags', '=', '').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.updateTable('user_roles').set({ tags: '' }).where('partner_id', '=', 0).where('system_name', '=', 'PARTNER_ADMIN_ROLE').where('tags', '=', 'kmc,partner_admin').execute();
  await db.updateTable('user_roles').set({ tags: '' }).where('partner_id', '>', 0).where('system_name', 'in', TEMPLATES).where('tags', '=', 'kmc').execute();
}
