/**
 * Checking a login id and password, shared by every door that signs people in (Kaltura's
 * user.loginByLoginId and partner.getSecrets, the REST door's access-token): one login identity,
 * possibly a user of several partners, one password, and one set of sign-in budgets
 * (login-attempts.ts) whichever door an attempt came through.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail, GatehouseError, isGatehouseError, type ErrorDef } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { RequestMeta } from '../context.js';
import { FIRST_PUBLISHER_ID, SystemPartner, type LoginData, type User } from '../model.js';
import type { PasswordService } from '../passwords.js';
import type { Directory, LoginDataRepo, PartnerEntry, UnitOfWork, UserRepo } from '../ports.js';
import type { LockPolicy, LoginAttempts, Verdict } from './login-attempts.js';
import { useSecondFactor, type SecondFactor, type SecondFactorGate } from '../two-factor/second-factor.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';
import { userUsable } from '../pipeline/steps/user-usable.js';
import { directLoginBlocked } from '../sso/direct-login.js';

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
  twoFactor: SecondFactorGate;
  /** The sign-in's writes (the code spent, the login's last use) are one transaction. */
  uow: UnitOfWork;
}

export interface LoginAttempt {
  loginId: string;
  password: string;
  /** The partner to sign into; 0 = pick one (the last used, else the first publisher). */
  partnerId: number;
  /** The second factor as typed: a TOTP code or a recovery code (Kaltura's `otp`); absent or '' = none. */
  otp?: string | null | undefined;
}

export interface VerifiedLogin {
  /** The login id as the caller typed it (audited as such). */
  loginId: string;
  login: LoginData;
  user: User;
  entry: PartnerEntry;
  now: number;
  /** Passed, not required, or required but not set up yet (only when the door offered enrolment). */
  factor: SecondFactor;
}

/**
 * Checks the second factor of a login whose password was right, before the attempt is settled: a
 * missing or wrong code settles it as a failure (counted on the lockout like a wrong password).
 */
export type SecondFactorCheck = (login: LoginData, memberships: User[]) => Promise<SecondFactor>;

/** Why a password check failed, as audited ("unknown login" only ever reaches the audit log). */
export type CheckFailure = 'unknown login' | 'locked' | 'locked (all addresses)' | 'wrong password' | 'wrong password, locked' | 'code missing' | 'wrong code';

export type PasswordCheck =
  | { readonly ok: true; readonly login: LoginData; readonly memberships: User[]; readonly now: number; readonly factor: SecondFactor }
  | { readonly ok: false; readonly reason: CheckFailure; readonly now: number };

/** No login has this id: the memberships of an unknown login are read under it. */
const NO_LOGIN = 0;
const NOT_REQUIRED: SecondFactor = { kind: 'not_required' };
const failsFactor = (f: SecondFactor) => f.kind === 'missing' || f.kind === 'invalid';

/**
 * The one password check of every sign-in. Throws LOGIN_THROTTLED when the client address is over
 * its budget; every other outcome is a value.
 *
 * Security: an unknown login, a locked one and a wrong password cost the same — the same reads,
 * the same counter writes and one argon2 verification each (against a dummy hash when there is no
 * hash to check or the attempt was refused) — so neither timing nor answers tell an attacker
 * whether a login exists or is locked (ASVS 6.3.8). Only the throttle answers at once: it says
 * nothing about the account.
 *
 * The second factor (`second`) is checked only after the right password, as the Kaltura server
 * does (MISSING_OTP tells nothing to someone who does not know the password), and before the
 * attempt is settled, so a missing or wrong code is a failed attempt. It adds no argon2 work: a
 * TOTP code is an HMAC, a recovery code a lookup by its HMAC.
 */
export async function checkPassword(d: PasswordCheckDeps, input: LoginAttempt, meta: RequestMeta, second?: SecondFactorCheck): Promise<PasswordCheck> {
  const now = nowSeconds(d.clock);
  const login = await d.logins.byEmail(input.loginId);
  const memberships = await d.users.byLoginData(login?.id ?? NO_LOGIN);
  const admission = await d.attempts.admit(input.loginId, meta.clientIp, await lockPolicy(d, login, memberships, input.partnerId));
  if (admission.kind === 'throttled') throw fail(E.LOGIN_THROTTLED, { RETRY_AFTER: admission.retryAfter });

  let verdict: Verdict = 'release';
  let factor = NOT_REQUIRED;
  let locked: boolean;
  try {
    const checked = login !== undefined && admission.kind === 'admitted';
    const ok = checked ? await d.passwords.verify(login.passwordHash, input.password) : await d.passwords.verifyDummy(input.password);
    if (ok && second) factor = await second(login!, memberships);
    verdict = ok && !failsFactor(factor) ? 'success' : 'failure';
  } finally {
    // Settled whatever happened, so a fault never leaves a place taken (it would read as an attempt in flight).
    locked = (await d.attempts.settle(admission.ticket, verdict)).locked;
  }
  if (!login) return { ok: false, reason: 'unknown login', now };
  if (admission.kind === 'refused') return { ok: false, reason: admission.ticket.refusedBy === 'login' ? 'locked (all addresses)' : 'locked', now };
  // A missing or wrong code is answered as such even when it locked the login: the password was right.
  if (failsFactor(factor)) return { ok: false, reason: factor.kind === 'missing' ? 'code missing' : 'wrong code', now };
  if (verdict !== 'success') return { ok: false, reason: locked ? 'wrong password, locked' : 'wrong password', now };
  return { ok: true, login, memberships, now, factor };
}

const CHECK_ERROR: Record<CheckFailure, ErrorDef> = {
  'unknown login': E.LOGIN_DATA_NOT_FOUND,
  locked: E.LOGIN_BLOCKED,
  'locked (all addresses)': E.LOGIN_BLOCKED,
  'wrong password': E.USER_WRONG_PASSWORD,
  'wrong password, locked': E.LOGIN_RETRIES_EXCEEDED,
  'code missing': E.MISSING_OTP,
  'wrong code': E.INVALID_OTP,
};

/**
 * Verifies the password and the second factor, and picks the partner membership. Throws catalogue
 * errors (the caller's door decides how much of them to show); every outcome is audited under
 * `action`. `enrolment`: the door can take a login that must use two-factor codes but has not set
 * them up to enrolment (the REST door's restricted token); where it cannot (Kaltura's calls), such
 * a login answers MISSING_OTP / INVALID_OTP like any other without a good code.
 */
export async function verifyLogin(d: VerifyLoginDeps, input: LoginAttempt, meta: RequestMeta, action: string, enrolment = false): Promise<VerifiedLogin> {
  const audit = (outcome: 'success' | 'failure', partnerId: number | null, reason?: string) =>
    d.audit.record({ partnerId, actor: input.loginId, action, target: input.loginId, outcome, clientIp: meta.clientIp, detail: reason ? { reason } : {} });

  let check: PasswordCheck;
  try {
    // The partner's setting that applies is the one of the user this sign-in picks.
    // When no membership can be picked the sign-in fails right after (USER_NOT_FOUND,
    // SYSTEM_PARTNER_LOGIN) whatever the code: the code is then not looked at, so it is not used up
    // and the console can name the operator partner and send the same code again.
    const second: SecondFactorCheck = async (login, memberships) => {
      const user = tryPickUser(login, memberships, input);
      return user instanceof GatehouseError ? NOT_REQUIRED : d.twoFactor.atSignIn(login, user, input.otp, { enrolment });
    };
    check = await checkPassword(d, input, meta, second);
  } catch (e) {
    if (isGatehouseError(e) && e.code === 'LOGIN_THROTTLED') await audit('failure', input.partnerId || null, 'throttled');
    throw e;
  }
  if (!check.ok) {
    await audit('failure', input.partnerId || null, check.reason);
    throw fail(CHECK_ERROR[check.reason]);
  }
  const { login, memberships, now, factor } = check;
  const user = tryPickUser(login, memberships, input);
  if (user instanceof GatehouseError) throw user;
  const entry = await d.directory.partner(user.partnerId);
  if (!entry || !partnerUsable(entry.partner).ok) {
    await audit('failure', user.partnerId, 'partner blocked');
    throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
  }
  if (!userUsable(user).ok) {
    await audit('failure', user.partnerId, 'user blocked');
    throw fail(E.USER_IS_BLOCKED);
  }
  // Kaltura's blockDirectLogin: the partner signs its users in through single sign-on, so a right
  // password is refused (after it was checked: the refusal tells a guesser nothing), except for
  // users marked isSsoExcluded (break-glass administrators, scripts).
  if (directLoginBlocked(entry.partner, user)) {
    await audit('failure', user.partnerId, 'direct login blocked');
    throw fail(E.DIRECT_LOGIN_BLOCKED);
  }
  return { loginId: input.loginId, login, user, entry, now, factor };
}

/**
 * After the session or token was made, before it is handed out: spends the second factor's code and
 * records the login (its counters were settled by the check), in one transaction — one commit, so a
 * second factor costs a sign-in no extra disk sync. The code is spent by a guarded write: of two
 * sign-ins racing with one code, the loser answers INVALID_OTP and its session is never given out
 * (the code was judged good, so that attempt is not counted as a failure: its sender has the code).
 */
export async function recordLoginSuccess(d: VerifyLoginDeps, v: VerifiedLogin, meta: RequestMeta, action: string): Promise<void> {
  const factor = v.factor;
  const spent = await d.uow.transaction(async (r) => {
    if (factor.kind === 'passed' && !(await useSecondFactor(r.twoFactor, factor.use, v.now))) return false;
    await r.logins.recordSuccess(v.login.id, v.user.partnerId, v.now);
    await r.users.update(v.user.kuserId, { lastLoginAt: v.now });
    return true;
  });
  if (!spent) {
    await d.audit.record({ partnerId: v.user.partnerId, actor: v.loginId, action, target: v.loginId, outcome: 'failure', clientIp: meta.clientIp, detail: { reason: 'code already used' } });
    throw fail(E.INVALID_OTP);
  }
  const detail = v.factor.kind === 'passed' ? { secondFactor: v.factor.via } : {};
  await d.audit.record({ partnerId: v.user.partnerId, actor: v.loginId, action, target: v.loginId, outcome: 'success', clientIp: meta.clientIp, detail });
}

/**
 * The partner to log into: the one asked for; else the last one used; else the first publisher.
 * A system partner is never picked implicitly — an operator account gets a sentence saying so
 * (seed 003) instead of a session for a partner that has no content.
 */
function tryPickUser(login: LoginData, memberships: User[], input: LoginAttempt): User | GatehouseError {
  if (input.partnerId) {
    const u = memberships.find((m) => m.partnerId === input.partnerId);
    return u ?? fail(E.USER_NOT_FOUND);
  }
  const publishers = memberships.filter((m) => m.partnerId > 0 && m.partnerId !== SystemPartner.TEMPLATE);
  const last = publishers.find((m) => m.partnerId === login.lastLoginPartnerId);
  const chosen = last ?? publishers.find((m) => m.partnerId >= FIRST_PUBLISHER_ID) ?? publishers[0];
  if (chosen) return chosen;
  if (memberships.some((m) => m.partnerId === SystemPartner.ADMIN_CONSOLE)) return fail(E.SYSTEM_PARTNER_LOGIN, { LOGIN_ID: input.loginId });
  return fail(E.USER_NOT_FOUND);
}

/**
 * The partner whose lockout applies: the one asked for, else the last one used, else the first
 * membership; the defaults for a login that does not exist (read the same way, see checkPassword).
 */
async function lockPolicy(d: PasswordCheckDeps, login: LoginData | undefined, memberships: User[], partnerId: number): Promise<LockPolicy> {
  return lockPolicyOf(d.directory, partnerId || login?.lastLoginPartnerId || memberships[0]?.partnerId);
}

/** A partner's lockout, the defaults when it has none (or there is no partner). */
export async function lockPolicyOf(directory: Directory, partnerId: number | null | undefined): Promise<LockPolicy> {
  const entry = partnerId !== undefined && partnerId !== null ? await directory.partner(partnerId) : undefined;
  return {
    maxAttempts: entry?.partner.maxLoginAttempts || DEFAULT_MAX_LOGIN_ATTEMPTS,
    blockPeriod: entry?.partner.loginBlockPeriod || DEFAULT_LOGIN_BLOCK_PERIOD,
  };
}
