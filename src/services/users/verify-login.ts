/**
 * Checking a login id and password, shared by every door that signs people in (Kaltura's
 * user.loginByLoginId, the REST door's access-token): one login identity, possibly a user of
 * several partners, one password, one failure counter. Failures are counted per identity and lock
 * it for the partner's block period, whichever door they came through.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { RequestMeta } from '../context.js';
import { FIRST_PUBLISHER_ID, PartnerStatus, SystemPartner, UserStatus, type LoginData, type User } from '../model.js';
import type { PasswordService } from '../passwords.js';
import type { Directory, LoginDataRepo, PartnerEntry, UserRepo } from '../ports.js';

export const DEFAULT_MAX_LOGIN_ATTEMPTS = 5;
export const DEFAULT_LOGIN_BLOCK_PERIOD = 1800;

export interface VerifyLoginDeps {
  logins: LoginDataRepo;
  users: UserRepo;
  directory: Directory;
  passwords: PasswordService;
  audit: Auditor;
  clock: Clock;
}

export interface LoginAttempt {
  loginId: string;
  password: string;
  /** The partner to sign into; 0 = pick one (the last used, else the first publisher). */
  partnerId: number;
}

export interface VerifiedLogin {
  /** The login id as the caller typed it (audited as such). */
  loginId: string;
  login: LoginData;
  user: User;
  entry: PartnerEntry;
  now: number;
}

/**
 * Verifies the password and picks the partner membership. Throws catalogue errors (the caller's
 * door decides how much of them to show); every outcome is audited under `action`.
 */
export async function verifyLogin(d: VerifyLoginDeps, input: LoginAttempt, meta: RequestMeta, action: string): Promise<VerifiedLogin> {
  const now = nowSeconds(d.clock);
  const audit = (outcome: 'success' | 'failure', partnerId: number | null, reason?: string) =>
    d.audit.record({ partnerId, actor: input.loginId, action, target: input.loginId, outcome, clientIp: meta.clientIp, detail: reason ? { reason } : {} });

  const login = await d.logins.byEmail(input.loginId);
  if (!login) {
    await d.passwords.verifyDummy(input.password);
    await audit('failure', input.partnerId || null, 'unknown login');
    throw fail(E.LOGIN_DATA_NOT_FOUND);
  }
  if (login.blockedUntil !== null && login.blockedUntil > now) {
    await audit('failure', input.partnerId || null, 'locked');
    throw fail(E.LOGIN_BLOCKED);
  }
  const memberships = await d.users.byLoginData(login.id);
  if (!(await d.passwords.verify(login.passwordHash, input.password))) {
    const policy = await lockPolicy(d, login, memberships, input.partnerId);
    const r = await d.logins.recordFailure(login.id, policy.maxAttempts, now + policy.blockPeriod, now);
    await audit('failure', input.partnerId || null, r.blocked ? 'wrong password, locked' : 'wrong password');
    throw fail(r.blocked ? E.LOGIN_RETRIES_EXCEEDED : E.USER_WRONG_PASSWORD);
  }

  const user = pickUser(login, memberships, input);
  const entry = await d.directory.partner(user.partnerId);
  if (!entry || (entry.partner.status !== PartnerStatus.ACTIVE && entry.partner.status !== PartnerStatus.READ_ONLY)) {
    await audit('failure', user.partnerId, 'partner blocked');
    throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
  }
  if (user.status !== UserStatus.ACTIVE) {
    await audit('failure', user.partnerId, 'user blocked');
    throw fail(E.USER_IS_BLOCKED);
  }
  return { loginId: input.loginId, login, user, entry, now };
}

/** After the session or token was issued: resets the failure count and records the login. */
export async function recordLoginSuccess(d: VerifyLoginDeps, v: VerifiedLogin, meta: RequestMeta, action: string): Promise<void> {
  await d.logins.recordSuccess(v.login.id, v.user.partnerId, v.now);
  await d.users.update(v.user.kuserId, { lastLoginAt: v.now });
  await d.audit.record({ partnerId: v.user.partnerId, actor: v.loginId, action, target: v.loginId, outcome: 'success', clientIp: meta.clientIp, detail: {} });
}

/**
 * The partner to log into: the one asked for; else the last one used; else the first publisher.
 * A system partner is never picked implicitly — an operator account gets a sentence saying so
 * (seed 003) instead of a session for a partner that has no content.
 */
function pickUser(login: LoginData, memberships: User[], input: LoginAttempt): User {
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

async function lockPolicy(d: VerifyLoginDeps, login: LoginData, memberships: User[], partnerId: number): Promise<{ maxAttempts: number; blockPeriod: number }> {
  const pid = partnerId || login.lastLoginPartnerId || memberships[0]?.partnerId;
  const entry = pid !== undefined && pid !== null ? await d.directory.partner(pid) : undefined;
  return {
    maxAttempts: entry?.partner.maxLoginAttempts || DEFAULT_MAX_LOGIN_ATTEMPTS,
    blockPeriod: entry?.partner.loginBlockPeriod || DEFAULT_LOGIN_BLOCK_PERIOD,
  };
}
