/**
 * Two-factor codes (TOTP, RFC 6238) per login identity, compatible with Kaltura's `otp`: a
 * signed-in user sets them up (start → confirm with a first code → ten recovery codes shown once)
 * and removes them with a code; an administrator resets a user's; every sign-in whose password was
 * right asks `atSignIn` whether a code is needed and whether the one given is good.
 *
 * A login that has set up codes always needs one; otherwise the partner's `twoFactor` setting says
 * (policy.ts). Codes are checked against the login's lockout wherever they are typed: at sign-in
 * by the password check's own attempt (users/verify-login.ts), here by an attempt of their own.
 */
import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from '../../core/two-factor/recovery-codes.js';
import { isTotpShaped, matchTotp, newTotpSecret, otpauthUri } from '../../core/two-factor/totp.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import { assertMayManageUser } from '../grants.js';
import type { LoginData, User } from '../model.js';
import type { Directory, LoginDataRepo, UserRepo } from '../ports.js';
import type { TwoFactorEnrolment, TwoFactorRepo } from '../ports-two-factor.js';
import type { LoginAttempts, Verdict } from '../users/login-attempts.js';
import { lockPolicyOf } from '../users/verify-login.js';
import type { UserService } from '../users/user-service.js';
import { requiredByMode, twoFactorModeOf } from './policy.js';
import { useSecondFactor, type SecondFactor, type SecondFactorAfterSso, type SecondFactorGate } from './second-factor.js';

export interface TwoFactorDeps {
  repo: TwoFactorRepo;
  logins: LoginDataRepo;
  userRepo: UserRepo;
  /** For the admin reset: a user by id within the caller's partner, as every user call reads it. */
  users: Pick<UserService, 'get'>;
  directory: Directory;
  attempts: LoginAttempts;
  /** The installation's pepper: recovery codes are stored as HMACs under it. */
  pepper: Buffer;
  audit: Auditor;
  clock: Clock;
  /** The issuer authenticator apps show next to the code. */
  issuer: string;
}

export interface TwoFactorStatus {
  /** Codes are set up: every sign-in of this login needs one. */
  enrolled: boolean;
  /** An enrolment was started and waits for its first code. */
  pending: boolean;
  /** The partner's setting requires codes of this user. */
  required: boolean;
  recoveryCodesLeft: number;
}

export interface StartedEnrolment {
  /** Base32, for typing into an app that cannot scan. */
  secret: string;
  otpauthUri: string;
  /** The URI as an SVG QR code. */
  qrSvg: string;
}

const MISSING: SecondFactor = { kind: 'missing' };
const INVALID: SecondFactor = { kind: 'invalid' };

export class TwoFactorService implements SecondFactorGate {
  constructor(private readonly d: TwoFactorDeps) {}

  async atSignIn(login: LoginData, user: User | undefined, otp: string | null | undefined, o: { enrolment: boolean }): Promise<SecondFactor> {
    const e = await this.d.repo.get(login.id);
    if (e?.status !== 'confirmed') {
      if (!user || !(await this.requiredFor(user))) return { kind: 'not_required' };
      // Required but not set up: only a door that can offer enrolment lets the login on (to enrolment).
      if (o.enrolment) return { kind: 'enrolment_required' };
      return otp ? INVALID : MISSING;
    }
    if (!otp) return MISSING;
    // Judged here, spent by the caller with the sign-in's own writes (verify-login.ts recordLoginSuccess).
    return (await this.judge(e, otp)) ?? INVALID;
  }

  /** Spends a code judged good by `atSignIn` on its own (partner.getSecrets has no sign-in to record). */
  async spend(factor: SecondFactor): Promise<boolean> {
    return factor.kind !== 'passed' || useSecondFactor(this.d.repo, factor.use, nowSeconds(this.d.clock));
  }

  /**
   * After single sign-on: the provider proved who signs in, not a second factor, so this login is
   * asked what its password sign-in would be (its own codes, or its partner's setting). The console
   * always asks first without a code: that is not counted. A code is judged inside an attempt on the
   * login's budgets, so codes cannot be guessed faster here than after a password.
   */
  async afterSso(user: User, otp: string | undefined, meta: RequestMeta): Promise<SecondFactorAfterSso> {
    const login = user.loginDataId === null ? undefined : await this.d.logins.get(user.loginDataId);
    if (!login) return { kind: 'not_required' };
    if (!otp) return this.atSignIn(login, user, undefined, { enrolment: true });
    const admission = await this.d.attempts.admit(login.loginEmail, meta.clientIp, await lockPolicyOf(this.d.directory, user.partnerId));
    if (admission.kind === 'throttled') throw fail(E.LOGIN_THROTTLED, { RETRY_AFTER: admission.retryAfter });
    let verdict: Verdict = 'failure';
    try {
      if (admission.kind === 'refused') return { kind: 'locked' };
      const f = await this.atSignIn(login, user, otp, { enrolment: true });
      verdict = f.kind === 'invalid' ? 'failure' : f.kind === 'passed' ? 'success' : 'release';
      return f;
    } finally {
      await this.d.attempts.settle(admission.ticket, verdict);
    }
  }

  /** Whether the partner's setting requires codes of this user. */
  async requiredFor(user: User): Promise<boolean> {
    const entry = await this.d.directory.partner(user.partnerId);
    return entry !== undefined && requiredByMode(twoFactorModeOf(entry.partner), user);
  }

  /** Required by the partner and not set up: the user may do nothing but set them up. */
  async mustEnrol(user: User): Promise<boolean> {
    if (user.loginDataId === null || !(await this.requiredFor(user))) return false;
    return (await this.d.repo.get(user.loginDataId))?.status !== 'confirmed';
  }

  async status(user: User): Promise<TwoFactorStatus> {
    const loginId = loginIdOf(user);
    const e = await this.d.repo.get(loginId);
    const enrolled = e?.status === 'confirmed';
    return { enrolled, pending: e?.status === 'pending', required: await this.requiredFor(user), recoveryCodesLeft: enrolled ? await this.d.repo.recoveryCodesLeft(loginId) : 0 };
  }

  /** Starts (or restarts) an enrolment: a new secret, shown once, waiting for its first code. */
  async start(user: User, meta: RequestMeta): Promise<StartedEnrolment> {
    const login = await this.loginOf(user);
    const secret = newTotpSecret();
    const now = nowSeconds(this.d.clock);
    if (!(await this.d.repo.start({ loginDataId: login.id, enrolmentId: randomUUID(), secret, createdAt: now }))) throw fail(E.TWO_FACTOR_ALREADY_ENROLLED);
    const uri = otpauthUri(secret, login.loginEmail, this.d.issuer);
    const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    await this.record(user, 'twoFactor.start', 'success', meta);
    return { secret, otpauthUri: uri, qrSvg };
  }

  /**
   * Confirms the pending enrolment with a code from the app; answers the ten recovery codes, the
   * only time they are ever shown. A wrong code is a failed attempt on the login's lockout.
   */
  async confirm(user: User, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
    const login = await this.loginOf(user);
    const e = await this.d.repo.get(login.id);
    if (e?.status !== 'pending') throw fail(E.TWO_FACTOR_NOT_PENDING);
    const codes = newRecoveryCodes();
    const confirmed = await this.attempt(login, user, meta, 'twoFactor.confirm', async () => {
      const m = matchTotp(e.secret, code, this.d.clock.nowMs(), null);
      if (!m.ok) return 'wrong';
      const hashes = codes.map((c) => hashRecoveryCode(this.d.pepper, login.id, normalizeRecoveryCode(c)!));
      // Guarded on the enrolment id: one restarted meanwhile (another tab) is not confirmed by this code.
      return (await this.d.repo.confirm(login.id, e.enrolmentId, m.step, hashes, nowSeconds(this.d.clock))) ? 'ok' : 'gone';
    });
    if (confirmed === 'gone') throw fail(E.TWO_FACTOR_NOT_PENDING);
    return { recoveryCodes: codes };
  }

  /** Removes the login's codes; needs a good code (TOTP or recovery), counted like a sign-in's. */
  async remove(user: User, code: string, meta: RequestMeta): Promise<void> {
    const login = await this.loginOf(user);
    const e = await this.d.repo.get(login.id);
    if (e?.status !== 'confirmed') throw fail(E.TWO_FACTOR_NOT_ENROLLED);
    await this.attempt(login, user, meta, 'twoFactor.remove', async () => ((await this.accept(e, code)) ? 'ok' : 'wrong'));
    await this.d.repo.remove(login.id);
  }

  /**
   * An administrator removes a user's codes (a lost phone, no recovery codes left): the rules of
   * setting the user's password — a user the caller may manage, whose login no other partner uses
   * (it would remove the second factor of that partner's account too).
   */
  async reset(p: Principal, userId: string, meta: RequestMeta): Promise<void> {
    const user = await this.d.users.get(p, userId);
    await assertMayManageUser(p, this.d.directory, user);
    if (user.loginDataId === null) throw fail(E.USER_LOGIN_NOT_ENABLED, { USER_ID: user.id });
    const shared = (await this.d.userRepo.byLoginData(user.loginDataId)).some((u) => u.partnerId !== p.partnerId);
    if (shared) throw fail(E.LOGIN_SHARED_WITH_OTHER_PARTNERS, { USER_ID: user.id });
    if (!(await this.d.repo.remove(user.loginDataId))) throw fail(E.TWO_FACTOR_NOT_ENROLLED);
    await this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action: 'twoFactor.reset', target: user.id, outcome: 'success', clientIp: meta.clientIp, detail: {} });
  }

  /**
   * Whether a code of a confirmed enrolment is good, without spending it: a TOTP code for a step
   * later than the last accepted one (compared in constant time), or an unused recovery code
   * (looked up by its HMAC, so the code itself is never compared byte by byte).
   */
  private async judge(e: TwoFactorEnrolment, code: string): Promise<SecondFactor | undefined> {
    if (isTotpShaped(code)) {
      const m = matchTotp(e.secret, code, this.d.clock.nowMs(), e.lastStep);
      return m.ok ? { kind: 'passed', via: 'totp', use: { loginDataId: e.loginDataId, step: m.step } } : undefined;
    }
    const normalized = normalizeRecoveryCode(code);
    if (normalized === undefined) return undefined;
    const recoveryHash = hashRecoveryCode(this.d.pepper, e.loginDataId, normalized);
    return (await this.d.repo.hasRecoveryCode(e.loginDataId, recoveryHash)) ? { kind: 'passed', via: 'recovery_code', use: { loginDataId: e.loginDataId, recoveryHash } } : undefined;
  }

  /** Judges and spends a code at once (removing the codes). */
  private async accept(e: TwoFactorEnrolment, code: string): Promise<boolean> {
    const f = await this.judge(e, code);
    return f !== undefined && (await this.spend(f));
  }

  /**
   * Runs one code check as an attempt on the login's budgets (login-attempts.ts): refused while the
   * login is locked, a wrong code counted as a failure. Throws INVALID_TWO_FACTOR_CODE for a wrong
   * code; audits the outcome under `action`.
   */
  private async attempt<T extends string>(login: LoginData, user: User, meta: RequestMeta, action: string, check: () => Promise<T | 'wrong'>): Promise<T> {
    const admission = await this.d.attempts.admit(login.loginEmail, meta.clientIp, await lockPolicyOf(this.d.directory, user.partnerId));
    if (admission.kind === 'throttled') throw fail(E.LOGIN_THROTTLED, { RETRY_AFTER: admission.retryAfter });
    if (admission.kind === 'refused') {
      await this.d.attempts.settle(admission.ticket, 'failure');
      await this.record(user, action, 'failure', meta, 'locked');
      throw fail(E.LOGIN_BLOCKED);
    }
    let verdict: Verdict = 'release';
    let outcome: T | 'wrong';
    try {
      outcome = await check();
      verdict = outcome === 'wrong' ? 'failure' : 'success';
    } finally {
      await this.d.attempts.settle(admission.ticket, verdict);
    }
    await this.record(user, action, outcome === 'wrong' ? 'failure' : 'success', meta, outcome === 'wrong' ? 'wrong code' : undefined);
    if (outcome === 'wrong') throw fail(E.INVALID_TWO_FACTOR_CODE);
    return outcome;
  }

  private async loginOf(user: User): Promise<LoginData> {
    const login = await this.d.logins.get(loginIdOf(user));
    if (!login) throw fail(E.USER_LOGIN_NOT_ENABLED, { USER_ID: user.id });
    return login;
  }

  private record(user: User, action: string, outcome: 'success' | 'failure', meta: RequestMeta, reason?: string): Promise<void> {
    const actor = user.email || user.id;
    return this.d.audit.record({ partnerId: user.partnerId, actor, action, target: actor, outcome, clientIp: meta.clientIp, detail: reason ? { reason } : {} });
  }
}

function loginIdOf(user: User): number {
  if (user.loginDataId === null) throw fail(E.USER_LOGIN_NOT_ENABLED, { USER_ID: user.id });
  return user.loginDataId;
}
