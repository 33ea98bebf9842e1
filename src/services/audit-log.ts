/**
 * Reading the audit trail (the console's "Audit" page): a partner sees its own events; an
 * operator (admin-console partner) sees every partner's. Newest first. Events never hold secrets
 * (see audit.ts), so they are shown as stored.
 */
import type { Principal } from './context.js';
import { SystemPartner, type AuditEvent, type ListResult, type Page } from './model.js';
import type { AuditFilter, AuditRepo } from './ports.js';

export interface AuditQuery {
  actor?: string | undefined;
  action?: string | undefined;
  fromMs?: number | undefined;
  toMs?: number | undefined;
}

export class AuditLog {
  constructor(private readonly d: { audit: AuditRepo }) {}

  list(p: Principal, q: AuditQuery, page: Page): Promise<ListResult<AuditEvent & { id: number }>> {
    const f: AuditFilter = {};
    if (p.partnerId !== SystemPartner.ADMIN_CONSOLE) f.partnerId = p.partnerId;
    if (q.actor) f.actor = q.actor;
    if (q.action) f.action = q.action;
    if (q.fromMs !== undefined) f.fromMs = q.fromMs;
    if (q.toMs !== undefined) f.toMs = q.toMs;
    return this.d.audit.list(f, page);
  }
}
