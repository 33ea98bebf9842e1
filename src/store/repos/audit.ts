import { sql, type Kysely } from 'kysely';
import type { AuditEvent, ListResult, Page } from '../../services/model.js';
import type { AuditFilter, AuditRepo } from '../../services/ports.js';
import { pageOffset, parseJsonObject } from '../errors.js';
import type { Database } from '../schema.js';

export class SqlAuditRepo implements AuditRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async append(e: AuditEvent): Promise<void> {
    await this.appendMany([e]);
  }

  async appendMany(events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.db
      .insertInto('audit_log')
      .values(
        events.map((e) => ({
          at_ms: e.atMs,
          partner_id: e.partnerId,
          actor: e.actor,
          action: e.action,
          target: e.target,
          outcome: e.outcome,
          client_ip: e.clientIp,
          detail: JSON.stringify(e.detail ?? {}),
        })),
      )
      .execute();
  }

  async list(f: AuditFilter, page: Page): Promise<ListResult<AuditEvent & { id: number }>> {
    let q = this.db.selectFrom('audit_log');
    if (f.partnerId !== undefined) q = q.where('partner_id', '=', f.partnerId);
    if (f.actor) q = q.where('actor', '=', f.actor);
    if (f.action) q = q.where('action', '=', f.action);
    if (f.actorKey !== undefined) q = q.where(sql<string>`lower(actor)`, '=', f.actorKey.toLowerCase());
    if (f.actionIn) q = f.actionIn.length ? q.where('action', 'in', [...f.actionIn]) : q.where(sql<boolean>`1 = 0`);
    if (f.fromMs !== undefined) q = q.where('at_ms', '>=', f.fromMs);
    if (f.toMs !== undefined) q = q.where('at_ms', '<=', f.toMs);
    const total = await q.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    const { limit, offset } = pageOffset(page);
    const rows = await q.selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute();
    return {
      totalCount: Number(total?.n ?? 0),
      objects: rows.map((r) => ({
        id: r.id,
        atMs: r.at_ms,
        partnerId: r.partner_id,
        actor: r.actor,
        action: r.action,
        target: r.target,
        outcome: r.outcome === 'success' ? 'success' : 'failure',
        clientIp: r.client_ip,
        detail: parseJsonObject(r.detail),
      })),
    };
  }
}
