import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { SecretBox } from '../../core/crypto/secret-box.js';
import { AppTokenStatus, type AppToken, type AppTokenHashType, type ListResult, type Page } from '../../services/model.js';
import { DuplicateKeyError, type AppTokenFilter, type AppTokenRepo } from '../../services/ports.js';
import { isUniqueViolation, pageOffset } from '../errors.js';
import type { AppTokensTable, Database } from '../schema.js';

/** The AAD binds a sealed token to its own row, so a value copied onto another token does not open. */
const tokenCtx = (id: string) => `app_token:${id}:token`;

const ORDER: Record<string, ['created_at' | 'updated_at', 'asc' | 'desc']> = {
  '+createdAt': ['created_at', 'asc'],
  '-createdAt': ['created_at', 'desc'],
  '+updatedAt': ['updated_at', 'asc'],
  '-updatedAt': ['updated_at', 'desc'],
};

export class SqlAppTokenRepo implements AppTokenRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
  ) {}

  private toDomain(r: Selectable<AppTokensTable>): AppToken {
    return {
      id: r.id,
      partnerId: r.partner_id,
      token: this.box.open(r.token_enc, tokenCtx(r.id)),
      hashType: r.hash_type as AppTokenHashType,
      status: r.status,
      sessionType: r.session_type,
      sessionUserId: r.session_user_id,
      sessionDuration: r.session_duration,
      sessionPrivileges: r.session_privileges,
      expiry: r.expiry,
      description: r.description,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  async get(id: string): Promise<AppToken | undefined> {
    const r = await this.db.selectFrom('app_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.toDomain(r);
  }

  async insert(t: AppToken): Promise<AppToken> {
    try {
      await this.db
        .insertInto('app_tokens')
        .values({
          id: t.id,
          partner_id: t.partnerId,
          token_enc: this.box.seal(t.token, tokenCtx(t.id)),
          hash_type: t.hashType,
          status: t.status,
          session_type: t.sessionType,
          session_user_id: t.sessionUserId,
          session_duration: t.sessionDuration,
          session_privileges: t.sessionPrivileges,
          expiry: t.expiry,
          description: t.description,
          created_at: t.createdAt,
          updated_at: t.updatedAt,
        })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('app_tokens.id');
      throw e;
    }
    return t;
  }

  async update(id: string, p: Partial<Omit<AppToken, 'id' | 'partnerId' | 'token' | 'createdAt'>>): Promise<AppToken> {
    const row: Updateable<AppTokensTable> = {};
    if (p.hashType !== undefined) row.hash_type = p.hashType;
    if (p.status !== undefined) row.status = p.status;
    if (p.sessionType !== undefined) row.session_type = p.sessionType;
    if (p.sessionUserId !== undefined) row.session_user_id = p.sessionUserId;
    if (p.sessionDuration !== undefined) row.session_duration = p.sessionDuration;
    if (p.sessionPrivileges !== undefined) row.session_privileges = p.sessionPrivileges;
    if (p.expiry !== undefined) row.expiry = p.expiry;
    if (p.description !== undefined) row.description = p.description;
    if (p.updatedAt !== undefined) row.updated_at = p.updatedAt;
    if (Object.keys(row).length) await this.db.updateTable('app_tokens').set(row).where('id', '=', id).execute();
    return (await this.get(id))!;
  }

  async list(partnerId: number, f: AppTokenFilter, page: Page): Promise<ListResult<AppToken>> {
    let q = this.db.selectFrom('app_tokens').where('partner_id', '=', partnerId);
    if (f.statusEqual !== undefined) q = q.where('status', '=', f.statusEqual);
    else if (f.statusIn?.length) q = q.where('status', 'in', f.statusIn);
    else q = q.where('status', '<>', AppTokenStatus.DELETED);
    if (f.idEqual !== undefined) q = q.where('id', '=', f.idEqual);
    if (f.idIn) q = f.idIn.length ? q.where('id', 'in', f.idIn) : q.where(sql<boolean>`1 = 0`);
    if (f.sessionUserIdEqual !== undefined) q = q.where('session_user_id', '=', f.sessionUserIdEqual);
    if (f.createdAtGreaterThanOrEqual) q = q.where('created_at', '>=', f.createdAtGreaterThanOrEqual);
    if (f.createdAtLessThanOrEqual) q = q.where('created_at', '<=', f.createdAtLessThanOrEqual);
    if (f.updatedAtGreaterThanOrEqual) q = q.where('updated_at', '>=', f.updatedAtGreaterThanOrEqual);
    if (f.updatedAtLessThanOrEqual) q = q.where('updated_at', '<=', f.updatedAtLessThanOrEqual);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const [col, dir] = ORDER[f.orderBy ?? ''] ?? ['created_at', 'asc'];
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy(col, dir).orderBy('id', 'asc').limit(limit).offset(offset).execute();
    return { objects: rows.map((r) => this.toDomain(r)), totalCount: Number(total?.n ?? 0) };
  }
}
