/**
 * The sign-in attempt counter: pure decisions over one counter's state (STYLE rule 6). The store
 * locks the counter's row, calls these functions and writes back what they return, in one
 * transaction, so a check and its count can never be split by a concurrent request.
 *
 * Security: an attempt *reserves* its place before the password is checked, and the reservation
 * counts against the limit like a failure. N concurrent guesses therefore take N places, and only
 * as many passwords are ever checked as the limit allows — reading the lock before a 10 ms hash and
 * counting after it (the race this replaces) let 99 concurrent guesses through.
 *
 * A success clears only the failures counted before its own reservation (the `seen` snapshot):
 * failures that were in flight beside it stay counted.
 */

/** One counter as stored. Times are unix seconds. */
export interface Counter {
  /** Grows by one at every reset, so a reservation can tell whether the count it saw still exists. */
  readonly epoch: number;
  /** Failures counted in this epoch (never decreases within it). */
  readonly failures: number;
  /** Of those, how many successes have cleared. The live count is `failures - cleared`. */
  readonly cleared: number;
  /** Reservations in flight: attempts whose password is being checked. */
  readonly pending: number;
  /** Reservations older than this are forgotten (the node that made them stopped before settling). */
  readonly pendingUntil: number;
  /** While set and in the future, every attempt is refused. */
  readonly blockedUntil: number | null;
  /** End of the counting window; after it (and after any block) the count starts again. */
  readonly windowEnds: number;
}

export interface CounterPolicy {
  /** Live failures plus reservations at which attempts are refused; 0 turns the counter off. */
  readonly limit: number;
  /** How long reaching the limit blocks (sliding windows; a fixed window blocks until it ends). */
  readonly blockSec: number;
  readonly windowSec: number;
  /**
   * `sliding`: every failure moves the window's end (failures are forgotten after `windowSec`
   * without one); `fixed`: the window runs `windowSec` from its first use (a per-minute budget).
   */
  readonly window: 'sliding' | 'fixed';
  /** Whether a success clears the failures counted before it (a login's counters), or only frees its place (an address's). */
  readonly successClears: boolean;
}

/** What a reservation saw, handed back when it is settled. */
export interface Seen {
  readonly epoch: number;
  readonly failures: number;
}

/** How long a reservation may stay unsettled before it is forgotten. No password check takes this long. */
export const PENDING_TTL_SEC = 60;

export const EMPTY_COUNTER: Counter = Object.freeze({ epoch: 0, failures: 0, cleared: 0, pending: 0, pendingUntil: 0, blockedUntil: null, windowEnds: 0 });

/** The counter as it stands at `now`: an ended block or window starts a new epoch; stale reservations are dropped. */
export function current(c: Counter, p: CounterPolicy, now: number): Counter {
  let x = c;
  if (x.pending > 0 && x.pendingUntil <= now) x = { ...x, pending: 0 };
  const blockOver = x.blockedUntil !== null && x.blockedUntil <= now;
  const windowOver = x.blockedUntil === null && x.windowEnds <= now;
  // A block that has run out starts the count again: one more wrong guess must not re-lock at once.
  if (blockOver || windowOver) x = { ...x, epoch: x.epoch + 1, failures: 0, cleared: 0, blockedUntil: null, windowEnds: now + p.windowSec };
  return x;
}

export type Reserve =
  | { readonly ok: true; readonly next: Counter; readonly seen: Seen }
  /** Refused: blocked, or every place is taken by failures and attempts in flight. Nothing counted yet. */
  | { readonly ok: false; readonly next: Counter; readonly blocked: boolean };

/** Takes a place for one attempt, unless the counter is blocked or full. */
export function reserve(c: Counter, p: CounterPolicy, now: number): Reserve {
  const x = current(c, p, now);
  const blocked = x.blockedUntil !== null;
  if (blocked || (p.limit > 0 && x.failures - x.cleared + x.pending >= p.limit)) return { ok: false, next: x, blocked };
  return { ok: true, next: { ...x, pending: x.pending + 1, pendingUntil: now + PENDING_TTL_SEC }, seen: { epoch: x.epoch, failures: x.failures } };
}

/** Counts one failure; reaching the limit blocks. A failure while blocked is counted but does not extend the block. */
export function addFailure(c: Counter, p: CounterPolicy, now: number): Counter {
  const x = current(c, p, now);
  const failures = x.failures + 1;
  const windowEnds = p.window === 'sliding' ? Math.max(x.windowEnds, now + p.windowSec) : x.windowEnds;
  const reached = p.limit > 0 && x.blockedUntil === null && failures - x.cleared >= p.limit;
  const blockedUntil = reached ? (p.window === 'fixed' ? windowEnds : now + p.blockSec) : x.blockedUntil;
  return { ...x, failures, windowEnds, blockedUntil };
}

export type Settle = 'failure' | 'success' | 'release';

/**
 * Settles a reservation: `failure` counts it, `success` clears what the reservation saw (when the
 * policy says so) and `release` only frees its place (the attempt ended without a verdict).
 */
export function settle(c: Counter, p: CounterPolicy, now: number, seen: Seen, how: Settle): Counter {
  const cur = current(c, p, now);
  const x = { ...cur, pending: Math.max(0, cur.pending - 1) };
  if (how === 'failure') return addFailure(x, p, now);
  if (how === 'release' || !p.successClears || x.epoch !== seen.epoch) return x;
  const cleared = Math.max(x.cleared, seen.failures);
  // The block stays only when the failures that remain (those in flight beside this success) reach the limit on their own.
  const blockedUntil = x.blockedUntil !== null && (p.limit <= 0 || x.failures - cleared < p.limit) ? null : x.blockedUntil;
  return { ...x, cleared, blockedUntil };
}

/** When the row can be deleted: nothing it holds matters after this. */
export function expiresAt(c: Counter): number {
  return Math.max(c.windowEnds, c.blockedUntil ?? 0, c.pending > 0 ? c.pendingUntil : 0);
}

/** Seconds until a refused caller may try again (at least 1, as `Retry-After` is a whole number). */
export function retryAfter(c: Counter, now: number): number {
  const until = c.blockedUntil ?? c.windowEnds;
  return Math.max(1, until - now);
}
