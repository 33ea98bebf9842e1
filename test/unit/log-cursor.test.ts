import { describe, expect, it } from 'vitest';
import { advanceCursor, gapIds, GAP_HORIZON_MS, LOG_START, MAX_GAP_RUN, MAX_GAPS } from '../../src/core/log-cursor.js';

describe('log cursor', () => {
  it('the first read takes the highest id; only ids just below it may still be in flight', () => {
    const c = advanceCursor(LOG_START, [1000, 1001, 1003], 0);
    expect(c.last).toBe(1003);
    expect(gapIds(c)).toEqual([...Array.from({ length: 1000 - (1003 - MAX_GAP_RUN) }, (_, i) => 1003 - MAX_GAP_RUN + i), 1002]);
    // Rows purged long ago (far below the highest id) are not waited for.
    expect(gapIds(c).every((id) => id >= 1003 - MAX_GAP_RUN)).toBe(true);
    expect(gapIds(advanceCursor(LOG_START, [1, 2, 3], 0))).toEqual([]);
  });

  it('ids skipped above the last read are asked for again until they appear', () => {
    const a = advanceCursor({ last: 10, gaps: new Map() }, [12, 15], 1000);
    expect(a.last).toBe(15);
    expect(gapIds(a)).toEqual([11, 13, 14]);
    const b = advanceCursor(a, [13, 16], 2000);
    expect(b.last).toBe(16);
    expect(gapIds(b)).toEqual([11, 14]);
  });

  it('unchanged when nothing was read and no gap expired', () => {
    const a = advanceCursor({ last: 10, gaps: new Map() }, [12], 1000);
    expect(advanceCursor(a, [], 2000)).toBe(a);
  });

  it('gives a gap up after the horizon (a rolled-back insert never commits)', () => {
    const a = advanceCursor({ last: 10, gaps: new Map() }, [12], 1000);
    expect(gapIds(advanceCursor(a, [], 1000 + GAP_HORIZON_MS))).toEqual([11]);
    expect(gapIds(advanceCursor(a, [], 1001 + GAP_HORIZON_MS))).toEqual([]);
  });

  it('a long run of missing ids is not transactions in flight', () => {
    const a = advanceCursor({ last: 10, gaps: new Map() }, [10 + MAX_GAP_RUN + 2], 0);
    expect(gapIds(a)).toEqual([]);
    const b = advanceCursor({ last: 10, gaps: new Map() }, [10 + MAX_GAP_RUN + 1], 0);
    expect(gapIds(b)).toHaveLength(MAX_GAP_RUN);
  });

  it('keeps at most MAX_GAPS, dropping the oldest', () => {
    let c = { last: 1, gaps: new Map<number, number>() } as ReturnType<typeof advanceCursor>;
    for (let i = 0; c.gaps.size < MAX_GAPS + 10 && i < MAX_GAPS; i++) c = advanceCursor(c, [c.last + 3], i);
    expect(c.gaps.size).toBe(MAX_GAPS);
    expect(Math.min(...gapIds(c))).toBeGreaterThan(2);
  });
});
