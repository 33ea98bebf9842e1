/** What the sign-in attempt counters (services/users/login-attempts.ts) need from storage. */
import type { Counter } from '../core/login-counter.js';

/**
 * Which budget a counter keeps: a client address's failed sign-ins (the throttle), one login's
 * failures from everywhere (the ceiling), or one login's failures from one address (the
 * partner's `maxLoginAttempts`).
 */
export type LoginCounterScope = 'address' | 'login' | 'login_address';

export interface LoginCounterKey {
  readonly scope: LoginCounterScope;
  /** The lower-cased login id; '' for an address counter. */
  readonly loginKey: string;
  /** The client address (an IPv6 /64 as its network); '' for a login counter. */
  readonly address: string;
}

/** One transaction over counters: each `lock`ed counter is held until the transaction ends. */
export interface LoginCounterTx {
  /** Reads a counter (an empty one when it has no row yet) and keeps every other writer of it waiting. */
  lock(key: LoginCounterKey, now: number): Promise<Counter>;
  write(key: LoginCounterKey, next: Counter, now: number): Promise<void>;
}

export interface LoginAttemptRepo {
  /**
   * Runs `fn` in one transaction. Callers lock counters in one fixed order (address, login and
   * address, login), so two transactions never wait on each other in a circle.
   */
  guarded<T>(fn: (tx: LoginCounterTx) => Promise<T>): Promise<T>;
  /** Deletes every counter of a login (each address and the ceiling): an administrator unlocked it. */
  clearLogin(loginKey: string): Promise<void>;
  /** Deletes the counters nothing depends on any more (ended windows and blocks); returns how many. */
  purgeExpired(now: number): Promise<number>;
}
