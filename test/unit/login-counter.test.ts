/** The sign-in attempt counter's pure decisions (core/login-counter.ts). */
import { describe, expect, it } from 'vitest';
import { addFailure, EMPTY_COUNTER, expiresAt, PENDING_TTL_SEC, reserve, retryAfter, settle, type Counter, type CounterPolicy, type Seen } from '../../src/core/login-counter.js';
import { counterAddress, counterLoginKey } from '../../src/services/users/login-attempts.js';

const now = 1_800_000_000;
const lockout: CounterPolicy = { limit: 5, blockSec: 1800, windowSec: 1800, window: 'sliding', successClears: true };
const throttle: CounterPolicy = { limit: 3, blockSec: 60, windowSec: 60, window: 'fixed', successClears: false };

function take(c: Counter, p: CounterPolicy, t = now): { c: Counter; seen: Seen } {
  const r = reserve(c, p, t);
  if (!r.ok) throw new Error('refused');
  return { c: r.next, seen: r.seen };
}

describe('login counter', () => {
  it('reservations count against the limit: the sixth concurrent attempt is refused before any settles', () => {
    let c = EMPTY_COUNTER;
    for (let i = 0; i < 5; i++) c = take(c, lockout).c;
    expect(c.pending).toBe(5);
    const r = reserve(c, lockout, now);
    expect(r).toMatchObject({ ok: false, blocked: false });
  });

  it('the limit-th failure blocks for the block period; a refused attempt is a failure that does not extend it', () => {
    let c = EMPTY_COUNTER;
    for (let i = 0; i < 5; i++) {
      const t = take(c, lockout);
      c = settle(t.c, lockout, now, t.seen, 'failure');
    }
    expect(c).toMatchObject({ failures: 5, pending: 0, blockedUntil: now + 1800 });
    expect(reserve(c, lockout, now + 10)).toMatchObject({ ok: false, blocked: true });
    c = addFailure(c, lockout, now + 10);
    expect(c).toMatchObject({ failures: 6, blockedUntil: now + 1800 });
    // After the block the count starts again: one more failure does not re-lock.
    const t = take(c, lockout, now + 1800);
    c = settle(t.c, lockout, now + 1800, t.seen, 'failure');
    expect(c).toMatchObject({ failures: 1, blockedUntil: null });
  });

  it('a success clears only the failures counted before its reservation, never those in flight beside it', () => {
    let c = EMPTY_COUNTER;
    for (let i = 0; i < 2; i++) {
      const t = take(c, lockout);
      c = settle(t.c, lockout, now, t.seen, 'failure');
    }
    const right = take(c, lockout); // sees 2 failures
    c = right.c;
    const wrong = [take(c, lockout)];
    c = wrong[0]!.c;
    wrong.push(take(c, lockout));
    c = wrong[1]!.c;
    // Both wrong guesses settle first, then the success.
    for (const w of wrong) c = settle(c, lockout, now, w.seen, 'failure');
    c = settle(c, lockout, now, right.seen, 'success');
    expect(c.failures - c.cleared).toBe(2);
    expect(c.pending).toBe(0);
  });

  it('a success keeps a block that the failures in flight beside it reached on their own, and lifts one they did not', () => {
    // 5 in flight: 4 wrong, 1 right; wrong ones settle first and block.
    let c = EMPTY_COUNTER;
    const slots = Array.from({ length: 5 }, () => {
      const t = take(c, lockout);
      c = t.c;
      return t;
    });
    for (const s of slots.slice(1)) c = settle(c, lockout, now, s.seen, 'failure');
    c = addFailure(c, lockout, now); // a refused sixth attempt
    expect(c.blockedUntil).toBe(now + 1800);
    c = settle(c, lockout, now, slots[0]!.seen, 'success');
    expect(c.blockedUntil).toBe(now + 1800);

    // 4 failures settled, then a success reserved after them and one refused attempt beside it: lifted.
    let d = EMPTY_COUNTER;
    for (let i = 0; i < 4; i++) {
      const t = take(d, lockout);
      d = settle(t.c, lockout, now, t.seen, 'failure');
    }
    const ok = take(d, lockout);
    d = addFailure(ok.c, lockout, now);
    expect(d.blockedUntil).toBe(now + 1800);
    d = settle(d, lockout, now, ok.seen, 'success');
    expect(d).toMatchObject({ blockedUntil: null, pending: 0 });
    expect(d.failures - d.cleared).toBe(1);
  });

  it('a success from an earlier epoch clears nothing', () => {
    let c = EMPTY_COUNTER;
    const t = take(c, lockout);
    c = t.c;
    // The window ends while the attempt is in flight; a new failure starts a new epoch.
    c = addFailure(c, lockout, now + 1801);
    c = settle(c, lockout, now + 1801, t.seen, 'success');
    expect(c.failures - c.cleared).toBe(1);
  });

  it('failures are forgotten after a window without one (sliding), a throttle window is one minute from its start (fixed)', () => {
    let c = addFailure(EMPTY_COUNTER, lockout, now);
    c = addFailure(c, lockout, now + 1000);
    expect(reserve(c, lockout, now + 2799)).toMatchObject({ ok: true, seen: { failures: 2 } });
    expect(reserve(c, lockout, now + 2800)).toMatchObject({ ok: true, seen: { failures: 0 } });

    let a = EMPTY_COUNTER;
    for (let i = 0; i < 3; i++) a = addFailure(a, throttle, now + i * 10);
    expect(a.blockedUntil).toBe(now + 60);
    expect(retryAfter(a, now + 20)).toBe(40);
    expect(reserve(a, throttle, now + 59)).toMatchObject({ ok: false, blocked: true });
    expect(reserve(a, throttle, now + 60)).toMatchObject({ ok: true });
  });

  it('a throttle success only frees its place', () => {
    let a = addFailure(EMPTY_COUNTER, throttle, now);
    const t = take(a, throttle);
    a = settle(t.c, throttle, now, t.seen, 'success');
    expect(a).toMatchObject({ failures: 1, cleared: 0, pending: 0 });
  });

  it('a reservation nobody settles is forgotten after PENDING_TTL_SEC', () => {
    const t = take(EMPTY_COUNTER, lockout);
    expect(expiresAt(t.c)).toBe(Math.max(t.c.windowEnds, now + PENDING_TTL_SEC));
    const later = reserve(t.c, lockout, now + PENDING_TTL_SEC);
    expect(later).toMatchObject({ ok: true, next: { pending: 1 } });
  });

  it('a limit of 0 never refuses or blocks', () => {
    const off = { ...lockout, limit: 0 };
    let c = EMPTY_COUNTER;
    for (let i = 0; i < 10; i++) c = addFailure(c, off, now);
    expect(c.blockedUntil).toBeNull();
    expect(reserve(c, off, now).ok).toBe(true);
  });
});

describe('counter keys', () => {
  it('logins are lower-cased, overlong ones hashed; IPv6 counts per /64, IPv4-mapped as IPv4', () => {
    expect(counterLoginKey('Pat@Uni.TEST')).toBe('pat@uni.test');
    expect(counterLoginKey('x'.repeat(5000))).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(counterAddress('203.0.113.9')).toBe('203.0.113.9');
    expect(counterAddress('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(counterAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(counterAddress('2001:db8:1:2:bbbb::9')).toBe('2001:db8:1:2::/64');
  });
});
