/**
 * The node's background sync: every `intervalMs` it applies the change feed to the directory and
 * pulls new revocations. One loop, started by the composition root (src/wiring/caches.ts) and
 * stopped on shutdown. On PostgreSQL a LISTEN connection (store/notify.ts) calls `wake` as soon
 * as any node writes to the feed, so a change usually lands in milliseconds; the poll stays as
 * the bound when notifications are lost.
 */
import { LOG_START, type LogCursor } from '../core/log-cursor.js';
import type { ChangeFeed } from '../services/ports.js';
import type { CachedDirectory } from './directory.js';
import type { SyncedRevocationList } from './revocations.js';

export interface SyncDeps {
  changes: ChangeFeed;
  directory: CachedDirectory;
  revocations: SyncedRevocationList;
  /** Other caches fed by the same change feed (e.g. compiled access-control profiles). */
  listeners?: ReadonlyArray<{ drop(topic: string, key: string): void }>;
  /**
   * A pass failed (the database away, most often). Called for the first failure of a run of them
   * and then every REPORT_EVERY-th, so an outage is one log line, not two a second.
   */
  onError: (e: unknown, failedInARow: number) => void;
  /** The first pass that succeeded after `failed` failed ones: the feed is read again from where it stopped. */
  onRecovered?: (failed: number) => void;
  /** Housekeeping (purge expired rows), run every `purgeEvery` ticks. */
  purge?: () => Promise<void>;
}

/** While passes keep failing, every this many is reported again (a minute at the default interval). */
const REPORT_EVERY = 120;

export class CacheSync {
  private timer: NodeJS.Timeout | undefined;
  private cursor: LogCursor = LOG_START;
  private ticks = 0;
  private running: Promise<void> | undefined;
  /** A wake-up arrived while a tick was running: run one more after it (it may have read too early). */
  private again = false;
  /** Passes failed since the last one that succeeded. */
  private failures = 0;

  constructor(private readonly deps: SyncDeps, private readonly intervalMs = 500, private readonly purgeEvery = 1200) {}

  /** Starts from the current end of the change feed: caches are empty at start anyway. */
  async start(): Promise<void> {
    for (;;) {
      const { cursor } = await this.deps.changes.since(this.cursor);
      if (cursor.last === this.cursor.last) break;
      this.cursor = cursor;
    }
    await this.deps.revocations.sync();
    this.timer = setInterval(() => {
      if (!this.running) this.kick(true);
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Applies the feed now: another node announced a change. Coalesces with a running tick. */
  wake(): void {
    if (!this.timer) return;
    if (this.running) this.again = true;
    else this.kick(false);
  }

  private kick(polled: boolean): void {
    this.running = this.tick(polled).finally(() => {
      this.running = undefined;
      if (this.again && this.timer) {
        this.again = false;
        this.kick(false);
      }
    });
  }

  /**
   * One pass; only polled passes count towards housekeeping, so wake-ups do not make it more
   * frequent. A failed pass (the database away) leaves the cursors where they were: nothing read
   * is skipped, and the first pass that succeeds afterwards applies everything written meanwhile.
   */
  async tick(polled = true): Promise<void> {
    try {
      const { cursor, changes } = await this.deps.changes.since(this.cursor);
      this.cursor = cursor;
      for (const c of changes) {
        this.deps.directory.drop(c.topic, c.key);
        for (const l of this.deps.listeners ?? []) l.drop(c.topic, c.key);
      }
      await this.deps.revocations.sync();
      if (polled && ++this.ticks % this.purgeEvery === 0) {
        this.deps.revocations.prune();
        await this.deps.purge?.();
      }
      if (this.failures > 0) {
        const failed = this.failures;
        this.failures = 0;
        this.deps.onRecovered?.(failed);
      }
    } catch (e) {
      this.failures++;
      if (this.failures === 1 || this.failures % REPORT_EVERY === 0) this.deps.onError(e, this.failures);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
