/**
 * The shared rate-limit counters (migration 0013), for cache/window-counters.ts on PostgreSQL.
 * One statement adds a whole batch: an upsert per row, `count = count + delta`, answering the
 * totals. Atomic per row without a read first (STYLE rule 6: a guarded write, no read-modify-write),
 * so nodes adding at once never lose a hit. Rows are written in key order, so two nodes' batches
 * lock their rows in the same order and cannot deadlock.
 */
import { sql, type Kysely } from 'kysely';
import type { CounterDelta, SharedCounters } from '../../cache/window-counters.js';
import type { Database } from '../schema.js';

export class SqlRateCounters implements SharedCounters {
  constructor(private readonly db: Kysely<Database>) {}

  async add(deltas: readonly CounterDelta[]): Promise<number[]> {
    if (deltas.length === 0) return [];
    // The same counter twice in one statement is an error for ON CONFLICT: merged first.
    const merged = new Map<string, { key: string; window_start: number; expires_at: number; count: number }>();
    for (const d of deltas) {
      const id = `${d.windowStart}|${d.key}`;
      const row = merged.get(id);
      if (row) row.count += d.delta;
      else merged.set(id, { key: d.key, window_start: d.windowStart, expires_at: d.expiresAt, count: d.delta });
    }
    const rows = [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.window_start - b.window_start));
    const out = await this.db
      .insertInto('rate_counters')
      .values(rows)
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ count: sql<number>`rate_counters.count + excluded.count` }))
      .returning(['key', 'window_start', 'count'])
      .execute();
    const totals = new Map(out.map((r) => [`${Number(r.window_start)}|${r.key}`, Number(r.count)]));
    return deltas.map((d) => totals.get(`${d.windowStart}|${d.key}`) ?? 0);
  }

  async purge(nowMs: number): Promise<number> {
    const r = await this.db.deleteFrom('rate_counters').where('expires_at', '<=', nowMs).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
