/**
 * Kaltura's login calls beyond the sign-in itself (issue 18; protocol §4.3): a user by login id,
 * enabling and disabling a user's login, changing one's own login (change-login.ts), a password
 * reset request, the partners of one's login identity and moving a session into another of them.
 */
import { nowSeconds } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import { buildPrivileges, parsePrivileges, PRIV } from '../../core/ks/index.js';
import { isAdminSession, type Principal, type RequestMeta } from '../context.js';
import { assertMayManageUser } from '../grants.js';
import { PartnerStatus, SessionType, type ListResult, type Page, type Partner, type User } from '../model.js';
import { DuplicateKeyError, userKey, type PartnerFilter, type UnitOfWork } from '../ports.js';
import { issueKs, ksMaxExpiry } from '../sessions/issue.js';
import { changeLogin, type ChangeLoginDeps, type ChangedLogin, type LoginChange } from './change-login.js';
import { checkPartnerSwitch } from './partner-switch.js';
import { isValidEmail } from './validate.js';

export interface LoginDataDeps extends ChangeLoginDeps {
  uow: UnitOfWork;
}

export interface SwitchedSession {
  ks: string;
  userId: string;
  partnerId: number;
}

/** The privilege that limits which partners a session may move to (Kaltura's `enablechangeaccount`). */
const CHANGE_ACCOUNT = 'enablechangeaccount';
/** A session moved to another partner lives at most a day, as the Kaltura server's. */
const SWITCHED_TTL = 86400;

export class LoginDataService {
  constructor(private readonly d: LoginDataDeps) {}

  /** Proves the current password and changes the login (change-login.ts); `action` names the audit events. */
  change(input: LoginChange, meta: RequestMeta, action: string): Promise<ChangedLogin> {
    return changeLogin(this.d, input, meta, action);
  }

  /**
   * The signed-in user changes their own password (the REST door's `POST /api/me/password`): the
   * same proof, rules, history and counting as user.updateLoginData, for the login of `user`.
   */
  async changeOwnPassword(user: User, currentPassword: string, newPassword: string, meta: RequestMeta): Promise<void> {
    const login = user.loginDataId === null ? undefined : await this.d.logins.get(user.loginDataId);
    if (!login) throw fail(E.USER_LOGIN_NOT_ENABLED, { USER_ID: user.id });
    await changeLogin(this.d, { loginId: login.loginEmail, password: currentPassword, newPassword }, meta, 'me.password');
  }

  /** The login id of a user's login identity, if it has one. */
  async loginIdOf(user: User): Promise<string | undefined> {
    return user.loginDataId === null ? undefined : (await this.d.logins.get(user.loginDataId))?.loginEmail;
  }

  /** The caller's partner's user with this login; only an admin session may read another's. */
  async getByLoginId(p: Principal, loginId: string): Promise<User> {
    const login = loginId ? await this.d.logins.byEmail(loginId) : undefined;
    if (!login) throw fail(E.LOGIN_DATA_NOT_FOUND);
    const user = (await this.d.users.byLoginData(login.id)).find((u) => u.partnerId === p.partnerId);
    if (!user) throw fail(E.USER_NOT_FOUND);
    if (user.kuserId !== p.user?.kuserId && !isAdminSession(p)) throw fail(E.INVALID_USER_ID);
    return user;
  }

  /**
   * Gives a user a login: a new identity with `password` (generated for an admin without one), or
   * an identity already known from another partner, which keeps its one password.
   */
  async enableLogin(p: Principal, userId: string, loginId: string, password: string, meta: RequestMeta): Promise<User> {
    const user = userId ? await this.d.users.byId(p.partnerId, userId) : undefined;
    if (!user) throw fail(E.USER_NOT_FOUND);
    await assertMayManageUser(p, this.d.directory, user);
    if (user.loginDataId !== null) throw fail(E.USER_LOGIN_ALREADY_ENABLED);
    if (!user.isAdmin && !password) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'password' });
    // As the Kaltura server: a malformed login id reads "user not found".
    if (!isValidEmail(loginId)) throw fail(E.USER_NOT_FOUND);
    if (password) this.d.passwords.check(password, { firstName: user.firstName, lastName: user.lastName, email: loginId });
    const passwordHash = await this.d.passwords.hash(password || this.d.passwords.generate());
    const now = nowSeconds(this.d.clock);
    try {
      const updated = await this.d.uow.transaction(async (r) => {
        const existing = await r.logins.byEmail(loginId);
        if (existing && (await r.users.byLoginData(existing.id)).some((u) => u.partnerId === p.partnerId)) throw fail(E.LOGIN_ID_ALREADY_USED);
        const quota = Number(p.partner?.settings.adminLoginUsersQuota ?? 0);
        if (user.isAdmin && quota > 0 && (await r.users.countLoginAdmins(p.partnerId)) >= quota) throw fail(E.ADMIN_LOGIN_USERS_QUOTA_EXCEEDED);
        const loginDataId =
          existing?.id ??
          (await r.logins.insert({ loginEmail: loginId, passwordHash, firstName: user.firstName, lastName: user.lastName, loginAttempts: 0, blockedUntil: null, lastLoginPartnerId: p.partnerId, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now })).id;
        return r.users.update(user.kuserId, { loginDataId, ...(user.email ? {} : { email: loginId }), updatedAt: now });
      });
      await this.d.directory.changed('user', userKey(p.partnerId, user.id));
      await this.audit(p, 'user.enableLogin', user.id, meta, { loginId });
      return updated;
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw fail(E.LOGIN_ID_ALREADY_USED);
      throw e;
    }
  }

  /** Takes a user's login away (by user id or login id); an admin keeps theirs. */
  async disableLogin(p: Principal, userId: string, loginId: string, meta: RequestMeta): Promise<User> {
    if (!userId && !loginId) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'userId' });
    let user: User | undefined;
    if (loginId) {
      const login = await this.d.logins.byEmail(loginId);
      user = login ? (await this.d.users.byLoginData(login.id)).find((u) => u.partnerId === p.partnerId) : undefined;
    } else {
      user = await this.d.users.byId(p.partnerId, userId);
    }
    if (!user) throw fail(E.USER_NOT_FOUND);
    await assertMayManageUser(p, this.d.directory, user);
    if (user.isAdmin) throw fail(E.CANNOT_DISABLE_LOGIN_FOR_ADMIN_USER);
    if (user.loginDataId === null) throw fail(E.USER_LOGIN_ALREADY_DISABLED);
    const updated = await this.d.users.update(user.kuserId, { loginDataId: null, updatedAt: nowSeconds(this.d.clock) });
    await this.d.directory.changed('user', userKey(p.partnerId, user.id));
    await this.audit(p, 'user.disableLogin', user.id, meta);
    return updated;
  }

  /**
   * Records a request to reset a login's password. No mail is sent yet (a later issue): the
   * request is in the audit log for an operator to act on. Known or not, the caller gets the same
   * empty answer, so the call tells nobody which logins exist.
   */
  async resetPassword(email: string, meta: RequestMeta, action: string): Promise<void> {
    const login = email ? await this.d.logins.byEmail(email) : undefined;
    await this.d.audit.record({ partnerId: login?.lastLoginPartnerId ?? null, actor: email, action, target: email, outcome: 'success', clientIp: meta.clientIp, detail: { knownLogin: Boolean(login), mailSent: false } });
  }

  /** The live partners where the caller's login identity has a live user (its own when it has no login). */
  async partnersOfLogin(p: Principal, filter: PartnerFilter, page: Page): Promise<ListResult<Partner>> {
    const me = p.user;
    if (!me) throw fail(E.INVALID_USER_ID);
    const users = me.loginDataId === null ? [me] : await this.d.users.byLoginData(me.loginDataId);
    const partners: Partner[] = [];
    for (const u of users) {
      const partner = (await this.d.directory.partner(u.partnerId))?.partner;
      if (partner && partner.status !== PartnerStatus.DELETED && matches(partner, filter)) partners.push(partner);
    }
    partners.sort((a, b) => a.id - b.id);
    const start = (Math.max(1, page.pageIndex) - 1) * page.pageSize;
    return { objects: partners.slice(start, start + page.pageSize), totalCount: partners.length };
  }

  /**
   * A new ADMIN session for the caller's login identity in another partner where it has an
   * admin user (Kaltura's user.loginByKs); the same partner gives back the session as it is. The
   * rules are the REST door's "Change Account" (partner-switch.ts); refusals are audited.
   */
  async loginByKs(p: Principal, requestedPartnerId: number, meta: RequestMeta): Promise<SwitchedSession> {
    if (p.ks && p.ks.partnerId === requestedPartnerId) return { ks: p.ksString, userId: p.userId, partnerId: requestedPartnerId };
    if (!p.userId) throw fail(E.INVALID_USER_ID);
    const allowed = p.privileges.get(CHANGE_ACCOUNT);
    if (allowed && !allowed.includes(String(requestedPartnerId))) throw fail(E.PARTNER_CHANGE_ACCOUNT_DISABLED);
    const now = nowSeconds(this.d.clock);
    const refuse = async (reason: string, error = E.PARTNER_ACCESS_FORBIDDEN): Promise<never> => {
      await this.audit(p, 'user.loginByKs', String(requestedPartnerId), meta, { reason }, 'failure');
      throw fail(error, error === E.PARTNER_ACCESS_FORBIDDEN ? { ACCESSING_PID: p.partnerId, ACCESSED_PID: requestedPartnerId } : {});
    };
    if (!p.user) return refuse('no such user');
    const sw = await checkPartnerSwitch(this.d, p.user, requestedPartnerId, now);
    if (!sw.ok) return refuse(sw.reason, sw.error);
    // As the Kaltura server: only into a partner where the identity is an administrator.
    if (!sw.target.isAdmin) return refuse('not an admin there');
    // The identity proved no second factor when it signed in elsewhere: not into a partner that
    // requires codes this login has not set up (the REST door's switch refuses it alike).
    if (await this.d.twoFactor.mustEnrol(sw.target)) return refuse('two-factor enrolment required', E.TWO_FACTOR_ENROLMENT_REQUIRED);
    const ttl = Math.min(SWITCHED_TTL, ksMaxExpiry(sw.entry));
    const ks = issueKs(sw.entry, { validUntil: now + ttl, type: SessionType.ADMIN, userId: sw.target.id, privileges: sw.target.ksPrivileges || carriedPrivileges(p), masterPartnerId: null, additionalData: null });
    await this.d.logins.recordSuccess(sw.login.id, requestedPartnerId, now);
    await this.d.users.update(sw.target.kuserId, { lastLoginAt: now });
    await this.audit(p, 'user.loginByKs', String(requestedPartnerId), meta, { fromPartnerId: p.partnerId });
    return { ks, userId: sw.target.id, partnerId: requestedPartnerId };
  }

  private audit(p: Principal, action: string, target: string, meta: RequestMeta, detail: Record<string, unknown> = {}, outcome: 'success' | 'failure' = 'success'): Promise<void> {
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.user?.email || p.userId, action, target, outcome, clientIp: meta.clientIp, detail });
  }
}

/**
 * The current session's privileges, carried into the new partner as the Kaltura server does —
 * except `setrole`: a role id names a role of the partner it was granted in, never of another.
 */
function carriedPrivileges(p: Principal): string {
  const map = parsePrivileges(p.ks?.privileges ?? '');
  map.delete(PRIV.setrole);
  return buildPrivileges(map);
}

function matches(partner: Partner, f: PartnerFilter): boolean {
  if (f.idEqual !== undefined && partner.id !== f.idEqual) return false;
  if (f.idIn && !f.idIn.includes(partner.id)) return false;
  if (f.nameLike && !partner.name.toLowerCase().includes(f.nameLike.toLowerCase())) return false;
  if (f.statusEqual !== undefined && partner.status !== f.statusEqual) return false;
  if (f.statusIn && !f.statusIn.includes(partner.status)) return false;
  return true;
}
