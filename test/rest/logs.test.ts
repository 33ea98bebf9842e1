/** Secrets never reach the logs: API keys (header and query), passwords, access tokens (ASVS 16.2.5). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { captureLogs } from '../support/logs.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, createKey } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`REST logs [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    const { logger, chunks } = captureLogs('debug');
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-logs', { logger });
      p = await registerPartner(t);
    });
    afterAll(() => t?.close());

    it('neither the X-API-Key header nor ?key= nor a password or token appears in any log line', async () => {
      const token = await adminToken(t, p);
      const key = await createKey(t, token, { permissions: ['01968c91-8789-7288-a337-f0e398711aac'] });
      const revokedLater = await createKey(t, token);
      const bogus = `gh_${'Q'.repeat(43)}`;
      expect((await api(t, 'GET', '/api/users', { key })).status).toBe(200);
      expect((await api(t, 'GET', '/api/users', { query: { key, pageSize: '5' } })).status).toBe(200);
      expect((await api(t, 'GET', '/api/users', { key: bogus })).status).toBe(401);
      expect((await api(t, 'GET', '/api/users', { query: { key: bogus } })).status).toBe(401);
      expect((await api(t, 'GET', '/api/users', { key: revokedLater })).status).toBe(403);
      expect((await api(t, 'POST', '/api/auth/access-token', { body: { username: p.adminEmail, password: 'a-wrong-password-777' } })).status).toBe(401);
      expect((await api(t, 'POST', '/api/auth/access-token', { raw: `{"username":"x","password":"broken-json-secret-555"`, contentType: 'application/json' })).status).toBe(400);

      const log = chunks.join('');
      expect(log).toContain('/api/users?key=[redacted]&pageSize=5');
      expect(log).toContain('rest authentication refused');
      for (const secret of [key, key.slice(3), bogus, revokedLater, token, p.password, 'a-wrong-password-777', 'broken-json-secret-555']) expect(log).not.toContain(secret);
    });
  });
}
