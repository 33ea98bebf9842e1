/** REST API keys. Only the HMAC of a key is stored; lookups go by that HMAC. */
import type { Kysely, Selectable } from 'kysely';
import type { ApiKey, ListResult, Page } from '../../services/model.js';
import { DuplicateKeyError, type ApiKeyRepo } from '../../services/ports.js';
import { isUniqueViolation, pageOffset, parseJsonArray } from '../errors.js';
import type { ApiKeysTable, Database } from '../schema.js';

export const strings = (text: string): string[] => parseJsonArray(text).filter((v): v is string => typeof v === 'string');

function toDomain(r: Selectable<ApiKeysTable>): ApiKey {
  return {
    id: r.id,
    partnerId: r.partner_id,
    hash: r.hash,
    start: r.start,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    permissions: strings(r.permissions),
    services: strings(r.services),
    createdBy: r.created_by,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

export class SqlApiKeyRepo implements ApiKeyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(k: ApiKey): Promise<ApiKey> {
    try {
      await this.db
        .insertInto('api_keys')
        .values({
          id: k.id,
          partner_id: k.partnerId,
          hash: k.hash,
          start: k.start,
          valid_from: k.validFrom,
          valid_to: k.validTo,
          permissions: JSON.stringify(k.permissions),
          services: JSON.stringify(k.services),
          created_by: k.createdBy,
          created_at: k.createdAt,
          revoked_at: k.revokedAt,
        })
        .execute();
      return k;
    } catch (e) {
      if (isUniqueViolation(e)) throw new DuplicateKeyError('api_keys.hash');
      throw e;
    }
  }

  async byHash(hash: string): Promise<ApiKey | undefined> {
    const r = await this.db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
    return r && toDomain(r);
  }

  async byHashes(hashes: readonly string[]): Promise<Map<string, ApiKey>> {
    const found = new Map<string, ApiKey>();
    if (hashes.length === 0) return found;
    const rows = await this.db.selectFrom('api_keys').selectAll().where('hash', 'in', hashes).execute();
    for (const r of rows) found.set(r.hash, toDomain(r));
    return found;
  }

  async get(partnerId: number, id: string): Promise<ApiKey | undefined> {
    const r = await this.db.selectFrom('api_keys').selectAll().where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
    return r && toDomain(r);
  }

  async list(partnerId: number, page: Page): Promise<ListResult<ApiKey>> {
    const q = this.db.selectFrom('api_keys').where('partner_id', '=', partnerId);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset).execute();
    return { objects: rows.map(toDomain), totalCount: Number(total?.n ?? 0) };
  }

  async revoke(partnerId: number, id: string, now: number): Promise<ApiKey | undefined> {
    // Guarded: only a live key gets a revocation time, so revoking twice keeps the first one.
    await this.db.updateTable('api_keys').set({ revoked_at: now }).where('partner_id', '=', partnerId).where('id', '=', id).where('revoked_at', 'is', null).execute();
    return this.get(partnerId, id);
  }
}
