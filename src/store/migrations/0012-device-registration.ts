/**
 * Device self-registration and key pools (issue 19, Sunbird's mobile app flow):
 * - `consumers.registration_group`: set, the consumer is a device consumer that accepts credential
 *   registrations from consumers holding this ACL group; `credential_lifetime` (seconds, optional)
 *   is the lifetime of each device credential from its (re)registration; `registration_rate_limit`
 *   the registrations per minute one caller may make for it.
 * - `consumer_credentials.kind`: 'standard' (admin-made or imported), 'device' (self-registered;
 *   re-registration rotates its secret) or 'pool' (an RS256 key of the consumer's signing pool,
 *   its `key` the `kid` of the tokens `/v2/.../credential/register` signs with it);
 *   `private_key_enc` is a pool key's PKCS#8 private key sealed under the master key, cleared when
 *   the key is retired.
 * Credential lookups stay on the unique index of `key`, whatever the number of devices.
 * Frozen in time like every migration: typed against no schema.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('consumers').addColumn('registration_group', 'text').execute();
  await db.schema.alterTable('consumers').addColumn('credential_lifetime', 'bigint').execute();
  await db.schema.alterTable('consumers').addColumn('registration_rate_limit', 'integer').execute();
  await db.schema.alterTable('consumer_credentials').addColumn('kind', 'text', (c) => c.notNull().defaultTo('standard')).execute();
  await db.schema.alterTable('consumer_credentials').addColumn('private_key_enc', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['private_key_enc', 'kind']) await db.schema.alterTable('consumer_credentials').dropColumn(c).execute();
  for (const c of ['registration_rate_limit', 'credential_lifetime', 'registration_group']) await db.schema.alterTable('consumers').dropColumn(c).execute();
}
