/** appToken.add / get / list / update / delete / startSession (protocol §3). */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { randomBase36, randomHex } from '../../core/crypto/random.js';
import { E, fail } from '../../core/errors/index.js';
import { parsePrivileges, PRIV, privilegeValue, sessionIdHash } from '../../core/ks/index.js';
import type { Auditor } from '../audit.js';
import { assertMayGrantAppToken, mayReadAppTokenValue, type FindRole } from '../grants.js';
import type { Principal, RequestMeta } from '../context.js';
import { AppTokenStatus, SessionType, UserStatus, type AppToken, type AppTokenHashType, type AppTokenView, type ListResult, type Page } from '../model.js';
import { DuplicateKeyError, type AppTokenFilter, type AppTokenRepo, type Directory, type RevocationList, type UserRepo } from '../ports.js';
import type { Authenticator } from '../sessions/authenticate.js';
import { issueKs, ksMaxExpiry } from '../sessions/issue.js';
import type { SessionInfo } from '../sessions/session-service.js';
import { isValidUserId } from '../users/validate.js';
import { decideAppTokenSession, type StartSessionRequest } from './start-session.js';

export interface AppTokenInput {
  hashType?: AppTokenHashType | null;
  sessionType?: number | null;
  sessionUserId?: string | null;
  sessionDuration?: number | null;
  sessionPrivileges?: string | null;
  expiry?: number | null;
  description?: string | null;
}

export interface AppTokenServiceDeps {
  tokens: AppTokenRepo;
  users: UserRepo;
  directory: Directory;
  revocations: RevocationList;
  authenticator: Authenticator;
  audit: Auditor;
  clock: Clock;
}

/** Kaltura's single data centre prefix: ids look like `0_ab12cd34`. */
const ID_PREFIX = '0_';

export class AppTokenService {
  constructor(private readonly d: AppTokenServiceDeps) {}

  private now(): number {
    return nowSeconds(this.d.clock);
  }

  async add(p: Principal, input: AppTokenInput, meta: RequestMeta): Promise<AppToken> {
    const entry = await this.d.directory.partner(p.partnerId);
    if (!entry) throw fail(E.INVALID_PARTNER_ID, { PID: p.partnerId });
    await this.validate(p, input);
    // Every door creates tokens here: a token mints no more power than its creator holds (grants.ts).
    await assertMayGrantAppToken(p, { sessionType: input.sessionType ?? null, sessionPrivileges: input.sessionPrivileges ?? null }, this.findRole);
    const now = this.now();
    for (let attempt = 0; ; attempt++) {
      const token: AppToken = {
        id: ID_PREFIX + randomBase36(8),
        partnerId: p.partnerId,
        token: randomHex(16),
        hashType: input.hashType ?? 'SHA1',
        status: AppTokenStatus.ACTIVE,
        sessionType: input.sessionType ?? null,
        sessionUserId: input.sessionUserId || null,
        sessionDuration: input.sessionDuration || ksMaxExpiry(entry),
        sessionPrivileges: input.sessionPrivileges || null,
        expiry: noExpiry(input.expiry),
        description: input.description ?? null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.d.tokens.insert(token);
      } catch (e) {
        if (e instanceof DuplicateKeyError && attempt < 5) continue;
        throw e;
      }
      await this.ensureUser(p.partnerId, token.sessionUserId, now);
      await this.audit(p, 'appToken.add', token.id, 'success', meta);
      return token;
    }
  }

  /** The token without its value unless the caller could have created it (grants.ts). */
  async get(p: Principal, id: string): Promise<AppTokenView> {
    return this.view(p, await this.find(p, id));
  }

  private async find(p: Principal, id: string): Promise<AppToken> {
    const t = await this.d.tokens.get(id);
    // NOT_FOUND for other partners' tokens too: never confirm that an id exists elsewhere.
    if (!t || t.partnerId !== p.partnerId || t.status === AppTokenStatus.DELETED) throw fail(E.APP_TOKEN_ID_NOT_FOUND, { ID: id });
    return t;
  }

  async list(p: Principal, filter: AppTokenFilter, page: Page): Promise<ListResult<AppTokenView>> {
    // DELETED tokens are gone as far as the API is concerned, even when asked for by status.
    const statusIn = filter.statusIn?.filter((s) => s !== AppTokenStatus.DELETED);
    const safe: AppTokenFilter = { ...filter, ...(statusIn ? { statusIn } : {}) };
    if (safe.statusEqual === AppTokenStatus.DELETED) return { objects: [], totalCount: 0 };
    const r = await this.d.tokens.list(p.partnerId, safe, page);
    return { ...r, objects: await Promise.all(r.objects.map((t) => this.view(p, t))) };
  }

  private async view(p: Principal, t: AppToken): Promise<AppTokenView> {
    return (await mayReadAppTokenValue(p, t, this.findRole)) ? t : { ...t, token: null };
  }

  private readonly findRole: FindRole = (idOrSystemName, partnerId) => this.d.authenticator.findRole(idOrSystemName, partnerId);

  async update(p: Principal, id: string, input: AppTokenInput, meta: RequestMeta): Promise<AppTokenView> {
    const t = await this.find(p, id);
    // The hash type is fixed at creation: integrations compute their proof with it.
    if (input.hashType != null && input.hashType !== t.hashType) throw fail(E.PROPERTY_VALIDATION_NOT_UPDATABLE, { PROP_NAME: 'appToken::hashType' });
    await this.validate(p, input);
    // Only a token whose power the caller holds, and only into power it holds.
    await assertMayGrantAppToken(p, t, this.findRole);
    await assertMayGrantAppToken(p, { sessionType: input.sessionType !== undefined ? input.sessionType : t.sessionType, sessionPrivileges: input.sessionPrivileges !== undefined ? input.sessionPrivileges : t.sessionPrivileges }, this.findRole);
    const patch: Partial<AppToken> = { updatedAt: this.now() };
    if (input.sessionType !== undefined) patch.sessionType = input.sessionType;
    if (input.sessionUserId !== undefined) patch.sessionUserId = input.sessionUserId || null;
    if (input.sessionDuration != null) patch.sessionDuration = input.sessionDuration || t.sessionDuration;
    if (input.sessionPrivileges !== undefined) patch.sessionPrivileges = input.sessionPrivileges || null;
    if (input.expiry !== undefined) patch.expiry = noExpiry(input.expiry);
    if (input.description !== undefined) patch.description = input.description;
    const updated = await this.d.tokens.update(id, patch);
    await this.ensureUser(p.partnerId, updated.sessionUserId, this.now());
    await this.audit(p, 'appToken.update', id, 'success', meta, { fields: Object.keys(patch).filter((k) => k !== 'updatedAt') });
    return this.view(p, updated);
  }

  /** Marks the token DELETED and ends, on every node, every session minted from it. */
  async delete(p: Principal, id: string, meta: RequestMeta): Promise<void> {
    const t = await this.find(p, id);
    const now = this.now();
    await this.d.tokens.update(id, { status: AppTokenStatus.DELETED, updatedAt: now });
    // A minted KS lives at most sessionDuration; keep the revocation at least that long.
    const until = Math.max(t.expiry ?? 0, now + t.sessionDuration) + 1;
    await this.d.revocations.revoke(sessionIdHash(t.partnerId, t.id), until);
    await this.audit(p, 'appToken.delete', id, 'success', meta);
  }

  async startSession(p: Principal, id: string, req: StartSessionRequest, meta: RequestMeta): Promise<SessionInfo & { ks: string }> {
    const token = await this.d.tokens.get(id);
    if (!token || token.partnerId !== p.partnerId || token.status === AppTokenStatus.DELETED) {
      await this.audit(p, 'appToken.startSession', id, 'failure', meta, { reason: 'not found' });
      throw fail(E.APP_TOKEN_ID_NOT_FOUND, { ID: id });
    }
    const now = this.now();
    const decision = decideAppTokenSession(token, p.ksString, req, now);
    if (!decision.ok) {
      await this.audit(p, 'appToken.startSession', id, 'failure', meta, { reason: decision.reason });
      throw decision.error;
    }
    const entry = await this.d.directory.partner(p.partnerId);
    if (!entry) throw fail(E.START_SESSION_ERROR, { PID: p.partnerId });
    const validUntil = now + decision.ttl;
    const ks = issueKs(entry, { validUntil, type: decision.type, userId: decision.userId, privileges: decision.privileges, masterPartnerId: null, additionalData: null });
    await this.audit(p, 'appToken.startSession', id, 'success', meta, { userId: decision.userId, sessionType: decision.type });
    return { ks, partnerId: p.partnerId, userId: decision.userId, expiry: validUntil, sessionType: decision.type, privileges: decision.privileges };
  }

  /** Rules shared by add and update; the session's role must exist when the token names one. */
  private async validate(p: Principal, input: AppTokenInput): Promise<void> {
    if (input.sessionUserId && !isValidUserId(input.sessionUserId)) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'sessionUserId' });
    if (input.sessionDuration != null && input.sessionDuration < 0) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'sessionDuration' });
    if (input.sessionType != null && input.sessionType !== SessionType.USER && input.sessionType !== SessionType.ADMIN) {
      throw fail(E.INVALID_ENUM_VALUE, { ENUM_VAL: input.sessionType, PARAM_NAME: 'sessionType', ENUM_TYPE: 'sessionType' });
    }
    const setrole = input.sessionPrivileges ? privilegeValue(parsePrivileges(input.sessionPrivileges), PRIV.setrole) : undefined;
    if (setrole && !(await this.d.authenticator.findRole(setrole, p.partnerId))) throw fail(E.UNKNOWN_ROLE_ID);
  }

  /** Kaltura resolves (creating when needed) a user for a token's sessionUserId. */
  private async ensureUser(partnerId: number, userId: string | null, now: number): Promise<void> {
    if (!userId || (await this.d.users.byId(partnerId, userId))) return;
    try {
      await this.d.users.insert({ partnerId, id: userId, loginDataId: null, status: UserStatus.ACTIVE, isAdmin: false, isAccountOwner: false, roleIds: '', email: '', firstName: '', lastName: '', screenName: userId, ksPrivileges: null, type: 0, externalId: null, data: {}, createdAt: now, updatedAt: now, statusUpdatedAt: now, lastLoginAt: null, deletedAt: null });
    } catch (e) {
      if (!(e instanceof DuplicateKeyError)) throw e;
    }
  }

  private audit(p: Principal, action: string, id: string, outcome: 'success' | 'failure', meta: RequestMeta, detail?: Record<string, unknown>): Promise<void> {
    // The token id only: the token value never leaves the store except in the add response.
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target: id, outcome, clientIp: meta.clientIp, ...(detail ? { detail } : {}) });
  }
}

/** Kaltura time fields: 0, -1 ("remove this date") and null all mean the token never expires. */
function noExpiry(expiry: number | null | undefined): number | null {
  return expiry && expiry > 0 ? expiry : null;
}
