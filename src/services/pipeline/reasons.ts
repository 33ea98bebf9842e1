/**
 * The access pipeline's one vocabulary of refusals (issue 16): every step says "no" with one of
 * these neutral reasons, as a value; only a door turns a reason into its own wording and status
 * (Kaltura exception, Sunbird envelope, problem+json, 401/403/429 with X-Gatehouse-Reason).
 *
 * Who uses which: the caller table (caller.ts: Kaltura actions, REST routes, the consumer door)
 * the first six; the entry table (entry-access.ts: delivery URLs, /authz/delivery,
 * getContextData) `partner_blocked`, `invalid_session`, `not_found` and, concluded for delivery,
 * `blocked`, `unscheduled`, `session_required`, `entitlement`; the gateway (/authz/api)
 * `invalid_credential`, `partner_mismatch`, `partner_blocked`, `no_service`, `not_allowed`,
 * `rate_limited`.
 */
export type Reason =
  /** The credential is not genuine, expired, revoked, or unusable from here (detail: which). */
  | 'invalid_credential'
  /** The partner is unknown, blocked or deleted. */
  | 'partner_blocked'
  /** The credential's partner may not act on the partner the request names. */
  | 'partner_mismatch'
  /** The user behind the credential is blocked or deleted. */
  | 'user_blocked'
  /** The session names a role (`setrole`) that is not one (detail: 'negative' or 'unknown'). */
  | 'invalid_role'
  /** The caller's roles hold none of the permissions the action needs. */
  | 'permission_missing'
  /** A KS sent to reach an entry is not usable (detail: Kaltura's reason, see session-usable.ts). */
  | 'invalid_session'
  /** No such entry for this partner (unknown, deleted or another partner's). */
  | 'not_found'
  /** A rule with a block action fired. */
  | 'blocked'
  /** The entry is outside its start/end dates for this session. */
  | 'unscheduled'
  /** A blocking rule needs a session and none was sent. */
  | 'session_required'
  /** Entitlement is enforced and the session's user is not entitled to the entry. */
  | 'entitlement'
  /** No API service matches the request (the gateway). */
  | 'no_service'
  /** The credential's groups are not among the service's allowed groups (the gateway). */
  | 'not_allowed'
  /** The credential's rate limit is spent (the gateway). */
  | 'rate_limited';

/** A step's "no": the reason, and for some reasons what the door needs to word it. */
export interface Refusal {
  readonly ok: false;
  readonly reason: Reason;
  /** Which kind of that reason (a KS's EXPIRED, an API key's 'revoked', a role's 'unknown'). */
  readonly detail?: string;
  /** Values the door's wording names (the partners of a mismatch, the role of an invalid one). */
  readonly args?: Readonly<Record<string, string | number>>;
}

/** A step's answer: go on, or stop with a reason (STYLE rule 3: outcomes are values). */
export type StepOutcome = { readonly ok: true } | Refusal;

export const PASS: StepOutcome = Object.freeze({ ok: true });

const refusals = new Map<string, Refusal>();
/**
 * The refusal for a reason (and detail): one frozen object each, so refusing allocates nothing.
 * Refusals with `args` are built per request by the step that has them.
 */
export function refuse(reason: Reason, detail?: string): Refusal {
  const key = detail === undefined ? reason : `${reason}:${detail}`;
  let r = refusals.get(key);
  if (!r) {
    r = Object.freeze(detail === undefined ? { ok: false, reason } : { ok: false, reason, detail });
    refusals.set(key, r);
  }
  return r;
}
