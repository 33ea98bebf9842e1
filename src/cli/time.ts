/** Durations and points in time as the CLI reads them (`30d`, `12h`, unix times, ISO dates) and prints them. */
import { UsageError } from './errors.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * Kaltura's `max_relative_time` (protocol §1.5): the server reads a time value at or below ten
 * years as "now + value". The CLI applies the same rule to plain numbers so that `--expiry 3600`
 * means what it means on the wire, and always sends an absolute time.
 */
const MAX_RELATIVE_TIME = 315_360_000;

/** Seconds from `30d`, `12h`, `45m`, `90s`, `2w` or a plain number of seconds; `undefined` when not a duration. */
function durationSeconds(text: string): number | undefined {
  const m = /^(\d+)\s*([smhdw]?)$/i.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_SECONDS[(m[2] || 's').toLowerCase()]!;
}

/** A positive length of time for `--duration`/`--expiry` of sessions: seconds or `30m`, `12h`, `1d`. */
export function parseDuration(text: string, flag: string): number {
  const s = durationSeconds(text);
  if (s === undefined || s <= 0) throw new UsageError(`${flag} must be a number of seconds or a duration like 45m, 12h, 30d (got "${text}")`);
  return s;
}

/**
 * An absolute unix time for a token's `--expiry`: a unix time, a relative duration (`30d`, `12h`,
 * `45m`, or seconds up to ten years) counted from `nowSec`, or an ISO-8601 date/time.
 */
export function parseExpiry(text: string, nowSec: number, flag = '--expiry'): number {
  const t = text.trim();
  let abs: number | undefined;
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    abs = n <= MAX_RELATIVE_TIME ? nowSec + n : n;
  } else if (durationSeconds(t) !== undefined) {
    abs = nowSec + durationSeconds(t)!;
  } else if (/^\d{4}-\d{2}-\d{2}/.test(t) && !Number.isNaN(Date.parse(t))) {
    abs = Math.floor(Date.parse(t) / 1000);
  }
  if (abs === undefined) throw new UsageError(`${flag} must be a unix time, a duration like 30d, 12h, 45m, or an ISO-8601 date (got "${text}")`);
  if (abs <= nowSec) throw new UsageError(`${flag} is in the past (${isoUtc(abs)})`);
  return abs;
}

/** `2025-01-31T12:00:00Z`: ISO-8601 in UTC, without milliseconds. */
export function isoUtc(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The two largest units of a length of time: `1d 2h`, `23h 59m`, `5m`, `40s`. */
function span(seconds: number): string {
  const parts: string[] = [];
  let rest = Math.floor(seconds);
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (parts.length === 0) return `${rest}s`;
  return parts.slice(0, 2).join(' ');
}

/** `in 23h 59m` or `expired 5m ago`, relative to `nowSec`. */
export function relativeExpiry(expiry: number, nowSec: number): string {
  return expiry > nowSec ? `in ${span(expiry - nowSec)}` : `expired ${span(nowSec - expiry)} ago`;
}

/** A human description of a duration in seconds (`86400` → `1d`). */
export function describeDuration(seconds: number): string {
  return span(seconds);
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
