/**
 * Changing one's own login (Kaltura's user.updateLoginData and adminUser.updatePassword, the REST
 * door's `POST /api/me/password`): prove the current password, then change the password, the login
 * id (e-mail) or the names, with the password rules and the password history.
 */
import type { Clock } from '../../core/clock.js';
import { E, fail, isGatehouseError } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { RequestMeta } from '../context.js';
import type { LoginData, User } from '../model.js';
import type { PasswordService } from '../passwords.js';
import { DuplicateKeyError, userKey, type Directory, type LoginDataRepo, type UserRepo } from '../ports.js';
import type { LoginAttempts } from './login-attempts.js';
import { isValidEmail } from './validate.js';
import { checkPassword } from './verify-login.js';
import type { SecondFactorGate } from '../two-factor/second-factor.js';

/** How many passwords a change may not reuse (the current one included) when the partner sets none. */
export const DEFAULT_PASSWORD_HISTORY = 5;
/** The most a partner may ask for: each remembered password costs one argon2 check per change. */
export const MAX_PASSWORD_HISTORY = 24;

export interface ChangeLoginDeps {
  /** Kaltura's calls (an `otp` given, even null) need the login's second factor like a sign-in. */
  twoFactor: SecondFactorGate;
  logins: LoginDataRepo;
  users: UserRepo;
  directory: Directory;
  passwords: PasswordService;
  attempts: LoginAttempts;
  audit: Auditor;
  clock: Clock;
}

export interface LoginChange {
  loginId: string;
  password: string;
  /** '' or the same login id = keep it. */
  newLoginId?: string | undefined;
  /** '' = keep it. */
  newPassword?: string | undefined;
  newFirstName?: string | undefined;
  newLastName?: string | undefined;
  /**
   * The second factor as typed (Kaltura's `otp`, null when not sent): where the login needs one it
   * is checked like a sign-in's (MISSING_OTP / INVALID_OTP, counted on the lockout). Undefined
   * (not a Kaltura call: the console's own password change, already signed in) skips it.
   */
  otp?: string | null | undefined;
}

export interface ChangedLogin {
  login: LoginData;
  changed: Array<'password' | 'loginId' | 'firstName' | 'lastName'>;
}

/**
 * How many passwords a login may not reuse: its configuration partner's `numPrevPassToKeep` (the
 * partner it last signed in to, else its first), Kaltura's setting, else the default.
 */
export async function passwordHistoryDepth(d: Pick<ChangeLoginDeps, 'directory'>, login: LoginData, memberships: readonly User[]): Promise<number> {
  const pid = login.lastLoginPartnerId ?? memberships[0]?.partnerId;
  const entry = pid === undefined || pid === null ? undefined : await d.directory.partner(pid);
  const n = Number(entry?.partner.settings.numPrevPassToKeep);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_PASSWORD_HISTORY) : DEFAULT_PASSWORD_HISTORY;
}

/**
 * Throws PASSWORD_STRUCTURE_INVALID / COMMON_PASSWORD for a password breaking the rules, and
 * PASSWORD_ALREADY_USED when it is the current one or one of the `depth - 1` before it.
 */
export async function assertNewPassword(d: Pick<ChangeLoginDeps, 'logins' | 'passwords'>, login: LoginData, newPassword: string, depth: number, who: { firstName: string; lastName: string }): Promise<void> {
  d.passwords.check(newPassword, { firstName: who.firstName, lastName: who.lastName, email: login.loginEmail });
  if (depth <= 0) return;
  for (const hash of [login.passwordHash, ...(await d.logins.previousPasswords(login.id, depth - 1))]) {
    if (await d.passwords.verify(hash, newPassword)) throw fail(E.PASSWORD_ALREADY_USED);
  }
}

/**
 * Proves `password` for `loginId`, then applies the change. `action` names the audit events.
 *
 * Security: this is a sign-in in all but name, so it is the sign-in's own check (verify-login.ts
 * `checkPassword`): the same per-address throttle, lockout and ceiling, one argon2 verification
 * whatever the outcome. An unknown login, a locked one and a wrong password all answer
 * WRONG_OLD_PASSWORD (the door may word it its own way), so the call tells a guesser nothing more
 * than a sign-in would; the per-address throttle (LOGIN_THROTTLED) passes through. The password is
 * checked even when nothing is to change, so a no-op is no existence oracle either.
 */
export async function changeLogin(d: ChangeLoginDeps, input: LoginChange, meta: RequestMeta, action: string): Promise<ChangedLogin> {
  const newLoginId = input.newLoginId && input.newLoginId !== input.loginId ? input.newLoginId : '';
  // As the Kaltura server: a malformed new e-mail is refused before any password is looked at.
  if (newLoginId && !isValidEmail(newLoginId)) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'newEmail' });
  const audit = (outcome: 'success' | 'failure', partnerId: number | null, detail: Record<string, unknown>) =>
    d.audit.record({ partnerId, actor: input.loginId, action, target: input.loginId, outcome, clientIp: meta.clientIp, detail });

  let check;
  try {
    // The partner whose two-factor setting applies is the one the login last used, as for a sign-in without a partner.
    const second =
      input.otp === undefined
        ? undefined
        : async (login: LoginData, memberships: User[]) => {
            const r = await d.twoFactor.atSignIn(login, memberships.find((u) => u.partnerId === login.lastLoginPartnerId) ?? memberships[0], input.otp, { enrolment: false });
            return r.kind === 'passed' && !(await d.twoFactor.spend(r)) ? ({ kind: 'invalid' } as const) : r;
          };
    check = await checkPassword(d, { loginId: input.loginId, password: input.password, partnerId: 0, otp: input.otp }, meta, second);
  } catch (e) {
    if (isGatehouseError(e) && e.code === 'LOGIN_THROTTLED') await audit('failure', null, { reason: 'throttled' });
    throw e;
  }
  if (!check.ok) {
    await audit('failure', null, { reason: check.reason });
    // After the right password, a missing or wrong code is answered as such (the Kaltura server's updateLoginData does).
    if (check.reason === 'code missing' || check.reason === 'wrong code') throw fail(check.reason === 'code missing' ? E.MISSING_OTP : E.INVALID_OTP);
    throw fail(E.WRONG_OLD_PASSWORD);
  }
  const { login, memberships, now } = check;
  const partnerId = login.lastLoginPartnerId ?? memberships[0]?.partnerId ?? null;
  try {
    const changed = await apply(d, login, memberships, { ...input, newLoginId }, now);
    await audit('success', partnerId, { changed, ...(changed.includes('loginId') ? { newLoginId } : {}) });
    return { login: (await d.logins.get(login.id)) ?? login, changed };
  } catch (e) {
    if (isGatehouseError(e)) await audit('failure', partnerId, { reason: e.code });
    throw e;
  }
}

async function apply(d: ChangeLoginDeps, login: LoginData, memberships: User[], input: LoginChange & { newLoginId: string }, now: number): Promise<ChangedLogin['changed']> {
  const changed: ChangedLogin['changed'] = [];
  if (input.newLoginId) {
    const other = await d.logins.byEmail(input.newLoginId);
    // A new spelling of one's own login id (another case) is one's own.
    if (other && other.id !== login.id) throw fail(E.LOGIN_ID_ALREADY_USED);
    changed.push('loginId');
  }
  const firstName = input.newFirstName || login.firstName;
  const lastName = input.newLastName || login.lastName;
  if (input.newFirstName && input.newFirstName !== login.firstName) changed.push('firstName');
  if (input.newLastName && input.newLastName !== login.lastName) changed.push('lastName');
  if (input.newPassword) {
    // Reusing the password just proved is the history's first entry, known without a hash check.
    if (input.newPassword === input.password) throw fail(E.PASSWORD_ALREADY_USED);
    const target = input.newLoginId ? { ...login, loginEmail: input.newLoginId } : login;
    const depth = await passwordHistoryDepth(d, login, memberships);
    await assertNewPassword(d, target, input.newPassword, depth, { firstName, lastName });
    await d.logins.changePassword(login.id, { passwordHash: await d.passwords.hash(input.newPassword), keep: depth - 1, now });
    changed.push('password');
  }
  const patch: Partial<LoginData> = {};
  if (changed.includes('loginId')) patch.loginEmail = input.newLoginId;
  if (changed.includes('firstName')) patch.firstName = firstName;
  if (changed.includes('lastName')) patch.lastName = lastName;
  if (Object.keys(patch).length) {
    try {
      await d.logins.update(login.id, { ...patch, updatedAt: now });
    } catch (e) {
      // Another identity took the id between the check and the write.
      if (e instanceof DuplicateKeyError) throw fail(E.LOGIN_ID_ALREADY_USED);
      throw e;
    }
  }
  // As the Kaltura server: every live user of the identity, in every partner, follows — a name
  // given is set on each user even where only that user's own name differed from the login's.
  for (const u of memberships) {
    const userPatch = userFollowing(u, { email: patch.loginEmail, firstName: input.newFirstName || undefined, lastName: input.newLastName || undefined });
    if (!userPatch) continue;
    await d.users.update(u.kuserId, { ...userPatch, updatedAt: now });
    await d.directory.changed('user', userKey(u.partnerId, u.id));
  }
  return changed;
}

/**
 * What a user of the identity changes to follow its login, or undefined when it already does. A
 * user's full name is its first and last name (Kaltura's kuser::getFullName); a full name stored
 * beside them (a partner's registered `adminName`) would otherwise keep showing the old name.
 */
function userFollowing(u: User, to: { email?: string | undefined; firstName?: string | undefined; lastName?: string | undefined }): Partial<User> | undefined {
  const p: Partial<User> = {};
  if (to.email !== undefined && to.email !== u.email) p.email = to.email;
  if (to.firstName !== undefined && to.firstName !== u.firstName) p.firstName = to.firstName;
  if (to.lastName !== undefined && to.lastName !== u.lastName) p.lastName = to.lastName;
  if ((to.firstName !== undefined || to.lastName !== undefined) && u.data.fullName !== undefined) {
    const { fullName: _stale, ...data } = u.data;
    p.data = data;
  }
  return Object.keys(p).length ? p : undefined;
}
