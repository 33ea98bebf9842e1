/**
 * An API key's life: created, used in the header and the query, listed, revoked; revocation is
 * seen by a second node on the same database within one cache-sync interval, without that node
 * reading the database for every request.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, createKey, expectProblem, userWithPermissions } from '../support/rest.js';

const USER_MANAGEMENT = '01968c91-8789-7288-a337-f0e398711aac';
const POLL_MS = 100;

for (const dialect of DIALECTS) {
  describe(`API key lifecycle [${dialect}]`, () => {
    let a: TestGatehouse;
    let b: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      a = await startGatehouse(dialect, 'rest-key-life', { syncIntervalMs: POLL_MS });
      b = await startGatehouse(dialect, 'rest-key-life-b', { share: a, syncIntervalMs: POLL_MS });
      p = await registerPartner(a);
      token = await adminToken(a, p);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('works in X-API-Key and ?key= on both nodes, is listed, and once revoked stops everywhere', async () => {
      const key = await createKey(a, token, { permissions: [USER_MANAGEMENT] });
      for (const node of [a, b]) {
        expect((await api(node, 'GET', '/api/users', { key })).status).toBe(200);
        expect((await api(node, 'GET', '/api/users', { query: { key } })).status).toBe(200);
      }
      const listed = await api(a, 'GET', '/api/auth/api-keys', { token });
      const meta = listed.json.data.find((k: { start: string }) => k.start === key.slice(0, 9));
      expect(meta).toMatchObject({ revoked: false, revokedAt: null });

      // Node b now has the key cached; revoke on node a.
      expect((await api(a, 'DELETE', `/api/auth/api-keys/${meta.id}`, { token })).status).toBe(204);
      expectProblem(await api(a, 'GET', '/api/users', { key }), 401, 'INVALID_API_KEY');
      const started = Date.now();
      await vi.waitFor(async () => expectProblem(await api(b, 'GET', '/api/users', { key }), 401, 'INVALID_API_KEY'), { timeout: 10 * POLL_MS, interval: 10 });
      expect(Date.now() - started).toBeLessThan(10 * POLL_MS);

      const after = (await api(a, 'GET', '/api/auth/api-keys', { token })).json.data.find((k: { id: string }) => k.id === meta.id);
      expect(after).toMatchObject({ revoked: true, revokedAt: expect.any(String) });
      // Revoking again is harmless and keeps the first revocation time.
      expect((await api(b, 'DELETE', `/api/auth/api-keys/${meta.id}`, { token })).status).toBe(204);
      expect((await api(a, 'GET', '/api/auth/api-keys', { token })).json.data.find((k: { id: string }) => k.id === meta.id).revokedAt).toBe(after.revokedAt);
      const audit = await a.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'apiKey.revoke').execute();
      expect(audit.map((r) => r.target)).toEqual([meta.id, meta.id]);
    });

    it('verification reads the cache, not the database, once a key is known (and unknown keys are cached too)', async () => {
      const key = await createKey(a, token, { permissions: [USER_MANAGEMENT] });
      const unknown = `gh_${'Z'.repeat(43)}`;
      expect((await api(b, 'GET', '/api/users', { key })).status).toBe(200);
      expect((await api(b, 'GET', '/api/users', { key: unknown })).status).toBe(401);
      // Take the key row away behind the caches' back: node b keeps answering from memory.
      const row = await b.store.db.selectFrom('api_keys').selectAll().where('start', '=', key.slice(0, 9)).executeTakeFirstOrThrow();
      await b.store.db.deleteFrom('api_keys').where('id', '=', row.id).execute();
      expect((await api(b, 'GET', '/api/users', { key })).status).toBe(200);
      await b.store.db.insertInto('api_keys').values({ ...row, hash: row.hash }).execute();
      expect((await api(b, 'GET', '/api/users', { key: unknown })).status).toBe(401);
    });

    it('the key belongs to the partner: it survives the deletion of the user who created it', async () => {
      const creator = await userWithPermissions(a, p, 'API_KEY_MANAGE,ADMIN_BASE,ADMIN_USER_ADD,ADMIN_USER_UPDATE,ADMIN_USER_DELETE');
      const key = await createKey(a, await accessToken(a, creator.email, creator.password), { permissions: [USER_MANAGEMENT] });
      expect((await api(a, 'DELETE', `/api/users/${creator.id}`, { token })).status).toBe(204);
      expect((await api(a, 'GET', '/api/users', { key })).status).toBe(200);
      const meta = (await api(a, 'GET', '/api/auth/api-keys', { token })).json.data.find((k: { start: string }) => k.start === key.slice(0, 9));
      expect(meta.createdBy).toBe(creator.id);
    });
  });
}
