/**
 * user.loginByLoginId: one login identity, possibly a user of several partners, one password.
 * Failures lock the login per client address for the partner's block period, within a per-login
 * ceiling and a per-address throttle (login-attempts.ts; the checks are in verify-login.ts, shared
 * with the REST door's access tokens and partner.getSecrets).
 */
import type { Clock } from '../../core/clock.js';
import type { Auditor } from '../audit.js';
import { assertNoWideningPrivileges } from '../grants.js';
import type { RequestMeta } from '../context.js';
import { SessionType, type User } from '../model.js';
import type { PasswordService } from '../passwords.js';
import type { Directory, LoginDataRepo, UnitOfWork, UserRepo } from '../ports.js';
import { issueKs, ksMaxExpiry } from '../sessions/issue.js';
import type { LoginAttempts } from './login-attempts.js';
import type { SecondFactorGate } from '../two-factor/second-factor.js';
import { recordLoginSuccess, verifyLogin } from './verify-login.js';

export { DEFAULT_LOGIN_BLOCK_PERIOD, DEFAULT_MAX_LOGIN_ATTEMPTS } from './verify-login.js';

export interface LoginInput {
  loginId: string;
  password: string;
  partnerId: number;
  expiry: number;
  privileges: string;
  /** A two-factor code or recovery code (Kaltura's `otp`); null = none given. */
  otp?: string | null | undefined;
}

export interface LoginResult {
  ks: string;
  partnerId: number;
  user: User;
  expiry: number;
}

export interface LoginDeps {
  logins: LoginDataRepo;
  users: UserRepo;
  directory: Directory;
  passwords: PasswordService;
  attempts: LoginAttempts;
  audit: Auditor;
  clock: Clock;
  twoFactor: SecondFactorGate;
  uow: UnitOfWork;
}

const ACTION = 'user.loginByLoginId';

export class LoginService {
  constructor(private readonly d: LoginDeps) {}

  async loginByLoginId(input: LoginInput, meta: RequestMeta): Promise<LoginResult> {
    // The caller's own privileges never widen its permissions (a `setrole` of the administrator
    // role); the user's stored ksPrivileges are an administrator's grant, checked when set (grants.ts).
    assertNoWideningPrivileges(input.privileges);
    // No enrolment through this door: a login that must use codes and has none answers MISSING_OTP (it sets them up in the console).
    const v = await verifyLogin(this.d, { loginId: input.loginId, password: input.password, partnerId: input.partnerId, otp: input.otp }, meta, ACTION);
    const { user, entry, now } = v;
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
    await recordLoginSuccess(this.d, v, meta, ACTION);
    return { ks, partnerId: user.partnerId, user, expiry: validUntil };
  }
}
