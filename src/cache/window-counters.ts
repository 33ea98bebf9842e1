/**
 * Counting for services' rate limits (Kong's `rate-limiting` windows, core/gateway/rate-windows.ts):
 * one cell per (bucket, window), held in this node's memory, so a decision never waits.
 *
 * Across nodes (PostgreSQL) each cell also has a shared counter row. A node adds its hits to it in
 * small batches — after `batchFor(limit)` hits, or within `flushEveryMs` — and keeps the total the
 * database answered. A request is counted against `shared total + this node's hits not yet in it`.
 * Why batches and not a write per request: the write would be on the hot path of every proxied
 * request (protocol §3.6); a batch costs one write per `batch` hits and nothing is awaited.
 *
 * The overshoot this allows, per window: a node never holds more than one batch of hits the shared
 * total has not acknowledged (a request that would exceed that waits for the write under way: the
 * only time a decision waits, once per batch under a burst); once the shared total reaches the
 * limit, every node's next acknowledgement says so and it refuses. So a window admits at most
 * `limit - 1 + nodes × batch` requests, and never refuses while fewer than `limit` were admitted
 * (a node's estimate is never above the true count). Refusals never wait. The test is
 * test/gateway/rate-limits.cross-node.test.ts.
 *
 * Fault tolerance (Kong's `fault_tolerant`, its default): when the database cannot be written the
 * hits stay in memory and are sent again later; meanwhile each node counts on its own (up to
 * `nodes × limit` per window). Without a shared store (SQLite) this is exactly the per-node count.
 * Cells are bounded: the least recently used lose their count when more are active (they may get
 * more than the limit, never less).
 */
import { rateVerdict, windowStart, WINDOW_SECONDS, type RateVerdict, type RateWindow, type WindowUsage } from '../core/gateway/rate-windows.js';
import type { Maybe } from '../core/maybe.js';
import { BoundedCache } from './lru.js';

/** One counter's hits to add: `key` names bucket and window, `windowStart` which window (epoch ms). */
export interface CounterDelta {
  key: string;
  windowStart: number;
  expiresAt: number;
  delta: number;
}

/** The shared counters (store/repos/rate-counters.ts on PostgreSQL). */
export interface SharedCounters {
  /** Adds each delta to its counter (created at 0) atomically; the totals after, in the same order. */
  add(deltas: readonly CounterDelta[]): Promise<number[]>;
  /** Deletes counters whose window ended before `nowMs`. */
  purge(nowMs: number): Promise<number>;
}

/** The hits counted in one batch: 5% of the limit, at least 1 and at most 50. */
export function batchFor(limit: number): number {
  return Math.min(50, Math.max(1, Math.floor(limit / 20)));
}

interface Cell {
  key: string;
  start: number;
  expiresAt: number;
  batch: number;
  /** The shared total the database last answered (this node's sent hits included). */
  shared: number;
  /** Hits admitted here and not yet sent. */
  unsent: number;
  /** Hits in a write under way. */
  sending: number;
  /** The write under way. */
  inflight: Promise<void> | undefined;
}

export interface WindowLimit {
  window: RateWindow;
  limit: number;
}

export interface WindowCountersOptions {
  shared?: SharedCounters | undefined;
  maxCells?: number;
  /** How long admitted hits may wait before they are sent, when their batch is not full. */
  flushEveryMs?: number;
  now?: () => number;
  /** A failed write (the hits are kept and sent again); reported at most once a minute. */
  onError?: (err: unknown) => void;
}

const PURGE_EVERY_MS = 60_000;
/** Rows per statement when sending every cell that has waited. */
const CHUNK = 500;

export class WindowCounters {
  private readonly cells: BoundedCache<string, Cell>;
  private readonly dirty = new Set<Cell>();
  private readonly shared: SharedCounters | undefined;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private lastPurge = 0;
  private lastErrorAt = Number.NEGATIVE_INFINITY;
  /** The last write failed: count here without waiting for the database (fault tolerant). */
  private degraded = false;

  constructor(private readonly o: WindowCountersOptions = {}) {
    this.now = o.now ?? Date.now;
    // A cell lives for its window; two days of life is only cleanup for day windows.
    this.cells = new BoundedCache(o.maxCells ?? 200_000, 2 * WINDOW_SECONDS.day * 1000, this.now);
    this.shared = o.shared;
    if (this.shared) {
      this.timer = setInterval(() => void this.flushWaiting(), o.flushEveryMs ?? 250);
      this.timer.unref();
    }
  }

  /**
   * Counts one request of `bucket` against each window's limit, Kong's way: refused (and not
   * counted) when any window is used up, else counted in every window. At once, unless this node
   * already holds a full batch the shared total has not acknowledged (see the header).
   */
  hit(bucket: string, limits: readonly WindowLimit[], nowMs: number): Maybe<RateVerdict> {
    const cells: Cell[] = [];
    const usages: WindowUsage[] = [];
    for (const l of limits) {
      const cell = this.cell(`${bucket}|${l.window}`, l, nowMs);
      cells.push(cell);
      usages.push({ window: l.window, limit: l.limit, used: cell.shared + cell.unsent + cell.sending });
    }
    const v = rateVerdict(usages, nowMs);
    if (!v.ok) return v;
    if (this.shared && !this.degraded) {
      for (const c of cells) {
        if (c.sending + c.unsent < c.batch) continue;
        if (c.sending === 0) this.send([c]);
        return (c.inflight as Promise<void>).then(() => this.hit(bucket, limits, this.now()));
      }
    }
    for (const c of cells) {
      c.unsent++;
      if (!this.shared) continue;
      if (c.unsent >= c.batch && c.sending === 0) this.send([c]);
      else this.dirty.add(c);
    }
    return v;
  }

  private cell(key: string, l: WindowLimit, nowMs: number): Cell {
    const start = windowStart(l.window, nowMs);
    let c = this.cells.get(key);
    if (!c || c.start !== start) {
      c = { key, start, expiresAt: start + WINDOW_SECONDS[l.window] * 1000, batch: batchFor(l.limit), shared: 0, unsent: 0, sending: 0, inflight: undefined };
      this.cells.set(key, c, c.expiresAt - nowMs + 1000);
    }
    return c;
  }

  /** Sends the cells' unsent hits in one statement; nothing awaits it. */
  private send(cells: readonly Cell[]): Promise<void> {
    const shared = this.shared as SharedCounters;
    const deltas: CounterDelta[] = [];
    for (const c of cells) {
      deltas.push({ key: c.key, windowStart: c.start, expiresAt: c.expiresAt, delta: c.unsent });
      c.sending = c.unsent;
      c.unsent = 0;
      this.dirty.delete(c);
    }
    const done = shared.add(deltas).then(
      (totals) => {
        this.degraded = false;
        cells.forEach((c, i) => {
          // Totals only grow within a window; an answer overtaken by a later one changes nothing.
          c.shared = Math.max(c.shared, totals[i] ?? 0);
          c.sending = 0;
          c.inflight = undefined;
        });
      },
      (err: unknown) => {
        this.degraded = true;
        for (const c of cells) {
          c.unsent += c.sending;
          c.sending = 0;
          c.inflight = undefined;
          if (c.unsent > 0) this.dirty.add(c);
        }
        this.reportError(err);
      },
    );
    for (const c of cells) c.inflight = done;
    return done;
  }

  /** Sends what has waited (the timer), and now and then drops ended windows' rows. */
  async flushWaiting(): Promise<void> {
    const nowMs = this.now();
    const ready: Cell[] = [];
    for (const c of this.dirty) {
      // A window that has ended no longer matters to anyone.
      if (c.expiresAt <= nowMs) this.dirty.delete(c);
      else if (c.sending === 0 && c.unsent > 0) ready.push(c);
    }
    const sends: Promise<void>[] = [];
    for (let i = 0; i < ready.length; i += CHUNK) sends.push(this.send(ready.slice(i, i + CHUNK)));
    await Promise.all(sends);
    if (this.shared && nowMs - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = nowMs;
      await this.shared.purge(nowMs).catch((err: unknown) => this.reportError(err));
    }
  }

  private reportError(err: unknown): void {
    const t = this.now();
    if (t - this.lastErrorAt < 60_000) return;
    this.lastErrorAt = t;
    this.o.onError?.(err);
  }

  /** Sends what is left (at shutdown) and stops the timer. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shared) await this.flushWaiting().catch(() => undefined);
  }

  clear(): void {
    this.cells.clear();
    this.dirty.clear();
  }
}
