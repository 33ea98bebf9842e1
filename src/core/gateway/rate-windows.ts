/**
 * The arithmetic of Kong's `rate-limiting` plugin, pure: fixed windows of a second, minute, hour
 * or day aligned to the clock (UTC: a minute starts at :00, a day at midnight UTC, as Kong's
 * `timestamp.get_timestamps`), and the verdict over several windows at once — refused when any
 * window is used up, the headers Kong sends, and the seconds until the window that matters reopens.
 */

export const RATE_WINDOWS = ['second', 'minute', 'hour', 'day'] as const;
export type RateWindow = (typeof RATE_WINDOWS)[number];

export const WINDOW_SECONDS: Readonly<Record<RateWindow, number>> = { second: 1, minute: 60, hour: 3600, day: 86_400 };

/** Kong's header names per window (exactly as Kong spells them). */
export const LIMIT_HEADER: Readonly<Record<RateWindow, string>> = {
  second: 'X-RateLimit-Limit-Second',
  minute: 'X-RateLimit-Limit-Minute',
  hour: 'X-RateLimit-Limit-Hour',
  day: 'X-RateLimit-Limit-Day',
};
export const REMAINING_HEADER: Readonly<Record<RateWindow, string>> = {
  second: 'X-RateLimit-Remaining-Second',
  minute: 'X-RateLimit-Remaining-Minute',
  hour: 'X-RateLimit-Remaining-Hour',
  day: 'X-RateLimit-Remaining-Day',
};

/** The start (epoch ms) of the window containing `nowMs`. Epoch time has no leap seconds, so days align to UTC midnight. */
export function windowStart(w: RateWindow, nowMs: number): number {
  const len = WINDOW_SECONDS[w] * 1000;
  return Math.floor(nowMs / len) * len;
}

/** Whole seconds until the window containing `nowMs` ends, at least 1 (Kong's `reset`). */
export function secondsToReset(w: RateWindow, nowMs: number): number {
  const elapsedSec = Math.floor((nowMs - windowStart(w, nowMs)) / 1000);
  return Math.max(1, WINDOW_SECONDS[w] - elapsedSec);
}

/** One configured window and how much of it was used before this request. */
export interface WindowUsage {
  window: RateWindow;
  limit: number;
  used: number;
}

/** Per window, what the headers say after this request. */
export interface WindowState {
  window: RateWindow;
  limit: number;
  remaining: number;
}

/**
 * The verdict over a request's windows. `limit` / `remaining` / `resetSec` are the IETF-draft
 * `RateLimit-*` values Kong sends: those of the window with the fewest requests left (a tie goes
 * to the longer window); on a refusal `resetSec` is Kong's `Retry-After`.
 */
export interface RateVerdict {
  ok: boolean;
  windows: readonly WindowState[];
  limit: number;
  remaining: number;
  resetSec: number;
}

/**
 * Kong's rule (rate-limiting handler, 2.x and later): a window is used up when `limit - used <= 0`;
 * any used-up window refuses the request and nothing is counted. The remaining count shown is one
 * less than before for every window when the request passes (it is about to be counted), and for
 * the used-up window when it does not; never below 0.
 */
export function rateVerdict(usages: readonly WindowUsage[], nowMs: number): RateVerdict {
  let stopped = false;
  for (const u of usages) if (u.limit - u.used <= 0) stopped = true;
  const windows: WindowState[] = [];
  let pick: WindowState | undefined;
  for (const u of usages) {
    const before = u.limit - u.used;
    const remaining = Math.max(0, !stopped || before <= 0 ? before - 1 : before);
    const s = { window: u.window, limit: u.limit, remaining };
    windows.push(s);
    if (!pick || remaining < pick.remaining || (remaining === pick.remaining && WINDOW_SECONDS[u.window] > WINDOW_SECONDS[pick.window])) pick = s;
  }
  if (!pick) return { ok: true, windows, limit: 0, remaining: 0, resetSec: 0 };
  return { ok: !stopped, windows, limit: pick.limit, remaining: pick.remaining, resetSec: secondsToReset(pick.window, nowMs) };
}
