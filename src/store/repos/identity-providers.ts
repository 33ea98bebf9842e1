/**
 * Identity providers and their e-mail domains. The client secret is sealed, bound to its row; the
 * domains are rows of their own so "one enabled provider per domain and partner" is a unique
 * index (a violation reads as DomainTakenError) and the public lookup by domain is one indexed read.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { SecretBox } from '../../core/crypto/secret-box.js';
import { DomainTakenError, type IdentityProvider, type IdentityProviderRepo, type NewIdentityProvider, type TokenAuthMethod } from '../../services/sso/model.js';
import { isUniqueViolation } from '../errors.js';
import type { Database } from '../schema.js';
import type { IdentityProvidersTable } from '../schema-sso.js';

const secretCtx = (id: number) => `identity_provider:${id}:client_secret`;

/** Seals need the row id, known only after the insert: a placeholder is written first, in the same transaction. */
const PLACEHOLDER = '-';

export class SqlIdentityProviderRepo implements IdentityProviderRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  private async of(r: Selectable<IdentityProvidersTable>, db: Kysely<Database> = this.db): Promise<IdentityProvider> {
    const domains = await db.selectFrom('identity_provider_domains').select('domain').where('provider_id', '=', r.id).orderBy('domain').execute();
    return {
      id: r.id,
      partnerId: r.partner_id,
      name: r.name,
      issuer: r.issuer,
      clientId: r.client_id,
      clientSecret: this.box.open(r.client_secret_enc, secretCtx(r.id)),
      emailDomains: domains.map((d) => d.domain),
      scopes: r.scopes.split(' ').filter(Boolean),
      tokenAuthMethod: r.token_auth_method as TokenAuthMethod,
      enabled: r.enabled === 1,
      createUsers: r.create_users === 1,
      roleId: r.role_id,
      trustProviderMfa: r.trust_provider_mfa === 1,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }

  private async writeDomains(trx: Transaction<Database>, p: Pick<IdentityProvider, 'id' | 'partnerId' | 'emailDomains' | 'enabled'>): Promise<void> {
    await trx.deleteFrom('identity_provider_domains').where('provider_id', '=', p.id).execute();
    for (const domain of p.emailDomains) {
      try {
        await trx.insertInto('identity_provider_domains').values({ provider_id: p.id, partner_id: p.partnerId, domain, enabled: p.enabled ? 1 : 0 }).execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw new DomainTakenError(domain);
        throw e;
      }
    }
  }

  async insert(p: NewIdentityProvider): Promise<IdentityProvider> {
    const id = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('identity_providers')
        .values({
          partner_id: p.partnerId,
          name: p.name,
          issuer: p.issuer,
          client_id: p.clientId,
          client_secret_enc: PLACEHOLDER,
          scopes: p.scopes.join(' '),
          token_auth_method: p.tokenAuthMethod,
          enabled: p.enabled ? 1 : 0,
          create_users: p.createUsers ? 1 : 0,
          role_id: p.roleId,
          trust_provider_mfa: p.trustProviderMfa ? 1 : 0,
          created_at: p.createdAt,
          updated_at: p.updatedAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.updateTable('identity_providers').set({ client_secret_enc: this.box.seal(p.clientSecret, secretCtx(row.id)) }).where('id', '=', row.id).execute();
      await this.writeDomains(trx, { ...p, id: row.id });
      return row.id;
    });
    return { ...p, id };
  }

  async update(p: IdentityProvider): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('identity_providers')
        .set({
          name: p.name,
          issuer: p.issuer,
          client_id: p.clientId,
          client_secret_enc: this.box.seal(p.clientSecret, secretCtx(p.id)),
          scopes: p.scopes.join(' '),
          token_auth_method: p.tokenAuthMethod,
          enabled: p.enabled ? 1 : 0,
          create_users: p.createUsers ? 1 : 0,
          role_id: p.roleId,
          trust_provider_mfa: p.trustProviderMfa ? 1 : 0,
          updated_at: p.updatedAt,
        })
        .where('id', '=', p.id)
        .where('partner_id', '=', p.partnerId)
        .execute();
      await this.writeDomains(trx, p);
    });
  }

  async delete(partnerId: number, id: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('identity_provider_domains').where('provider_id', '=', id).where('partner_id', '=', partnerId).execute();
      const r = await trx.deleteFrom('identity_providers').where('id', '=', id).where('partner_id', '=', partnerId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  async get(id: number): Promise<IdentityProvider | undefined> {
    // Ids beyond 32 bits match nothing (PostgreSQL's integer column would fail the statement).
    if (!Number.isSafeInteger(id) || id < 1 || id > 2147483647) return undefined;
    const r = await this.db.selectFrom('identity_providers').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.of(r);
  }

  async list(partnerId: number): Promise<IdentityProvider[]> {
    const rows = await this.db.selectFrom('identity_providers').selectAll().where('partner_id', '=', partnerId).orderBy('id').execute();
    return Promise.all(rows.map((r) => this.of(r)));
  }

  async enabledByDomain(domain: string, partnerId?: number): Promise<IdentityProvider[]> {
    let q = this.db
      .selectFrom('identity_provider_domains as d')
      .innerJoin('identity_providers as p', 'p.id', 'd.provider_id')
      .selectAll('p')
      .where('d.domain', '=', domain)
      .where('d.enabled', '=', 1);
    if (partnerId !== undefined) q = q.where('d.partner_id', '=', partnerId);
    const rows = await q.orderBy('p.id').limit(10).execute();
    return Promise.all(rows.map((r) => this.of(r)));
  }
}
