/**
 * The three budgets every password sign-in goes through (issue 15, README "Sign-in protection"):
 *
 * - **per address** (`GATEHOUSE_LOGIN_THROTTLE`, default 30 a minute): failed sign-ins from one
 *   client address, whichever login they name. Over it the address is answered "too many
 *   attempts" and no password is checked;
 * - **per login and address** (the partner's `maxLoginAttempts` / `loginBlockPeriod`): the
 *   Kaltura lockout, counted per address so that a stranger's guesses from elsewhere cannot lock
 *   the owner out;
 * - **per login** (`GATEHOUSE_LOGIN_CEILING`, default 50): the same login's failures from every
 *   address, which stops a guesser spread over many addresses.
 *
 * Each attempt reserves a place in all three before its password is checked (`admit`) and
 * settles them after (`settle`), in database transactions, so every node shares one budget and
 * concurrent attempts are counted one by one (core/login-counter.ts says how).
 */
import ipaddr from 'ipaddr.js';
import { createHash } from 'node:crypto';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { addFailure, PENDING_TTL_SEC, reserve, retryAfter, settle, type CounterPolicy, type Seen } from '../../core/login-counter.js';
import type { LoginAttemptRepo, LoginCounterKey } from '../ports-login-attempts.js';

/** The partner's lockout: failures per login and address, and how long they lock it (seconds). */
export interface LockPolicy {
  maxAttempts: number;
  blockPeriod: number;
}

export interface LoginAttemptsDeps {
  repo: LoginAttemptRepo;
  clock: Clock;
  /** Failed sign-ins per address per minute; 0 = no throttle. */
  throttle: number;
  /** Failed sign-ins per login across addresses; 0 = no ceiling. */
  ceiling: number;
}

type Slot =
  | { readonly key: LoginCounterKey; readonly policy: CounterPolicy; readonly state: 'reserved'; readonly seen: Seen }
  | { readonly key: LoginCounterKey; readonly policy: CounterPolicy; readonly state: 'refused' | 'untouched' };

/** What `admit` took, handed back to `settle`. */
export interface Ticket {
  /** Which lock refused the attempt, if one did. */
  readonly refusedBy: 'login_address' | 'login' | null;
  readonly slots: readonly Slot[];
}

export type Admission =
  /** The address is over its budget: answer at once, nothing else was counted. */
  | { readonly kind: 'throttled'; readonly retryAfter: number }
  /** The login is locked (from this address, or everywhere). Check nothing; settle to count it. */
  | { readonly kind: 'refused'; readonly ticket: Ticket }
  | { readonly kind: 'admitted'; readonly ticket: Ticket };

/** How the checked attempt ended: wrong password, right password, or no verdict (a fault). */
export type Verdict = 'failure' | 'success' | 'release';

const MINUTE = 60;
/** How long an attempt waits for a place held by attempts in flight (a password check takes ~10 ms). */
const BUSY_WAIT_MS = 2_000;
const BUSY_FIRST_MS = 10;
const BUSY_MAX_MS = 100;
const BUSY = Symbol('busy');
/** Thrown inside the admission transaction to roll its reservations back. */
class BusyCounter extends Error {}
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Unsettled tickets kept for a later try; beyond this the oldest are dropped (they expire anyway). */
const MAX_UNSETTLED = 10_000;
/** First and longest wait between tries to settle tickets whose settlement failed. */
const RETRY_FIRST_MS = 250;
const RETRY_MAX_MS = 5_000;
/** Longest login id kept as a counter key; longer ones (no such login exists) are keyed by their hash. */
const MAX_KEY = 320;

export class LoginAttempts {
  /** Settlements that failed (the database went away after the password check), to try again. */
  private unsettled: Array<{ ticket: Ticket; verdict: Verdict; until: number }> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_FIRST_MS;
  private closed = false;

  constructor(private readonly d: LoginAttemptsDeps) {}

  /**
   * Reserves a place for one attempt in each budget, in one transaction: the check "is it locked"
   * and the reservation are one guarded write. Counters are locked in one fixed order — address,
   * login and address, login — so concurrent transactions never wait on each other in a circle.
   */
  async admit(loginId: string, clientIp: string, lock: LockPolicy): Promise<Admission> {
    const counters = this.counters(loginId, clientIp, lock);
    // Availability: a counter full only because of attempts in flight (not of failures) waits
    // for a place instead of refusing. A refusal counts as a failure, so refusing here would let
    // ordinary concurrency — six sign-ins of one service account at once, or reservations left
    // standing by a database hiccup — lock a correct password out. Waiting gives no guesser more:
    // each waiting attempt is checked only when a place frees and the login is still open.
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (let delay = BUSY_FIRST_MS; ; delay = Math.min(delay * 2, BUSY_MAX_MS)) {
      const r = await this.tryAdmit(counters);
      if (r !== BUSY) return r;
      // Still busy after the wait: refused, but nothing was checked, so nothing is counted.
      if (Date.now() >= deadline) return { kind: 'refused', ticket: { refusedBy: 'login_address', slots: [] } };
      await sleep(delay + Math.floor(Math.random() * delay));
    }
  }

  private tryAdmit(counters: Array<{ key: LoginCounterKey; policy: CounterPolicy }>): Promise<Admission | typeof BUSY> {
    const now = nowSeconds(this.d.clock);
    return this.d.repo.guarded(async (tx): Promise<Admission> => {
      const slots: Slot[] = [];
      let refusedBy: Ticket['refusedBy'] = null;
      for (const { key, policy } of counters) {
        const c = await tx.lock(key, now);
        // After a refusal the remaining counters are still read, so a locked login costs the same
        // statements as an open one (ASVS 6.3.8), but nothing is taken from them.
        if (refusedBy) {
          slots.push({ key, policy, state: 'untouched' });
          continue;
        }
        const r = reserve(c, policy, now);
        // Full only because of attempts in flight: undo this transaction's reservations and wait.
        if (!r.ok && !r.blocked && r.next.failures - r.next.cleared < policy.limit) throw new BusyCounter();
        if (r.ok) {
          await tx.write(key, r.next, now);
          slots.push({ key, policy, state: 'reserved', seen: r.seen });
        } else if (key.scope === 'address') {
          // The throttle answers before any login is looked at: it says nothing about accounts.
          const next = addFailure(r.next, policy, now);
          await tx.write(key, next, now);
          return { kind: 'throttled', retryAfter: retryAfter(next, now) };
        } else {
          refusedBy = key.scope;
          slots.push({ key, policy, state: 'refused' });
        }
      }
      const ticket: Ticket = { refusedBy, slots };
      return refusedBy ? { kind: 'refused', ticket } : { kind: 'admitted', ticket };
    }).catch((e: unknown): typeof BUSY => {
      if (e instanceof BusyCounter) return BUSY;
      throw e;
    });
  }

  /**
   * Settles an admission after its password check. A refused attempt is a failure of the lock
   * that refused it and of the address; the other login lock only gets its place back (a guess
   * refused by the ceiling must not also lock the owner's own address). Returns whether the
   * login is now locked for this address.
   */
  async settle(ticket: Ticket, verdict: Verdict): Promise<{ locked: boolean }> {
    try {
      return await this.write(ticket, verdict);
    } catch (e) {
      // Security and availability: a reservation left standing reads as an attempt in flight, and
      // refusals while the places are full count as failures — so a database outage between the
      // check and its settlement would lock a correct password out (each retry refused and
      // counted) until the reservation expired. The settlement is kept and tried again, with the
      // same verdict, as soon as the database answers; a node that stops loses it to PENDING_TTL.
      this.keepUnsettled(ticket, verdict);
      throw e;
    }
  }

  /** Stops retrying failed settlements (the database is about to close). */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.unsettled = [];
  }

  private keepUnsettled(ticket: Ticket, verdict: Verdict): void {
    if (this.closed || !ticket.slots.some((s) => s.state !== 'untouched')) return;
    if (this.unsettled.length >= MAX_UNSETTLED) this.unsettled.shift();
    this.unsettled.push({ ticket, verdict, until: nowSeconds(this.d.clock) + PENDING_TTL_SEC });
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => void this.retryUnsettled(), this.retryDelay);
    this.retryTimer.unref();
  }

  private async retryUnsettled(): Promise<void> {
    this.retryTimer = undefined;
    const now = nowSeconds(this.d.clock);
    const due = this.unsettled.filter((u) => u.until > now);
    this.unsettled = [];
    for (let i = 0; i < due.length; i++) {
      const u = due[i]!;
      try {
        await this.write(u.ticket, u.verdict);
      } catch {
        // Still unavailable: keep this one and the rest, and wait longer before the next try.
        if (this.closed) return;
        this.unsettled.push(...due.slice(i));
        this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
        this.scheduleRetry();
        return;
      }
    }
    this.retryDelay = RETRY_FIRST_MS;
  }

  private write(ticket: Ticket, verdict: Verdict): Promise<{ locked: boolean }> {
    const now = nowSeconds(this.d.clock);
    return this.d.repo.guarded(async (tx) => {
      let locked = false;
      for (const slot of ticket.slots) {
        const c = await tx.lock(slot.key, now);
        if (slot.state === 'untouched') continue;
        const how: Verdict = ticket.refusedBy ? (slot.key.scope === 'address' ? 'failure' : 'release') : verdict;
        const next = slot.state === 'reserved' ? settle(c, slot.policy, now, slot.seen, how) : addFailure(c, slot.policy, now);
        await tx.write(slot.key, next, now);
        if (slot.key.scope !== 'address' && next.blockedUntil !== null && next.blockedUntil > now) locked = true;
      }
      return { locked };
    });
  }

  /** Deletes the counters nothing depends on any more; the periodic housekeeping calls it. */
  purgeExpired(): Promise<number> {
    return this.d.repo.purgeExpired(nowSeconds(this.d.clock));
  }

  private counters(loginId: string, clientIp: string, lock: LockPolicy): Array<{ key: LoginCounterKey; policy: CounterPolicy }> {
    const loginKey = counterLoginKey(loginId);
    const address = counterAddress(clientIp);
    const perLogin = { blockSec: lock.blockPeriod, windowSec: lock.blockPeriod, window: 'sliding', successClears: true } as const;
    const out: Array<{ key: LoginCounterKey; policy: CounterPolicy }> = [];
    if (this.d.throttle > 0) {
      out.push({ key: { scope: 'address', loginKey: '', address }, policy: { limit: this.d.throttle, blockSec: MINUTE, windowSec: MINUTE, window: 'fixed', successClears: false } });
    }
    out.push({ key: { scope: 'login_address', loginKey, address }, policy: { limit: lock.maxAttempts, ...perLogin } });
    if (this.d.ceiling > 0) out.push({ key: { scope: 'login', loginKey, address: '' }, policy: { limit: this.d.ceiling, ...perLogin } });
    return out;
  }
}

/** The login as counted: lower-cased like `login_data.login_key`; an overlong one by its hash. */
export function counterLoginKey(loginId: string): string {
  const key = loginId.toLowerCase();
  return key.length <= MAX_KEY ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * The address as counted: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 — one host usually
 * holds a whole /64, and counting each of its addresses apart would give it 2^64 budgets.
 */
export function counterAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip.slice(0, 64);
  const a = ipaddr.process(ip);
  if (a.kind() === 'ipv4') return a.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${a.toString()}/64`).toString()}/64`;
}
