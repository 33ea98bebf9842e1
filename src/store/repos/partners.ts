import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../../core/crypto/secret-box.js';
import { FIRST_PUBLISHER_ID, type ListResult, type Page, type Partner } from '../../services/model.js';
import { DuplicateKeyError, type PartnerFilter, type PartnerRepo } from '../../services/ports.js';
import { isUniqueViolation, likeCi, pageOffset, parseJsonObject } from '../errors.js';
import type { Database, PartnersTable } from '../schema.js';

/**
 * Partner secrets are sealed with AES-256-GCM; the AAD names the partner and the column, so a
 * sealed value copied onto another partner or column does not open.
 */
const secretCtx = (id: number) => `partner:${id}:secret`;
const adminCtx = (id: number) => `partner:${id}:admin_secrets`;

export class SqlPartnerRepo implements PartnerRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  private toDomain(r: Selectable<PartnersTable>): Partner {
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      adminName: r.admin_name,
      adminEmail: r.admin_email,
      status: r.status,
      secret: this.box.open(r.secret_enc, secretCtx(r.id)),
      adminSecrets: JSON.parse(this.box.open(r.admin_secrets_enc, adminCtx(r.id))) as string[],
      ksMaxExpiry: r.ks_max_expiry,
      maxLoginAttempts: r.max_login_attempts,
      loginBlockPeriod: r.login_block_period,
      defaultAccessControlId: r.default_access_control_id,
      partnerParentId: r.partner_parent_id,
      settings: parseJsonObject(r.settings),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  private toRow(id: number, p: Partial<Partner>): Partial<PartnersTable> {
    const row: Partial<PartnersTable> = {};
    if (p.name !== undefined) row.name = p.name;
    if (p.description !== undefined) row.description = p.description;
    if (p.adminName !== undefined) row.admin_name = p.adminName;
    if (p.adminEmail !== undefined) row.admin_email = p.adminEmail;
    if (p.status !== undefined) row.status = p.status;
    if (p.secret !== undefined) row.secret_enc = this.box.seal(p.secret, secretCtx(id));
    if (p.adminSecrets !== undefined) row.admin_secrets_enc = this.box.seal(JSON.stringify(p.adminSecrets), adminCtx(id));
    if (p.ksMaxExpiry !== undefined) row.ks_max_expiry = p.ksMaxExpiry;
    if (p.maxLoginAttempts !== undefined) row.max_login_attempts = p.maxLoginAttempts;
    if (p.loginBlockPeriod !== undefined) row.login_block_period = p.loginBlockPeriod;
    if (p.defaultAccessControlId !== undefined) row.default_access_control_id = p.defaultAccessControlId;
    if (p.partnerParentId !== undefined) row.partner_parent_id = p.partnerParentId;
    if (p.settings !== undefined) row.settings = JSON.stringify(p.settings);
    if (p.createdAt !== undefined) row.created_at = p.createdAt;
    if (p.updatedAt !== undefined) row.updated_at = p.updatedAt;
    return row;
  }

  async get(id: number): Promise<Partner | undefined> {
    const r = await this.db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.toDomain(r);
  }

  async insert(p: Omit<Partner, 'id'> & { id?: number }): Promise<Partner> {
    // Ids are sequential from FIRST_PUBLISHER_ID. A conflict is reported, not retried here: inside
    // a PostgreSQL transaction the failed insert has aborted the transaction, so only the caller
    // can retry (the whole unit of work).
    const id = p.id ?? (await this.nextId());
    try {
      await this.db.insertInto('partners').values({ ...(this.toRow(id, p) as PartnersTable), id }).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('partners.id');
      throw e;
    }
    return (await this.get(id))!;
  }

  private async nextId(): Promise<number> {
    const r = await this.db.selectFrom('partners').select((eb) => eb.fn.max('id').as('max')).where('id', '>=', FIRST_PUBLISHER_ID).executeTakeFirst();
    const max = r?.max == null ? FIRST_PUBLISHER_ID - 1 : Number(r.max);
    return max + 1;
  }

  async update(id: number, patch: Partial<Omit<Partner, 'id' | 'createdAt'>>): Promise<Partner | undefined> {
    const row = this.toRow(id, patch);
    if (Object.keys(row).length > 0) await this.db.updateTable('partners').set(row).where('id', '=', id).execute();
    return this.get(id);
  }

  async list(filter: PartnerFilter, page: Page): Promise<ListResult<Partner>> {
    let q = this.db.selectFrom('partners');
    if (filter.idEqual !== undefined) q = q.where('id', '=', filter.idEqual);
    if (filter.idIn) q = filter.idIn.length ? q.where('id', 'in', filter.idIn) : q.where('id', '=', Number.MIN_SAFE_INTEGER);
    if (filter.statusEqual !== undefined) q = q.where('status', '=', filter.statusEqual);
    if (filter.statusIn?.length) q = q.where('status', 'in', filter.statusIn);
    if (filter.partnerParentIdEqual !== undefined) q = q.where('partner_parent_id', '=', filter.partnerParentIdEqual);
    if (filter.nameLike) q = q.where(likeCi('name', 'contains', filter.nameLike));
    if (filter.publishersOnly) q = q.where('id', '>=', FIRST_PUBLISHER_ID);
    const search = filter.search;
    if (search) {
      const id = /^-?\d{1,9}$/.test(search) ? Number(search) : undefined;
      q = q.where((eb) => eb.or([likeCi('name', 'contains', search), likeCi('admin_email', 'contains', search), ...(id === undefined ? [] : [eb('id', '=', id)])]));
    }
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy('id', 'asc').limit(limit).offset(offset).execute();
    return { objects: rows.map((r) => this.toDomain(r)), totalCount: Number(total?.n ?? 0) };
  }
}
