/**
 * Whether a partner trusts an identity provider's own multi-factor sign-in (issue 18): with
 * `trust_provider_mfa` set, an ID token asserting MFA (`amr` / `acr`) stands in for Gatehouse's
 * own two-factor code; otherwise a single sign-on still asks for it where a password sign-in
 * would. Off by default. Frozen in time like every migration: typed against no schema.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('identity_providers').addColumn('trust_provider_mfa', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('identity_providers').dropColumn('trust_provider_mfa').execute();
}
