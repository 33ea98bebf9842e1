/**
 * A fault behind the REST door (here: its table is gone) is problem+json 500 with the correctly
 * spelled INTERNAL_SERVER_ERROR and the catalogue's generic text: no stack, no SQL. Kaltura's
 * INTERNAL_SERVERL_ERROR (sic) is that door's wire code and never the REST door's. The fault is
 * logged once, at error, with its stack; the server keeps serving.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { captureLogs } from '../support/logs.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, api, expectProblem } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`REST door 500 [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    const { logger, lines } = captureLogs('info');
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-500', { logger });
      token = await adminToken(t, await registerPartner(t));
    });
    afterAll(() => t?.close());

    it('a storage fault is INTERNAL_SERVER_ERROR, spelled right, with nothing internal in it', async () => {
      await sql`DROP TABLE api_services`.execute(t.store.db);
      const r = await api(t, 'GET', '/api/services', { token });
      expectProblem(r, 500, 'INTERNAL_SERVER_ERROR');
      expect(r.json).toEqual({ type: 'urn:gatehouse:error:INTERNAL_SERVER_ERROR', title: 'Internal Server Error', status: 500, detail: 'Internal server error occurred', code: 'INTERNAL_SERVER_ERROR' });
      expect(r.text).not.toMatch(/SERVERL|api_services|SQL|stack|at /i);
      const faults = lines.filter((l) => l.msg === 'rest door fault');
      expect(faults).toHaveLength(1);
      expect(faults[0]).toMatchObject({ level: 'error', err: { stack: expect.any(String) } });
      // Still serving.
      expect((await api(t, 'GET', '/api/users', { token })).status).toBe(200);
    });
  });
}
