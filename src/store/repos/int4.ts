/**
 * PostgreSQL's `integer` columns refuse values beyond 32 bits with an error (SQLite stores them),
 * while the Kaltura door hands over any safe integer a client sends. Repositories of integer-keyed
 * tables pass values through these first, so an out-of-range id simply matches nothing (as on the
 * real server's MySQL) instead of failing the statement.
 */
const MIN = -2147483648;
const MAX = 2147483647;

export function isInt4(n: number): boolean {
  return Number.isInteger(n) && n >= MIN && n <= MAX;
}

/** The values of a list that can match an integer column. */
export function int4Only(list: readonly number[]): number[] {
  return list.filter(isInt4);
}

/** A bound for a range comparison, moved into the column's range. */
export function clampInt4(n: number): number {
  return Math.min(MAX, Math.max(MIN, Math.trunc(n)));
}

/**
 * Replaces a filter's integer values that no row can have: `…Equal` keys by a marker the caller
 * turns into "no match", `…In` lists by their matchable members, bounds by clamped ones.
 */
export function int4Filter<F extends object>(f: F, keys: { equal?: readonly (keyof F)[]; lists?: readonly (keyof F)[]; bounds?: readonly (keyof F)[] }): { filter: F; impossible: boolean } {
  const out = { ...f } as Record<keyof F, unknown>;
  let impossible = false;
  for (const k of keys.equal ?? []) if (typeof out[k] === 'number' && !isInt4(out[k] as number)) impossible = true;
  for (const k of keys.lists ?? []) if (Array.isArray(out[k])) out[k] = int4Only(out[k] as number[]);
  for (const k of keys.bounds ?? []) if (typeof out[k] === 'number') out[k] = clampInt4(out[k] as number);
  return { filter: out as F, impossible };
}
