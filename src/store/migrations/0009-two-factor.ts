/**
 * Two-factor codes (issue 18): one TOTP enrolment per login identity and its recovery codes.
 * - `secret_enc` is the TOTP secret sealed under the master key (AES-256-GCM, bound to the login
 *   in its context), never stored in clear;
 * - `last_step` is the last time step whose code was accepted: a code is accepted only for a later
 *   step (a guarded update), so each code works once;
 * - recovery codes are stored only as HMAC-SHA-256 under the installation's pepper, with the login
 *   bound into the MAC; `used_at` is set by a guarded update, so each works once.
 * Rows go with their login. Frozen in time like every migration: typed against no schema.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('two_factor')
    .addColumn('login_data_id', 'integer', (c) => c.primaryKey().references('login_data.id').onDelete('cascade'))
    // A new random id per enrolment started: confirming checks it, so a restarted enrolment is never confirmed by the old one's code.
    .addColumn('enrolment_id', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    // 'pending' until a first code confirms it, then 'confirmed'.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_step', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .execute();

  await db.schema
    .createTable('two_factor_recovery_codes')
    .addColumn('login_data_id', 'integer', (c) => c.notNull().references('login_data.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addPrimaryKeyConstraint('two_factor_recovery_codes_pk', ['login_data_id', 'code_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['two_factor_recovery_codes', 'two_factor']) await db.schema.dropTable(t).ifExists().execute();
}
