/** Protected upstream services (the gateway's route table), per partner. */
import type { Kysely, Selectable, Updateable } from 'kysely';
import { SERVICE_ACCESS, type ApiService, type ListResult, type Page, type ServiceAccess, type ServiceRateLimits } from '../../services/model.js';
import { DuplicateKeyError, type ApiServicePatch, type ApiServiceRepo } from '../../services/ports.js';
import { isUniqueViolation, pageOffset } from '../errors.js';
import type { ApiServicesTable, Database } from '../schema.js';
import { strings } from './api-keys.js';

function toDomain(r: Selectable<ApiServicesTable>): ApiService {
  return {
    id: r.id,
    partnerId: r.partner_id,
    name: r.name,
    routePrefix: r.route_prefix,
    allowedGroups: strings(r.allowed_groups),
    requiredPermissions: strings(r.required_permissions),
    // An unknown value (written by a later version) is the strictest known rule.
    access: (SERVICE_ACCESS as readonly string[]).includes(r.access) ? (r.access as ServiceAccess) : 'groups',
    deniedGroups: strings(r.denied_groups),
    methods: strings(r.methods),
    rateLimits: rateLimitsOf(r.rate_limits),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function rateLimitsOf(json: string | null): ServiceRateLimits | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return v !== null && typeof v === 'object' ? (v as ServiceRateLimits) : null;
  } catch {
    return null;
  }
}

/** Which unique index a violation hit: PostgreSQL names the constraint, SQLite the columns. */
function duplicate(e: unknown): DuplicateKeyError {
  const err = e as { constraint?: unknown; message?: unknown };
  const text = `${String(err.constraint ?? '')} ${String(err.message ?? '')}`;
  return new DuplicateKeyError(text.includes('route_prefix') ? 'api_services.route_prefix' : 'api_services.name');
}

export class SqlApiServiceRepo implements ApiServiceRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(s: ApiService): Promise<ApiService> {
    try {
      await this.db
        .insertInto('api_services')
        .values({
          id: s.id,
          partner_id: s.partnerId,
          name: s.name,
          route_prefix: s.routePrefix,
          allowed_groups: JSON.stringify(s.allowedGroups),
          required_permissions: JSON.stringify(s.requiredPermissions),
          access: s.access,
          denied_groups: JSON.stringify(s.deniedGroups),
          methods: JSON.stringify(s.methods),
          rate_limits: s.rateLimits === null ? null : JSON.stringify(s.rateLimits),
          created_at: s.createdAt,
          updated_at: s.updatedAt,
        })
        .execute();
      return s;
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicate(e);
      throw e;
    }
  }

  async get(partnerId: number, id: string): Promise<ApiService | undefined> {
    const r = await this.db.selectFrom('api_services').selectAll().where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
    return r && toDomain(r);
  }

  async list(partnerId: number, page: Page): Promise<ListResult<ApiService>> {
    const q = this.db.selectFrom('api_services').where('partner_id', '=', partnerId);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy('name').orderBy('id').limit(limit).offset(offset).execute();
    return { objects: rows.map(toDomain), totalCount: Number(total?.n ?? 0) };
  }

  async existing(partnerId: number, ids: readonly string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.db.selectFrom('api_services').select('id').where('partner_id', '=', partnerId).where('id', 'in', [...ids]).execute();
    return rows.map((r) => r.id);
  }

  async update(partnerId: number, id: string, p: ApiServicePatch): Promise<ApiService | undefined> {
    const row: Updateable<ApiServicesTable> = {};
    if (p.name !== undefined) row.name = p.name;
    if (p.routePrefix !== undefined) row.route_prefix = p.routePrefix;
    if (p.allowedGroups !== undefined) row.allowed_groups = JSON.stringify(p.allowedGroups);
    if (p.requiredPermissions !== undefined) row.required_permissions = JSON.stringify(p.requiredPermissions);
    if (p.access !== undefined) row.access = p.access;
    if (p.deniedGroups !== undefined) row.denied_groups = JSON.stringify(p.deniedGroups);
    if (p.methods !== undefined) row.methods = JSON.stringify(p.methods);
    if (p.rateLimits !== undefined) row.rate_limits = p.rateLimits === null ? null : JSON.stringify(p.rateLimits);
    if (p.updatedAt !== undefined) row.updated_at = p.updatedAt;
    try {
      if (Object.keys(row).length) await this.db.updateTable('api_services').set(row).where('partner_id', '=', partnerId).where('id', '=', id).execute();
    } catch (e) {
      if (isUniqueViolation(e)) throw duplicate(e);
      throw e;
    }
    return this.get(partnerId, id);
  }

  async delete(partnerId: number, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('api_services').where('partner_id', '=', partnerId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
