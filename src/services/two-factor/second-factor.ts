/**
 * The second factor of a sign-in, as the password check sees it (users/verify-login.ts), and the
 * one write that uses a good code up. Nothing here depends on how codes are checked.
 */
import type { RequestMeta } from '../context.js';
import type { LoginData, User } from '../model.js';
import type { TwoFactorRepo } from '../ports-two-factor.js';

/** What using a good code up writes: the TOTP step accepted, or the recovery code (by its hash) spent. */
export type SecondFactorUse = { readonly loginDataId: number; readonly step: number } | { readonly loginDataId: number; readonly recoveryHash: string };

export type SecondFactor =
  /** The login has not set up codes and nothing requires them. */
  | { readonly kind: 'not_required' }
  /** A good code: a TOTP code for a step after the last accepted, or an unused recovery code; `use` spends it. */
  | { readonly kind: 'passed'; readonly via: 'totp' | 'recovery_code'; readonly use: SecondFactorUse }
  /** Required by the partner, not set up yet, and the door can take the login to enrolment. */
  | { readonly kind: 'enrolment_required' }
  /** Required and no code given. */
  | { readonly kind: 'missing' }
  /** Required and the code given is wrong, expired, replayed or a used recovery code. */
  | { readonly kind: 'invalid' };

/** A second factor asked on its own (after single sign-on): also refused outright while the login is locked. */
export type SecondFactorAfterSso = SecondFactor | { readonly kind: 'locked' };

export interface SecondFactorGate {
  /**
   * Judges the code given with a sign-in whose password was right. `user` is the membership the
   * sign-in picked (undefined when none: only the login's own enrolment counts then).
   */
  atSignIn(login: LoginData, user: User | undefined, otp: string | null | undefined, o: { enrolment: boolean }): Promise<SecondFactor>;
  /** Spends the code of a `passed` factor on its own (where no sign-in is recorded); true for anything else. */
  spend(factor: SecondFactor): Promise<boolean>;
  /** Required by the user's partner and not set up: entering that partner from another session is refused. */
  mustEnrol(user: User): Promise<boolean>;
  /**
   * The second factor of a user an identity provider signed in (and did not vouch for MFA): what a
   * password sign-in would ask. A code given is one attempt on the login's lockout; none given is
   * only asked for. A good code is judged, not spent.
   */
  afterSso(user: User, otp: string | undefined, meta: RequestMeta): Promise<SecondFactorAfterSso>;
}

/**
 * Spends a good code: a guarded write that succeeds for exactly one caller (the step must still be
 * later than the last accepted; the recovery code still unused), so a code sent twice at once
 * signs in once. Run it in the transaction that records the sign-in, so it costs no commit of its own.
 */
export function useSecondFactor(repo: TwoFactorRepo, use: SecondFactorUse, now: number): Promise<boolean> {
  return 'step' in use ? repo.acceptStep(use.loginDataId, use.step) : repo.useRecoveryCode(use.loginDataId, use.recoveryHash, now);
}
