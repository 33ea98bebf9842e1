/**
 * RecordCache (src/cache/record-cache.ts): the safety-net re-read of a record in use happens in the
 * background and keeps the held object when the row is unchanged; a changed row replaces it, a
 * deleted one becomes a miss; an invalidation during a re-read wins; a failed re-read keeps the
 * record without an unhandled rejection; an unused record expires.
 */
import { describe, expect, it } from 'vitest';
import { RecordCache } from '../../src/cache/record-cache.js';

interface Row {
  key: string;
  state: string;
}

const MINUTE = 60_000;

function world() {
  let now = 1_800_000_000_000;
  const rows = new Map<string, Row>([['a', { key: 'a', state: 'v1' }]]);
  const loads: string[] = [];
  const batches: number[] = [];
  const errors: unknown[] = [];
  let failing: Error | undefined;
  let gate: Promise<void> | undefined;
  const cache = new RecordCache<Row>({
    maxEntries: 1000,
    now: () => now,
    batchDelayMs: 0,
    load: async (key) => {
      loads.push(key);
      if (gate) await gate;
      if (failing) throw failing;
      const row = rows.get(key);
      return row && { ...row };
    },
    loadMany: async (keys) => {
      loads.push(...keys);
      batches.push(keys.length);
      if (gate) await gate;
      if (failing) throw failing;
      const found = new Map<string, Row>();
      for (const key of keys) {
        const row = rows.get(key);
        if (row) found.set(key, { ...row });
      }
      return found;
    },
    same: (x, y) => x.key === y.key && x.state === y.state,
    onRefreshError: (e) => void errors.push(e),
  });
  return {
    cache,
    rows,
    loads,
    batches,
    errors,
    advance: (ms: number) => void (now += ms),
    fail: (e: Error | undefined) => void (failing = e),
    hold: () => {
      let open!: () => void;
      gate = new Promise((r) => (open = r));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}


describe('RecordCache', () => {
  it('re-reads a record in use once a minute in the background and keeps the held object while the row is unchanged', async () => {
    const w = world();
    const first = await w.cache.get('a');
    expect(first?.state).toBe('v1');
    w.advance(30_000);
    expect(w.cache.peek('a')).toBe(first);
    expect(w.loads).toEqual(['a']); // not due yet
    w.advance(MINUTE);
    // Due: answered at once with the held record, re-read behind it, and only once.
    expect(w.cache.peek('a')).toBe(first);
    expect(w.cache.peek('a')).toBe(first);
    expect(await w.cache.get('a')).toBe(first);
    await w.cache.settled();
    expect(w.loads).toEqual(['a', 'a']);
    expect(w.cache.peek('a')).toBe(first);
    // Kept past the expiry of the first load: each re-read renews it.
    for (let i = 0; i < 15; i++) {
      w.advance(MINUTE);
      expect(w.cache.peek('a')).toBe(first);
      await w.cache.settled();
    }
    expect(w.loads.length).toBe(17);
  });

  it('replaces the record when the row changed, and caches a miss when it is gone', async () => {
    const w = world();
    const first = await w.cache.get('a');
    w.rows.set('a', { key: 'a', state: 'v2' });
    w.advance(MINUTE);
    expect(w.cache.peek('a')).toBe(first);
    await w.cache.settled();
    const second = w.cache.peek('a');
    expect(second).not.toBe(first);
    expect(second).toEqual({ key: 'a', state: 'v2' });
    w.rows.delete('a');
    w.advance(MINUTE);
    w.cache.peek('a');
    await w.cache.settled();
    expect(w.cache.peek('a')).toBeNull();
    expect(await w.cache.get('a')).toBeUndefined();
    expect(w.loads).toEqual(['a', 'a', 'a']);
  });

  it('an invalidation before or during a re-read wins over its result', async () => {
    const w = world();
    await w.cache.get('a');
    w.advance(MINUTE);
    // Forgotten while queued: never read.
    w.cache.peek('a');
    w.cache.forget('a');
    await w.cache.settled();
    expect(w.loads).toEqual(['a']);
    await w.cache.get('a');
    w.advance(MINUTE);
    // Forgotten while the read runs: its row is not cached.
    const open = w.hold();
    w.cache.peek('a');
    // Until the batch's read has started (it then waits on the gate).
    while (w.loads.length < 3) await new Promise((r) => setTimeout(r, 1));
    expect(w.loads).toEqual(['a', 'a', 'a']);
    w.cache.forget('a');
    open();
    await w.cache.settled();
    expect(w.cache.peek('a')).toBeUndefined();
    expect((await w.cache.get('a'))?.state).toBe('v1');
    expect(w.loads).toEqual(['a', 'a', 'a', 'a']);
  });

  it('gathers the re-reads that fall due together into one read', async () => {
    const w = world();
    for (let i = 0; i < 450; i++) w.rows.set(`k${i}`, { key: `k${i}`, state: 'v1' });
    const held = await Promise.all([...Array(450).keys()].map((i) => w.cache.get(`k${i}`)));
    w.advance(MINUTE);
    for (let i = 0; i < 450; i++) expect(w.cache.peek(`k${i}`)).toBe(held[i]);
    await w.cache.settled();
    expect(w.batches).toEqual([200, 200, 50]);
    for (let i = 0; i < 450; i++) expect(w.cache.peek(`k${i}`)).toBe(held[i]);
  });

  it('a failed re-read keeps the record, reports it, and retries after a pause, never per request', async () => {
    const w = world();
    const first = await w.cache.get('a');
    w.advance(MINUTE);
    w.fail(new Error('database down'));
    expect(w.cache.peek('a')).toBe(first);
    await w.cache.settled();
    expect(w.errors).toHaveLength(1);
    for (let i = 0; i < 10; i++) expect(w.cache.peek('a')).toBe(first);
    await w.cache.settled();
    expect(w.loads).toEqual(['a', 'a']);
    w.fail(undefined);
    w.advance(5_000);
    expect(w.cache.peek('a')).toBe(first);
    await w.cache.settled();
    expect(w.loads).toEqual(['a', 'a', 'a']);
    expect(w.errors).toHaveLength(1);
  });

  it('a record not used for ten minutes expires and is loaded again, awaited', async () => {
    const w = world();
    const first = await w.cache.get('a');
    w.advance(10 * MINUTE);
    expect(w.cache.peek('a')).toBeUndefined();
    const again = await w.cache.get('a');
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    expect(w.loads).toEqual(['a', 'a']);
  });

  it('caches misses, and shares one load among concurrent callers', async () => {
    const w = world();
    const [x, y] = await Promise.all([w.cache.get('a'), w.cache.get('a')]);
    expect(y).toBe(x);
    for (let i = 0; i < 5; i++) expect(await w.cache.get('zz')).toBeUndefined();
    expect(w.cache.peek('zz')).toBeNull();
    expect(w.loads).toEqual(['a', 'zz']);
  });
});
