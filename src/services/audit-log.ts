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

  /**
   * A person's own sign-ins and password changes: the events of their login id (in any case, as it
   * was typed), in every partner. Events are recorded under the login id at the time, so those from
   * before a change of login id stay under the old one.
   */
  signInsOf(loginId: string, page: Page): Promise<ListResult<AuditEvent & { id: number }>> {
    return this.d.audit.list({ actorKey: loginId, actionIn: SIGN_IN_ACTIONS }, page);
  }
}

/** What "my sign-ins" lists: every way a password, a provider (single sign-on) or a session signs someone in, and changes of one's login. */
export const SIGN_IN_ACTIONS = ['user.loginByLoginId', 'auth.accessToken', 'auth.sso', 'auth.sso.token', 'auth.switchPartner', 'user.loginByKs', 'partner.getSecrets', 'user.updateLoginData', 'adminUser.updatePassword', 'me.password'] as const;
