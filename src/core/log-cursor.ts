/**
 * A reader's position in a log table with serial ids (`change_log`, `invalid_sessions`), for
 * polling "the rows written since I last looked".
 *
 * Why not just "the highest id read": PostgreSQL hands out a serial id when a row is inserted, not
 * when it commits, so two writers can commit their ids out of order. A node that read id N+1 before
 * N committed would move past N and never read it, and a revoked key or an ended session would
 * keep working there. So the position also remembers the ids it skipped (gaps) and asks for them
 * again until they appear, or until they are too old to belong to a transaction still running (an
 * insert that rolled back, or sequence values lost in a crash, leave gaps that never fill). SQLite
 * has one writer at a time, so its ids commit in order and it leaves no gap that fills later.
 */
export interface LogCursor {
  /** The highest id read. */
  readonly last: number;
  /** Ids below `last` not read yet, each with the time (ms) it was first seen missing. */
  readonly gaps: ReadonlyMap<number, number>;
}

/** Before the first read. */
export const LOG_START: LogCursor = Object.freeze({ last: 0, gaps: new Map<number, number>() });

/** How long a skipped id is asked for: far longer than a one-row insert stays uncommitted. */
export const GAP_HORIZON_MS = 120_000;
/** At most this many gaps are remembered; the oldest are given up first. */
export const MAX_GAPS = 1000;
/**
 * A run of more missing ids than this is not transactions in flight (there are never that many at
 * once) but rows deleted by the purge or a sequence jump: not gaps to wait for.
 */
export const MAX_GAP_RUN = 256;

/**
 * The position after reading the rows with these ids (ascending: new rows above `c.last` and
 * any gaps that filled). Returns `c` itself when nothing changed.
 */
export function advanceCursor(c: LogCursor, ids: readonly number[], nowMs: number): LogCursor {
  let gaps: Map<number, number> | undefined;
  const edit = () => (gaps ??= new Map(c.gaps));
  let last = c.last;
  for (const id of ids) {
    if (id <= c.last) {
      if (c.gaps.has(id)) edit().delete(id);
      continue;
    }
    // Ids skipped between the previous highest and this one.
    const missing = id - last - 1;
    if (c.last > 0 && missing > 0 && missing <= MAX_GAP_RUN) for (let k = last + 1; k < id; k++) edit().set(k, nowMs);
    last = Math.max(last, id);
  }
  if (c.last === 0 && last > 0) {
    // The first read: most missing ids are rows purged long ago, but those just below the highest
    // may be writes still in flight (a node starting while another writes).
    const seen = new Set(ids);
    for (let k = Math.max(1, last - MAX_GAP_RUN); k < last; k++) if (!seen.has(k)) edit().set(k, nowMs);
  }
  for (const [id, seen] of gaps ?? c.gaps) {
    if (nowMs - seen > GAP_HORIZON_MS) edit().delete(id);
  }
  if (gaps && gaps.size > MAX_GAPS) {
    // Insertion order is the order they were noticed: drop the oldest.
    for (const id of gaps.keys()) {
      if (gaps.size <= MAX_GAPS) break;
      gaps.delete(id);
    }
  }
  if (last === c.last && gaps === undefined) return c;
  return { last, gaps: gaps ?? c.gaps };
}

/** The ids to ask for again, besides everything above `last`. */
export function gapIds(c: LogCursor): number[] {
  return [...c.gaps.keys()];
}
