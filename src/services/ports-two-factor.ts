/** What two-factor codes (services/two-factor/) need from storage. */

/** One login's TOTP enrolment; the secret is sealed at rest and opened by the repository. */
export interface TwoFactorEnrolment {
  loginDataId: number;
  /** Random per enrolment started; confirming names it, so an enrolment restarted meanwhile is not confirmed. */
  enrolmentId: string;
  /** The base32 TOTP secret (sealed under the master key in the database). */
  secret: string;
  status: 'pending' | 'confirmed';
  /** The last time step whose code was accepted; only later steps are accepted (replay). */
  lastStep: number | null;
  createdAt: number;
  confirmedAt: number | null;
}

export interface TwoFactorRepo {
  get(loginDataId: number): Promise<TwoFactorEnrolment | undefined>;
  /**
   * Starts an enrolment, replacing a pending one (and any recovery codes); returns false, changing
   * nothing, when the login has a confirmed enrolment.
   */
  start(e: Omit<TwoFactorEnrolment, 'status' | 'lastStep' | 'confirmedAt'>): Promise<boolean>;
  /**
   * Confirms the pending enrolment `enrolmentId` with the step of its first code and stores the
   * recovery codes' hashes, in one transaction; false when that enrolment is no longer pending.
   */
  confirm(loginDataId: number, enrolmentId: string, step: number, recoveryHashes: readonly string[], now: number): Promise<boolean>;
  /**
   * Accepts a code's time step: a guarded update that succeeds only when `step` is later than the
   * last accepted one, so of two requests with one code exactly one wins.
   */
  acceptStep(loginDataId: number, step: number): Promise<boolean>;
  /** Whether the login has this recovery code (by its hash), unused. */
  hasRecoveryCode(loginDataId: number, codeHash: string): Promise<boolean>;
  /** Marks an unused recovery code used (guarded: true for exactly one caller). */
  useRecoveryCode(loginDataId: number, codeHash: string, now: number): Promise<boolean>;
  /** Recovery codes not used yet. */
  recoveryCodesLeft(loginDataId: number): Promise<number>;
  /** Removes the enrolment and its recovery codes; false when there was none. */
  remove(loginDataId: number): Promise<boolean>;
}
