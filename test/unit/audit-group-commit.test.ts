/** The Auditor's group commit: concurrent events share one write; each caller waits for its own. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { Auditor, type AuditInput } from '../../src/services/audit.js';
import type { AuditEvent } from '../../src/services/model.js';
import type { AuditRepo } from '../../src/services/ports.js';

function repo(fail = false) {
  const batches: AuditEvent[][] = [];
  const r: AuditRepo = {
    append: async (e) => void batches.push([e]),
    appendMany: async (events) => {
      await new Promise((res) => setTimeout(res, 5));
      if (fail) throw new Error('disk full');
      batches.push([...events]);
    },
    list: async () => ({ objects: [], totalCount: 0 }),
  };
  return { r, batches };
}

const ev = (i: number): AuditInput => ({ partnerId: 1, actor: `a${i}`, action: 'x', target: '', outcome: 'success', clientIp: '' });

describe('Auditor group commit', () => {
  it('writes concurrent events in few statements and resolves each caller after its write', async () => {
    const { r, batches } = repo();
    const a = new Auditor(r, new ManualClock(), () => undefined);
    await Promise.all(Array.from({ length: 50 }, (_, i) => a.record(ev(i))));
    expect(batches.flat()).toHaveLength(50);
    expect(batches.length).toBeLessThanOrEqual(2);
    // Events recorded during a write go into the next one, and their callers wait for it.
    const first = a.record(ev(100));
    const second = new Promise<void>((res) => setTimeout(() => void a.record(ev(101)).then(res), 1));
    await Promise.all([first, second]);
    expect(batches.flat().map((e) => e.actor)).toEqual(expect.arrayContaining(['a100', 'a101']));
  });

  it('reports a failed write for every event and still resolves the callers', async () => {
    const { r } = repo(true);
    const failed: string[] = [];
    const a = new Auditor(r, new ManualClock(), (_e, event) => failed.push(event.actor));
    await Promise.all([a.record(ev(1)), a.record(ev(2))]);
    expect(failed.sort()).toEqual(['a1', 'a2']);
    await a.flush();
  });
});
