import { existsSync } from 'node:fs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabaseUrl } from '../support/dialects.js';
import { postgresAvailable, startPostgres } from '../support/postgres.js';

// In CI a missing PostgreSQL must fail, never skip: the global setup already fails the run then.
const runHarness = postgresAvailable() || process.env.CI === 'true';

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ one: number }>('select 1 as one');
    return rows[0]?.one ?? 0;
  } finally {
    await client.end();
  }
}

describe.skipIf(!runHarness)('PostgreSQL test harness', () => {
  it('starts a server, creates a database, answers select 1, stops and cleans up', async () => {
    const server = await startPostgres();
    try {
      const url = await server.createDatabase('harness_check');
      expect(url).toBe(server.url('harness_check'));
      expect(await selectOne(url)).toBe(1);
      await expect(server.createDatabase('Bad-Name')).rejects.toThrow(/invalid test database name/);
    } finally {
      await server.stop();
    }
    expect(existsSync(server.dir)).toBe(false);
    await server.stop(); // idempotent
  });
});

describe.skipIf(!DIALECTS.includes('postgres'))('shared PostgreSQL of the run', () => {
  it('gives each caller a fresh database', async () => {
    const a = await freshDatabaseUrl('postgres-harness.test.ts');
    const b = await freshDatabaseUrl('postgres-harness.test.ts');
    expect(a).not.toBe(b);
    expect(new URL(a).pathname).toMatch(/^\/ght_[0-9a-f]{6}_postgres_harness_test_ts_[0-9a-f]{8}$/);
    expect(await selectOne(a)).toBe(1);
    expect(await selectOne(b)).toBe(1);
  });
});
