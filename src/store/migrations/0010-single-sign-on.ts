/**
 * Single sign-on (issue 18): each partner's OpenID Connect identity providers, the e-mail domains
 * that pick them, and the short-lived single-use tickets of a sign-in in progress. Frozen in time
 * like every migration: typed against no schema.
 */
import { sql, type Kysely } from 'kysely';
import { isPostgres } from './0001-initial.js';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  // The client secret is sealed under the master key, bound to its row (it must be recoverable:
  // the token endpoint needs it).
  await db.schema
    .createTable('identity_providers')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('partner_id', 'integer', (c) => c.notNull().references('partners.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_enc', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('token_auth_method', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('create_users', 'integer', (c) => c.notNull())
    .addColumn('role_id', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('identity_providers_partner').on('identity_providers').column('partner_id').execute();

  // One row per (provider, domain); `enabled` mirrors the provider's so the partial unique index
  // can say "a domain belongs to at most one enabled provider of a partner" atomically, and the
  // public lookup by domain is one indexed read.
  await db.schema
    .createTable('identity_provider_domains')
    .addColumn('provider_id', 'integer', (c) => c.notNull().references('identity_providers.id').onDelete('cascade'))
    .addColumn('partner_id', 'integer', (c) => c.notNull())
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_provider_domains_pk', ['provider_id', 'domain'])
    .execute();
  await db.schema.createIndex('identity_provider_domains_domain').on('identity_provider_domains').column('domain').execute();
  await db.schema
    .createIndex('identity_provider_domains_enabled_unique')
    .on('identity_provider_domains')
    .columns(['partner_id', 'domain'])
    .unique()
    .where(sql.ref('enabled'), '=', 1)
    .execute();

  // A sign-in in progress (`flow`: state, nonce, PKCE verifier) and the console's one-time
  // handover code (`handover`). Looked up by the SHA-256 of the random value the browser holds,
  // bound to the browser's cookie by its hash, payload sealed; taken with one DELETE … RETURNING,
  // so each is used at most once whatever the number of nodes.
  await db.schema
    .createTable('sso_tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('binding', 'text', (c) => c.notNull())
    .addColumn('payload_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sso_tickets_expires').on('sso_tickets').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['sso_tickets', 'identity_provider_domains', 'identity_providers']) await db.schema.dropTable(t).ifExists().execute();
}
