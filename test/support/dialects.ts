/**
 * The dialects a storage suite runs on (Kysely's `DIALECTS` loop) and a fresh PostgreSQL database
 * per test file. Usage:
 *
 *   for (const dialect of DIALECTS) describe(dialect, () => {
 *     let url: string | undefined;
 *     beforeAll(async () => { if (dialect === 'postgres') url = await freshDatabaseUrl('partners-repo'); });
 *     ...
 *   });
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabaseOn } from './postgres.js';
import type { Dialect } from './global-setup.js';

// Without the global setup (another vitest config) nothing is provided: SQLite only.
const pgBaseUrl = (inject('gatehousePgUrl') as string | null | undefined) ?? null;
const runId = (inject('gatehouseRunId') as string | undefined) ?? 'ght_local';

/** `['sqlite', 'postgres']`, without `postgres` when this run has no PostgreSQL (or GATEHOUSE_TEST_DIALECTS says so). */
export const DIALECTS: Array<Dialect> = [...((inject('gatehouseDialects') as Dialect[] | undefined) ?? ['sqlite'])];

/** Whether PostgreSQL suites run in this run. */
export const postgresEnabled = (): boolean => pgBaseUrl !== null;

/**
 * Creates a new, empty PostgreSQL database on the run's shared server and returns its URL. `label`
 * (e.g. the test file's name) goes into the database name to make leftovers recognisable.
 */
export async function freshDatabaseUrl(label: string): Promise<string> {
  if (pgBaseUrl === null) {
    throw new Error('PostgreSQL is not available in this run (see the global setup message); iterate over DIALECTS instead of asking for it directly');
  }
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 32) || 'db';
  const name = `${runId}_${slug}_${randomBytes(4).toString('hex')}`;
  return createDatabaseOn(pgBaseUrl, name);
}
