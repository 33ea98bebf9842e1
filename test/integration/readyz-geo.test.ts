/** /readyz of a real Gatehouse names the country database that answers country conditions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

let gh: TestGatehouse;
beforeAll(async () => {
  gh = await startGatehouse('sqlite', 'readyz-geo');
});
afterAll(async () => {
  await gh?.close();
});

describe('GET /readyz', () => {
  it('reports the database, migrations and the loaded GeoIP database with its build date', async () => {
    const res = await fetch(`${gh.url}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, unknown> };
    expect(body.status).toBe('ready');
    expect(body.checks.database).toBe(true);
    expect(body.checks.migrations).toBe(true);
    expect(body.checks.geoip).toMatch(/^loaded \(.+, built \d{4}-\d{2}-\d{2}\)$/);
  });
});
