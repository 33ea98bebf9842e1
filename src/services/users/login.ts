/**
 * user.loginByLoginId: one login identity, possibly a user of several partners, one password.
 * Failures are counted per identity and lock it for the partner's block period.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { RequestMeta } from '../context.js';
import { FIRST_PUBLISHER_ID, PartnerStatus, SessionType, SystemPartner, UserStatus, type LoginData, type User } from '../model.js';
import type { PasswordService } from '../passwords.js';
import type { Directory, LoginDataRepo, UserRepo } from '../ports.js';
import { issueKs, ksMaxExpiry } from '../sessions/issue.js';

export interface LoginInput {
  loginId: string;
  password: string;
  partnerId: number;
  expiry: number;
  privileges: string;
}

export interface LoginResult {
  ks: string;
  partnerId: number;
  user: User;
  expiry: number;
}

export const DEFAULT_MAX_LOGIN_ATTEMPTS = 5;
export const DEFAULT_LOGIN_BLOCK_PERIOD = 1800;

export interface LoginDeps {
  logins: LoginDataRepo;
  users: UserRepo;
  directory: Directory;
  passwords: PasswordService;
  audit: Auditor;
  clock: Clock;
}

export class LoginService {
  constructor(private readonly d: LoginDeps) {}

  async loginByLoginId(input: LoginInput, meta: RequestMeta): Promise<LoginResult> {
    const now = nowSeconds(this.d.clock);
    const audit = (outcome: 'success' | 'failure', partnerId: number | null, reason?: string) =>
      this.d.audit.record({ partnerId, actor: input.loginId, action: 'user.loginByLoginId', target: input.loginId, outcome, clientIp: meta.clientIp, detail: reason ? { reason } : {} });

    const login = await this.d.logins.byEmail(input.loginId);
    if (!login) {
      await this.d.passwords.verifyDummy(input.password);
      await audit('failure', input.partnerId || null, 'unknown login');
      throw fail(E.LOGIN_DATA_NOT_FOUND);
    }
    if (login.blockedUntil !== null && login.blockedUntil > now) {
      await audit('failure', input.partnerId || null, 'locked');
      throw fail(E.LOGIN_BLOCKED);
    }
    const memberships = await this.d.users.byLoginData(login.id);
    if (!(await this.d.passwords.verify(login.passwordHash, input.password))) {
      const policy = await this.lockPolicy(login, memberships, input.partnerId);
      const r = await this.d.logins.recordFailure(login.id, policy.maxAttempts, now + policy.blockPeriod, now);
      await audit('failure', input.partnerId || null, r.blocked ? 'wrong password, locked' : 'wrong password');
      throw fail(r.blocked ? E.LOGIN_RETRIES_EXCEEDED : E.USER_WRONG_PASSWORD);
    }

    const user = await this.pickUser(login, memberships, input);
    const entry = await this.d.directory.partner(user.partnerId);
    if (!entry || (entry.partner.status !== PartnerStatus.ACTIVE && entry.partner.status !== PartnerStatus.READ_ONLY)) {
      await audit('failure', user.partnerId, 'partner blocked');
      throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
    }
    if (user.status !== UserStatus.ACTIVE) {
      await audit('failure', user.partnerId, 'user blocked');
      throw fail(E.USER_IS_BLOCKED);
    }
    const ttl = Math.min(input.expiry, ksMaxExpiry(entry));
    const validUntil = now + ttl;
    const ks = issueKs(entry, {
      validUntil,
      type: user.isAdmin ? SessionType.ADMIN : SessionType.USER,
      userId: user.id,
      privileges: user.ksPrivileges || input.privileges,
      masterPartnerId: null,
      additionalData: null,
    });
    await this.d.logins.recordSuccess(login.id, user.partnerId, now);
    await this.d.users.update(user.kuserId, { lastLoginAt: now });
    await audit('success', user.partnerId);
    return { ks, partnerId: user.partnerId, user, expiry: validUntil };
  }

  /**
   * The partner to log into: the one asked for; else the last one used; else the first publisher.
   * A system partner is never picked implicitly — an operator account gets a sentence saying so
   * (seed 003) instead of a session for a partner that has no content.
   */
  private async pickUser(login: LoginData, memberships: User[], input: LoginInput): Promise<User> {
    if (input.partnerId) {
      const u = memberships.find((m) => m.partnerId === input.partnerId);
      if (!u) throw fail(E.USER_NOT_FOUND);
      return u;
    }
    const publishers = memberships.filter((m) => m.partnerId > 0 && m.partnerId !== SystemPartner.TEMPLATE);
    const last = publishers.find((m) => m.partnerId === login.lastLoginPartnerId);
    const chosen = last ?? publishers.find((m) => m.partnerId >= FIRST_PUBLISHER_ID) ?? publishers[0];
    if (chosen) return chosen;
    if (memberships.some((m) => m.partnerId === SystemPartner.ADMIN_CONSOLE)) throw fail(E.SYSTEM_PARTNER_LOGIN, { LOGIN_ID: input.loginId });
    throw fail(E.USER_NOT_FOUND);
  }

  private async lockPolicy(login: LoginData, memberships: User[], partnerId: number): Promise<{ maxAttempts: number; blockPeriod: number }> {
    const pid = partnerId || login.lastLoginPartnerId || memberships[0]?.partnerId;
    const entry = pid !== undefined && pid !== null ? await this.d.directory.partner(pid) : undefined;
    return {
      maxAttempts: entry?.partner.maxLoginAttempts || DEFAULT_MAX_LOGIN_ATTEMPTS,
      blockPeriod: entry?.partner.loginBlockPeriod || DEFAULT_LOGIN_BLOCK_PERIOD,
    };
  }
}
