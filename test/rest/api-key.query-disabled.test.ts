/** GATEHOUSE_API_KEY_IN_QUERY=false: `?key=` is no credential at all (ASVS 14.2.1); the header still works. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, api, createKey, expectProblem } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`?key= disabled [${dialect}]`, () => {
    let t: TestGatehouse;
    let key: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-key-query-off', { env: { GATEHOUSE_API_KEY_IN_QUERY: 'false' } });
      const p = await registerPartner(t);
      key = await createKey(t, await adminToken(t, p), { permissions: ['01968c91-8789-7288-a337-f0e398711aac'] });
    });
    afterAll(() => t?.close());

    it('a key in the query string → 401, in the header → 200', async () => {
      expectProblem(await api(t, 'GET', '/api/users', { query: { key } }), 401, 'AUTHENTICATION_REQUIRED');
      expect((await api(t, 'GET', '/api/users', { key })).status).toBe(200);
      // Not "ambiguous" either: the query value is simply not a credential here.
      expect((await api(t, 'GET', '/api/users', { key, query: { key } })).status).toBe(200);
    });

    it('the OpenAPI document says so', async () => {
      expect((await api(t, 'GET', '/docs/json')).json.info.description).toContain('disabled');
    });
  });
}
