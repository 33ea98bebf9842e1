/**
 * Kong's rate-limiting arithmetic (core/gateway/rate-windows.ts) on a fake clock: windows aligned
 * to the clock's second, minute, hour and UTC day; the verdict over several windows (refused when
 * any is used up, nothing counted then), the remaining counts and the `RateLimit-*` / Retry-After
 * window Kong picks (fewest left, a tie to the longer window).
 */
import { describe, expect, it } from 'vitest';
import { rateVerdict, secondsToReset, windowStart } from '../../src/core/gateway/rate-windows.js';

const T = Date.UTC(2031, 4, 17, 13, 45, 30, 250); // 13:45:30.250 UTC

describe('rate windows', () => {
  it('windows start on the clock: second, minute, hour and midnight UTC', () => {
    expect(windowStart('second', T)).toBe(Date.UTC(2031, 4, 17, 13, 45, 30));
    expect(windowStart('minute', T)).toBe(Date.UTC(2031, 4, 17, 13, 45, 0));
    expect(windowStart('hour', T)).toBe(Date.UTC(2031, 4, 17, 13, 0, 0));
    expect(windowStart('day', T)).toBe(Date.UTC(2031, 4, 17));
    // The last millisecond of a window is still in it; the next one starts the next window.
    const end = Date.UTC(2031, 4, 17, 13, 59, 59, 999);
    expect(windowStart('hour', end)).toBe(Date.UTC(2031, 4, 17, 13));
    expect(windowStart('hour', end + 1)).toBe(Date.UTC(2031, 4, 17, 14));
  });

  it('seconds to reset count whole seconds to the window end, at least 1', () => {
    expect(secondsToReset('minute', T)).toBe(30);
    expect(secondsToReset('hour', T)).toBe(14 * 60 + 30);
    expect(secondsToReset('day', T)).toBe(10 * 3600 + 14 * 60 + 30);
    expect(secondsToReset('second', T)).toBe(1);
    expect(secondsToReset('minute', Date.UTC(2031, 4, 17, 13, 45, 59, 900))).toBe(1);
    expect(secondsToReset('minute', Date.UTC(2031, 4, 17, 13, 45, 0, 0))).toBe(60);
  });

  it('a request under every window passes; remaining counts it; RateLimit-* is the window with fewest left', () => {
    const v = rateVerdict([{ window: 'minute', limit: 10, used: 3 }, { window: 'hour', limit: 100, used: 95 }], T);
    expect(v.ok).toBe(true);
    expect(v.windows).toEqual([{ window: 'minute', limit: 10, remaining: 6 }, { window: 'hour', limit: 100, remaining: 4 }]);
    expect({ limit: v.limit, remaining: v.remaining, resetSec: v.resetSec }).toEqual({ limit: 100, remaining: 4, resetSec: 870 });
  });

  it('a tie in remaining goes to the longer window', () => {
    const v = rateVerdict([{ window: 'second', limit: 5, used: 2 }, { window: 'day', limit: 1000, used: 997 }], T);
    expect(v.remaining).toBe(2);
    expect(v.limit).toBe(1000);
    expect(v.resetSec).toBe(secondsToReset('day', T));
  });

  it('one used-up window refuses; Retry-After is the longest used-up window; the others are not counted', () => {
    const v = rateVerdict([{ window: 'second', limit: 5, used: 5 }, { window: 'minute', limit: 10, used: 10 }, { window: 'hour', limit: 100, used: 50 }], T);
    expect(v.ok).toBe(false);
    expect(v.windows).toEqual([
      { window: 'second', limit: 5, remaining: 0 },
      { window: 'minute', limit: 10, remaining: 0 },
      // Not used up, and the request is not counted: its remaining is unchanged.
      { window: 'hour', limit: 100, remaining: 50 },
    ]);
    expect(v.resetSec).toBe(30);
    const second = rateVerdict([{ window: 'second', limit: 5, used: 5 }, { window: 'hour', limit: 100, used: 1 }], T);
    expect(second).toMatchObject({ ok: false, limit: 5, remaining: 0, resetSec: 1 });
  });

  it('the last request of a window passes with 0 remaining; the next is refused', () => {
    expect(rateVerdict([{ window: 'minute', limit: 3, used: 2 }], T)).toMatchObject({ ok: true, remaining: 0 });
    expect(rateVerdict([{ window: 'minute', limit: 3, used: 3 }], T)).toMatchObject({ ok: false, remaining: 0, resetSec: 30 });
    // Used beyond the limit (other nodes' batches): still 0, never negative.
    expect(rateVerdict([{ window: 'minute', limit: 3, used: 7 }], T).windows[0]!.remaining).toBe(0);
  });
});
