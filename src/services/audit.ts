/** Writes audit events. Never holds a secret: callers pass ids, names and outcomes only. */
import type { Clock } from '../core/clock.js';
import type { AuditEvent } from './model.js';
import type { AuditRepo } from './ports.js';

export type AuditInput = Omit<AuditEvent, 'atMs'>;

export class Auditor {
  constructor(
    private readonly repo: AuditRepo,
    private readonly clock: Clock,
    private readonly onError: (e: unknown, event: AuditInput) => void,
  ) {}

  /**
   * Records one event. A failing audit write is reported (logged loudly) but does not undo the
   * operation it describes, which has already happened.
   */
  async record(e: AuditInput): Promise<void> {
    try {
      await this.repo.append({ ...e, atMs: this.clock.nowMs() });
    } catch (err) {
      this.onError(err, e);
    }
  }
}
