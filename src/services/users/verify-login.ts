/**
 * Checking a login id and password, shared by every door that signs people in (Kaltura's
 * user.loginByLoginId and partner.getSecrets, the REST door's access-token): one login identity,
 * possibly a user of several partners, one password, and one set of sign-in budgets
 * (login-attempts.ts) whichever door an attempt came through.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail, isGatehouseError, type ErrorDef } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { RequestMeta } from '../context.js';
import { FIRST_PUBLISHER_ID, SystemPartner, type LoginData, type User } from '../model.js';
import type { PasswordService } from '../passwords.js';
import type { Directory, LoginDataRepo, PartnerEntry, UserRepo } from '../ports.js';
import type { LockPolicy, LoginAttempts, Verdict } from './login-attempts.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';
import { userUsable } from '../pipeline/steps/user-usable.js';

export const DEFAULT_MAX_LOGIN_ATTEMPTS = 5;
export const DEFAULT_LOGIN_BLOCK_PERIOD = 1800;

/** What the password check reads. */
export interface PasswordCheckDeps {
  logins: LoginDataRepo;
  users: UserRepo;
  directory: Directory;
  passwords: PasswordService;
  attempts: LoginAttempts;
  clock: Clock;
}

export interface VerifyLoginDeps extends PasswordCheckDeps {
  audit: Auditor;
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

/** Why a password check failed, as audited ("unknown login" only ever reaches the audit log). */
export type CheckFailure = 'unknown login' | 'locked' | 'locked (all addresses)' | 'wrong password' | 'wrong password, locked';

export type PasswordCheck =
  | { readonly ok: true; readonly login: LoginData; readonly memberships: User[]; readonly now: number }
  | { readonly ok: false; readonly reason: CheckFailure; readonly now: number };

/** No login has this id: the memberships of an unknown login are read under it. */
const NO_LOGIN = 0;

/**
 * The one password check of every sign-in. Throws LOGIN_THROTTLED when the client address is over
 * its budget; every other outcome is a value.
 *
 * Security: an unknown login, a locked one and a wrong password cost the same — the same reads,
 * the same counter writes and one argon2 verification each (against a dummy hash when there is no
 * hash to check or the attempt was refused) — so neither timing nor answers tell an attacker
 * whether a login exists or is locked (ASVS 6.3.8). Only the throttle answers at once: it says
 * nothing about the account.
 */
export async function checkPassword(d: PasswordCheckDeps, input: LoginAttempt, meta: RequestMeta): Promise<PasswordCheck> {
  const now = nowSeconds(d.clock);
  const login = await d.logins.byEmail(input.loginId);
  const memberships = await d.users.byLoginData(login?.id ?? NO_LOGIN);
  const admission = await d.attempts.admit(input.loginId, meta.clientIp, await lockPolicy(d, login, memberships, input.partnerId));
  if (admission.kind === 'throttled') throw fail(E.LOGIN_THROTTLED, { RETRY_AFTER: admission.retryAfter });

  let verdict: Verdict = 'release';
  let locked: boolean;
  try {
    const checked = login !== undefined && admission.kind === 'admitted';
    const ok = checked ? await d.passwords.verify(login.passwordHash, input.password) : await d.passwords.verifyDummy(input.password);
    verdict = ok ? 'success' : 'failure';
  } finally {
    // Settled whatever happened, so a fault never leaves a place taken (it would read as an attempt in flight).
    locked = (await d.attempts.settle(admission.ticket, verdict)).locked;
  }
  if (!login) return { ok: false, reason: 'unknown login', now };
  if (admission.kind === 'refused') return { ok: false, reason: admission.ticket.refusedBy === 'login' ? 'locked (all addresses)' : 'locked', now };
  if (verdict !== 'success') return { ok: false, reason: locked ? 'wrong password, locked' : 'wrong password', now };
  return { ok: true, login, memberships, now };
}

const CHECK_ERROR: Record<CheckFailure, ErrorDef> = {
  'unknown login': E.LOGIN_DATA_NOT_FOUND,
  locked: E.LOGIN_BLOCKED,
  'locked (all addresses)': E.LOGIN_BLOCKED,
  'wrong password': E.USER_WRONG_PASSWORD,
  'wrong password, locked': E.LOGIN_RETRIES_EXCEEDED,
};

/**
 * Verifies the password and picks the partner membership. Throws catalogue errors (the caller's
 * door decides how much of them to show); every outcome is audited under `action`.
 */
export async function verifyLogin(d: VerifyLoginDeps, input: LoginAttempt, meta: RequestMeta, action: string): Promise<VerifiedLogin> {
  const audit = (outcome: 'success' | 'failure', partnerId: number | null, reason?: string) =>
    d.audit.record({ partnerId, actor: input.loginId, action, target: input.loginId, outcome, clientIp: meta.clientIp, detail: reason ? { reason } : {} });

  let check: PasswordCheck;
  try {
    check = await checkPassword(d, input, meta);
  } catch (e) {
    if (isGatehouseError(e) && e.code === 'LOGIN_THROTTLED') await audit('failure', input.partnerId || null, 'throttled');
    throw e;
  }
  if (!check.ok) {
    await audit('failure', input.partnerId || null, check.reason);
    throw fail(CHECK_ERROR[check.reason]);
  }
  const { login, memberships, now } = check;
  const user = pickUser(login, memberships, input);
  const entry = await d.directory.partner(user.partnerId);
  if (!entry || !partnerUsable(entry.partner).ok) {
    await audit('failure', user.partnerId, 'partner blocked');
    throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
  }
  if (!userUsable(user).ok) {
    await audit('failure', user.partnerId, 'user blocked');
    throw fail(E.USER_IS_BLOCKED);
  }
  return { loginId: input.loginId, login, user, entry, now };
}

/** After the session or token was issued: records the login (its counters were settled by the check). */
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

/**
 * The partner whose lockout applies: the one asked for, else the last one used, else the first
 * membership; the defaults for a login that does not exist (read the same way, see checkPassword).
 */
async function lockPolicy(d: PasswordCheckDeps, login: LoginData | undefined, memberships: User[], partnerId: number): Promise<LockPolicy> {
  const pid = partnerId || login?.lastLoginPartnerId || memberships[0]?.partnerId;
  const entry = pid !== undefined && pid !== null ? await d.directory.partner(pid) : undefined;
  return {
    maxAttempts: entry?.partner.maxLoginAttempts || DEFAULT_MAX_LOGIN_ATTEMPTS,
    blockPeriod: entry?.partner.loginBlockPeriod || DEFAULT_LOGIN_BLOCK_PERIOD,
  };
}
