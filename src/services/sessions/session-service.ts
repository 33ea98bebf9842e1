/**
 * session.start / startWidgetSession / end / get / impersonate / impersonateByKs (protocol §2.9).
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { safeEqual } from '../../core/crypto/compare.js';
import { E, fail } from '../../core/errors/index.js';
import { buildPrivileges, decodeKs, parsePrivileges, peekKs, PRIV, privilegeValue, sessionIdHash, type ParsedKs } from '../../core/ks/index.js';
import type { Auditor } from '../audit.js';
import { assertNoWideningPrivileges } from '../grants.js';
import type { Principal, RequestMeta } from '../context.js';
import { SessionType, SystemPartner } from '../model.js';
import type { Directory, PartnerEntry, RevocationList, WidgetRepo } from '../ports.js';
import type { Authenticator } from './authenticate.js';
import { issueKs, ksMaxExpiry } from './issue.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';

export interface SessionInfo {
  ks?: string;
  partnerId: number;
  userId: string;
  expiry: number;
  sessionType: number;
  privileges: string;
}

export interface StartSessionInput {
  secret: string;
  userId: string;
  type: number;
  partnerId: number;
  expiry: number;
  privileges: string;
}

/** A sessionid revocation outlives any KS carrying it (protocol §2.9 `end`). */
const SESSION_ID_REVOCATION_TTL = 86400;

export interface SessionServiceDeps {
  directory: Directory;
  revocations: RevocationList;
  widgets: WidgetRepo;
  authenticator: Authenticator;
  audit: Auditor;
  clock: Clock;
}

export class SessionService {
  constructor(private readonly d: SessionServiceDeps) {}

  private now(): number {
    return nowSeconds(this.d.clock);
  }

  async start(input: StartSessionInput, meta: RequestMeta): Promise<string> {
    const privs = parsePrivileges(input.privileges);
    // The server validates setrole before it even looks at the secret.
    const setrole = privilegeValue(privs, PRIV.setrole);
    if (setrole && !(await this.d.authenticator.findRole(setrole, input.partnerId))) throw fail(E.UNKNOWN_ROLE_ID);
    const entry = input.partnerId ? await this.d.directory.partner(input.partnerId) : undefined;
    const secretIndex = entry ? matchSecret(entry, input.secret, input.type) : -1;
    // The user secret starts USER sessions for any user, never with a widening privilege (grants.ts);
    // such a session never acts with an admin user's role either (Authenticator.rolePermissions).
    if (entry && secretIndex === USER_SECRET) assertNoWideningPrivileges(input.privileges ?? '');
    if (!entry || secretIndex === NO_MATCH) {
      await this.d.audit.record({ partnerId: input.partnerId || null, actor: input.userId, action: 'session.start', target: '', outcome: 'failure', clientIp: meta.clientIp, detail: { reason: entry ? 'bad secret' : 'unknown partner' } });
      throw fail(E.START_SESSION_ERROR, { PID: input.partnerId });
    }
    const ttl = Math.min(input.expiry, ksMaxExpiry(entry));
    const ks = issueKs(
      entry,
      { validUntil: this.now() + ttl, type: input.type, userId: input.userId, privileges: input.privileges, masterPartnerId: null, additionalData: null },
      input.type >= SessionType.ADMIN && secretIndex > 0 ? secretIndex : 0,
    );
    await this.d.audit.record({ partnerId: entry.partner.id, actor: input.userId, action: 'session.start', target: sessionTypeName(input.type), outcome: 'success', clientIp: meta.clientIp });
    return ks;
  }

  async startWidgetSession(widgetId: string, expiry: number, meta: RequestMeta): Promise<{ partnerId: number; ks: string; userId: number }> {
    const widget = await this.d.widgets.get(widgetId);
    const entry = widget ? await this.d.directory.partner(widget.partnerId) : undefined;
    if (!widget || !entry) throw fail(E.INVALID_WIDGET_ID, { WIDGET_ID: widgetId });
    if (!partnerUsable(entry.partner).ok) {
      throw fail(E.START_WIDGET_SESSION_ERROR, { WIDGET_ID: widgetId });
    }
    const parts = ['view:*', widget.privileges, 'widget:1'];
    if (widget.roleId) parts.push(`setrole:${widget.roleId}`);
    if (widget.entryId) parts.push(`limitentry:${widget.entryId}`);
    const privileges = parts.filter(Boolean).join(',');
    const ttl = Math.min(expiry, ksMaxExpiry(entry));
    const ks = issueKs(entry, { validUntil: this.now() + ttl, type: SessionType.USER, userId: '0', privileges, masterPartnerId: null, additionalData: null });
    await this.d.audit.record({ partnerId: entry.partner.id, actor: '0', action: 'session.startWidgetSession', target: widgetId, outcome: 'success', clientIp: meta.clientIp });
    return { partnerId: entry.partner.id, ks, userId: 0 };
  }

  /** Invalidates the calling KS (and its session id group); a call without a KS is a no-op. */
  async end(p: Principal, meta: RequestMeta): Promise<void> {
    if (!p.ks) return;
    await this.d.revocations.revoke(p.ks.hash, Math.max(p.ks.validUntil, this.now() + 1));
    const sid = privilegeValue(p.privileges, PRIV.sessionid);
    if (sid) await this.d.revocations.revoke(sessionIdHash(p.ks.partnerId, sid), this.now() + SESSION_ID_REVOCATION_TTL);
    await this.d.audit.record({ partnerId: p.ks.partnerId, actor: p.userId, action: 'session.end', target: '', outcome: 'success', clientIp: meta.clientIp });
  }

  /** Details of a KS of the caller's partner (the caller's own when `session` is empty). */
  async get(p: Principal, session: string): Promise<SessionInfo> {
    const ks = session ? await this.decodeForPartner(session, p.partnerId) : p.ks;
    if (!ks) throw fail(E.MISSING_KS);
    return { partnerId: ks.partnerId, userId: ks.userId, expiry: ks.validUntil, sessionType: ks.type, privileges: ks.privileges };
  }

  async impersonate(
    input: StartSessionInput & { impersonatedPartnerId: number },
    meta: RequestMeta,
  ): Promise<string> {
    const master = input.partnerId ? await this.d.directory.partner(input.partnerId) : undefined;
    const target = await this.d.directory.partner(input.impersonatedPartnerId);
    const secretIndex = master ? matchSecret(master, input.secret, input.type) : -1;
    if (secretIndex === USER_SECRET) assertNoWideningPrivileges(input.privileges ?? '');
    const ok = master && target && secretIndex !== NO_MATCH && mayImpersonate(master, target);
    if (!ok || !target) {
      await this.d.audit.record({ partnerId: input.partnerId || null, actor: input.userId, action: 'session.impersonate', target: String(input.impersonatedPartnerId), outcome: 'failure', clientIp: meta.clientIp });
      throw fail(E.START_SESSION_ERROR, { PID: input.partnerId });
    }
    const ttl = Math.min(input.expiry, ksMaxExpiry(target));
    const ks = issueKs(target, { validUntil: this.now() + ttl, type: input.type, userId: input.userId, privileges: input.privileges, masterPartnerId: String(input.partnerId), additionalData: null });
    await this.d.audit.record({ partnerId: target.partner.id, actor: input.userId, action: 'session.impersonate', target: String(input.impersonatedPartnerId), outcome: 'success', clientIp: meta.clientIp, detail: { masterPartnerId: input.partnerId } });
    return ks;
  }

  /** Re-issues a KS with another type, lifetime or privileges (operators only, by permission). */
  async impersonateByKs(p: Principal, session: string, type: number, expiry: number, privileges: string, meta: RequestMeta): Promise<SessionInfo> {
    const peek = peekKs(session);
    const entry = peek ? await this.d.directory.partner(peek.partnerId) : undefined;
    const old = entry ? decodeKs(session, entry.ksKeys) : null;
    if (!entry || !old) throw fail(E.INVALID_KS, { KSID: session, ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
    const ttl = Math.min(expiry > 0 ? expiry : Math.max(old.validUntil - this.now(), 0), ksMaxExpiry(entry));
    const privs = privileges || old.privileges;
    const validUntil = this.now() + ttl;
    const ks = issueKs(entry, { validUntil, type, userId: old.userId, privileges: privs, masterPartnerId: old.masterPartnerId, additionalData: old.additionalData });
    await this.d.audit.record({ partnerId: entry.partner.id, actor: p.userId, action: 'session.impersonateByKs', target: old.userId, outcome: 'success', clientIp: meta.clientIp, detail: { byPartnerId: p.partnerId } });
    return { ks, partnerId: entry.partner.id, userId: old.userId, expiry: validUntil, sessionType: type, privileges: buildPrivileges(parsePrivileges(privs)) };
  }

  private async decodeForPartner(session: string, partnerId: number): Promise<ParsedKs> {
    const peek = peekKs(session);
    const entry = peek ? await this.d.directory.partner(peek.partnerId) : undefined;
    const ks = entry ? decodeKs(session, entry.ksKeys) : null;
    if (!peek || !ks) throw fail(E.INVALID_KS, { KSID: session, ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
    if (ks.partnerId !== partnerId && partnerId !== SystemPartner.ADMIN_CONSOLE) {
      throw fail(E.PARTNER_ACCESS_FORBIDDEN, { ACCESSING_PID: partnerId, ACCESSED_PID: ks.partnerId });
    }
    return ks;
  }
}

/** matchSecret's answers for no secret and for the partner's user secret. */
const NO_MATCH = -1;
const USER_SECRET = -2;

/**
 * Index of the admin secret that matches (any session type), USER_SECRET for the user secret with
 * a USER session, or -1. Every candidate is compared in constant time.
 */
export function matchSecret(entry: PartnerEntry, secret: string, type: number): number {
  let found = NO_MATCH;
  entry.partner.adminSecrets.forEach((s, i) => {
    if (safeEqual(s, secret) && found === NO_MATCH) found = i;
  });
  if (found === NO_MATCH && type === SessionType.USER && safeEqual(entry.partner.secret, secret)) found = USER_SECRET;
  return secret ? found : NO_MATCH;
}

function mayImpersonate(master: PartnerEntry, target: PartnerEntry): boolean {
  return master.partner.id === SystemPartner.ADMIN_CONSOLE || target.partner.partnerParentId === master.partner.id;
}

function sessionTypeName(type: number): string {
  return type >= SessionType.ADMIN ? 'ADMIN' : 'USER';
}
