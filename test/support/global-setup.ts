/**
 * Vitest global setup: one PostgreSQL for the whole run, shared by every test file through
 * `inject('gatehousePgUrl')` (see `dialects.ts`). Each file then creates its own database with
 * `freshDatabaseUrl()`, so files never see each other's rows.
 *
 * Environment:
 * - `GATEHOUSE_TEST_DIALECTS=sqlite` (or `postgres`, or `sqlite,postgres`): which dialects the suites run on.
 * - `GATEHOUSE_TEST_PG_URL=postgres://user@host:port/db`: use this existing server instead of starting one
 *   (the run's databases are dropped at the end).
 * - `CI=true`: a missing PostgreSQL fails the run instead of skipping the PostgreSQL suites.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { databaseUrl, postgresUnavailableReason, startPostgres } from './postgres.js';

export type Dialect = 'sqlite' | 'postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the shared server's `postgres` database, or null when PostgreSQL suites are skipped. */
    gatehousePgUrl: string | null;
    /** The dialects suites run on in this run. */
    gatehouseDialects: Dialect[];
    /** Prefix of the databases created in this run. */
    gatehouseRunId: string;
  }
}

function wantedDialects(raw: string | undefined): Dialect[] {
  if (raw === undefined || raw.trim() === '') return ['sqlite', 'postgres'];
  const list = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const d of list) {
    if (d !== 'sqlite' && d !== 'postgres') throw new Error(`GATEHOUSE_TEST_DIALECTS: unknown dialect ${JSON.stringify(d)}; expected sqlite and/or postgres`);
  }
  return [...new Set(list)] as Dialect[];
}

/** Drops the databases this run created on an external server (our own server is simply deleted). */
async function dropRunDatabases(baseUrl: string, runId: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [`${runId}_`]);
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `ght_${randomBytes(3).toString('hex')}`;
  const wanted = wantedDialects(process.env.GATEHOUSE_TEST_DIALECTS);
  const ci = process.env.CI === 'true';
  let pgUrl: string | null = null;
  let teardown = async (): Promise<void> => {};

  if (!wanted.includes('postgres')) {
    console.warn('[gatehouse tests] PostgreSQL suites disabled by GATEHOUSE_TEST_DIALECTS.');
  } else if (process.env.GATEHOUSE_TEST_PG_URL) {
    pgUrl = databaseUrl(process.env.GATEHOUSE_TEST_PG_URL, 'postgres');
    const base = pgUrl;
    teardown = () => dropRunDatabases(base, runId);
  } else {
    const reason = postgresUnavailableReason();
    if (reason !== undefined) {
      if (ci) {
        throw new Error(`[gatehouse tests] CI=true requires PostgreSQL, but ${reason}. .ci/run installs it; or set GATEHOUSE_TEST_PG_URL to an existing server.`);
      }
      console.warn(`[gatehouse tests] PostgreSQL suites are skipped: ${reason}.`);
    } else {
      const started = Date.now();
      const server = await startPostgres();
      pgUrl = server.url('postgres');
      console.log(`[gatehouse tests] PostgreSQL ready on port ${server.port} in ${Date.now() - started} ms`);
      teardown = () => server.stop();
    }
  }

  const dialects = wanted.filter((d) => d !== 'postgres' || pgUrl !== null);
  project.provide('gatehousePgUrl', pgUrl);
  project.provide('gatehouseDialects', dialects);
  project.provide('gatehouseRunId', runId);
  return teardown;
}
