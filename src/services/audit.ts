/** Writes audit events. Never holds a secret: callers pass ids, names and outcomes only. */
import type { Clock } from '../core/clock.js';
import type { AuditEvent } from './model.js';
import type { AuditRepo } from './ports.js';

export type AuditInput = Omit<AuditEvent, 'atMs'>;

/** Most events written in one statement; bounds the statement size (SQLite's variable limit). */
const MAX_BATCH = 200;

interface Pending {
  event: AuditEvent;
  done: () => void;
}

/**
 * Group commit: events recorded while a write is in flight are written together by the next one,
 * so concurrent requests share one transaction (one disk sync with SQLite's synchronous=FULL)
 * instead of paying one each. Every caller still waits until its own event is stored — nothing
 * is acknowledged before it is durable.
 */
export class Auditor {
  private queue: Pending[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly repo: AuditRepo,
    private readonly clock: Clock,
    private readonly onError: (e: unknown, event: AuditInput) => void,
  ) {}

  /**
   * Records one event. A failing audit write is reported (logged loudly) but does not undo the
   * operation it describes, which has already happened.
   */
  record(e: AuditInput): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push({ event: { ...e, atMs: this.clock.nowMs() }, done: resolve });
      this.writing ??= this.drain();
    });
  }

  /** Resolves when everything recorded so far is stored (used on shutdown). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the requests already in this turn of the event loop join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.repo.appendMany(batch.map((p) => p.event));
      } catch (err) {
        for (const p of batch) this.onError(err, p.event);
      }
      for (const p of batch) p.done();
    }
    this.writing = undefined;
  }
}
