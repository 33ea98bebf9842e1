/**
 * The second factor of a sign-in, as the password check sees it (users/verify-login.ts). Types
 * only, so the login code does not depend on how codes are kept.
 */
import type { LoginData, User } from '../model.js';

export type SecondFactor =
  /** The login has not set up codes and nothing requires them. */
  | { readonly kind: 'not_required' }
  /** A good code: a TOTP code for a new time step, or an unused recovery code (now used). */
  | { readonly kind: 'passed'; readonly via: 'totp' | 'recovery_code' }
  /** Required by the partner, not set up yet, and the door can take the login to enrolment. */
  | { readonly kind: 'enrolment_required' }
  /** Required and no code given. */
  | { readonly kind: 'missing' }
  /** Required and the code given is wrong, expired, replayed or a used recovery code. */
  | { readonly kind: 'invalid' };

export interface SecondFactorGate {
  /**
   * Judges the code given with a sign-in whose password was right. `user` is the membership the
   * sign-in picked (undefined when none: only the login's own enrolment counts then).
   */
  atSignIn(login: LoginData, user: User | undefined, otp: string | null | undefined, o: { enrolment: boolean }): Promise<SecondFactor>;
}
