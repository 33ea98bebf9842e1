/**
 * Fixed-wall-time loops, interleaved. Each case gets a warm-up, then its measured time is cut into
 * slices taken in turn (A B C, A B C, …), so a burst of other work on a shared machine lands on
 * every case alike and the ratios between cases stay fair. The clock is read once per
 * `CHECK_EVERY` operations so that reading it does not show up in the rate of fast operations.
 */
import { performance } from 'node:perf_hooks';
import { selfCpuMs } from './cpu.js';

/** Runs the operation for about `ms` milliseconds and returns how many completed. */
export type Loop = (ms: number) => number | Promise<number>;

export interface Window {
  warmupMs: number;
  measureMs: number;
  /** How many slices the measured time of each case is cut into. */
  slices: number;
}

export interface Measured {
  ops: number;
  wallMs: number;
  /** CPU time this process used meanwhile (this process runs nothing else during a slice). */
  cpuMs: number;
  opsPerSec: number;
  /** cpuMs / wallMs: near 1 when the loop had a core to itself. */
  cpuShare: number;
}

const CHECK_EVERY = 64;

/** A synchronous operation; its numeric result is folded into a sink so the work cannot be skipped. */
export function syncLoop(op: () => number): Loop {
  let sink = 0;
  return (ms) => {
    let ops = 0;
    const end = performance.now() + ms;
    do {
      for (let i = 0; i < CHECK_EVERY; i++) sink ^= op();
      ops += CHECK_EVERY;
    } while (performance.now() < end);
    return sink === 0.5 ? -1 : ops; // never true: reading the sink keeps it alive
  };
}

/** An async operation, awaited one at a time (how a request awaits its own validation). */
export function awaitedLoop(op: () => Promise<unknown>): Loop {
  return async (ms) => {
    let ops = 0;
    const end = performance.now() + ms;
    do {
      for (let i = 0; i < CHECK_EVERY; i++) await op();
      ops += CHECK_EVERY;
    } while (performance.now() < end);
    return ops;
  };
}

/** An async operation started `batch` at a time and awaited together (many requests in flight). */
export function batchedLoop(op: () => Promise<unknown>, batch: number): Loop {
  const pending = new Array<Promise<unknown>>(batch);
  return async (ms) => {
    let ops = 0;
    const end = performance.now() + ms;
    do {
      for (let i = 0; i < batch; i++) pending[i] = op();
      await Promise.all(pending);
      ops += batch;
    } while (performance.now() < end);
    return ops;
  };
}

/** Warms every loop up, then measures them in interleaved slices. Results keep the input order. */
export async function measureInterleaved(loops: ReadonlyArray<readonly [string, Loop]>, w: Window): Promise<Map<string, Measured>> {
  for (const [, loop] of loops) await loop(w.warmupMs);
  const totals = loops.map(() => ({ ops: 0, wallMs: 0, cpuMs: 0 }));
  const sliceMs = w.measureMs / w.slices;
  for (let s = 0; s < w.slices; s++) {
    for (let i = 0; i < loops.length; i++) {
      const loop = (loops[i] as readonly [string, Loop])[1];
      const t = totals[i] as { ops: number; wallMs: number; cpuMs: number };
      const cpu0 = selfCpuMs();
      const t0 = performance.now();
      t.ops += await loop(sliceMs);
      t.wallMs += performance.now() - t0;
      t.cpuMs += selfCpuMs() - cpu0;
    }
  }
  return new Map(
    loops.map(([name], i) => {
      const t = totals[i] as { ops: number; wallMs: number; cpuMs: number };
      return [name, { ...t, opsPerSec: (t.ops * 1000) / t.wallMs, cpuShare: t.cpuMs / t.wallMs }];
    }),
  );
}
