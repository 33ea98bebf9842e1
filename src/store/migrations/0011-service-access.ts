/**
 * What a protected service admits, beyond "a consumer sharing one of its groups" (issue 19, for
 * configurations imported from Kong):
 *  - `access`: 'groups' (the default and the rule so far: a shared ACL group, or an API key's
 *    permissions), 'authenticated' (any valid credential of the partner: Kong's `jwt` without
 *    `acl`) or 'public' (no credential needed: a Kong route without auth plugins);
 *  - `denied_groups`: Kong's acl `deny` (a consumer holding one is refused);
 *  - `methods`: the HTTP methods the service answers (empty = every method), Kong's route `methods`;
 *  - `rate_limits`: Kong's `rate-limiting` windows as imported (JSON, null = none).
 * Frozen in time like every migration: typed against no schema.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_services').addColumn('access', 'text', (c) => c.notNull().defaultTo('groups')).execute();
  await db.schema.alterTable('api_services').addColumn('denied_groups', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('api_services').addColumn('methods', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('api_services').addColumn('rate_limits', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['rate_limits', 'methods', 'denied_groups', 'access']) await db.schema.alterTable('api_services').dropColumn(c).execute();
}
