/**
 * The access pipeline's one vocabulary of refusals (issue 16): every step says "no" with one of
 * these neutral reasons, as a value; only a door turns a reason into its own wording and status
 * (Kaltura exception, Sunbird envelope, problem+json, 401/403/429 with X-Gatehouse-Reason).
 */
export type Reason =
  /** The partner is unknown, blocked or deleted. */
  | 'partner_blocked'
  /** The user behind the credential is blocked or deleted. */
  | 'user_blocked'
  /** The caller's roles hold none of the permissions the action needs. */
  | 'permission_missing';

/** A step's answer: go on, or stop with a reason (STYLE rule 3: outcomes are values). */
export type StepOutcome = { ok: true } | { ok: false; reason: Reason };

export const PASS: StepOutcome = Object.freeze({ ok: true });

const refusals = new Map<Reason, StepOutcome>();
/** The refusal for a reason: one frozen object per reason, so refusing allocates nothing. */
export function refuse(reason: Reason): StepOutcome {
  let r = refusals.get(reason);
  if (!r) {
    r = Object.freeze({ ok: false, reason });
    refusals.set(reason, r);
  }
  return r;
}
