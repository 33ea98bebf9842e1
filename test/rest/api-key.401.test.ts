/**
 * API-key authentication → 401: unknown, malformed, revoked, outside validFrom..validTo; keys
 * cannot mint keys; several credentials at once are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { getWithRepeatedHeader } from '../support/repeated-header.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, createKey, expectProblem, fromNow } from '../support/rest.js';

const USER_MANAGEMENT = '01968c91-8789-7288-a337-f0e398711aac';

for (const dialect of DIALECTS) {
  describe(`API key 401 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    const users = (key: string) => api(t, 'GET', '/api/users', { key });
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-key-401');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('no credential, an unknown or a malformed key → 401', async () => {
      const anonymous = await api(t, 'GET', '/api/users');
      expectProblem(anonymous, 401, 'AUTHENTICATION_REQUIRED');
      expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
      expectProblem(await users(`gh_${'A'.repeat(43)}`), 401, 'INVALID_API_KEY');
      expectProblem(await users('not-a-key'), 401, 'INVALID_API_KEY');
      expectProblem(await api(t, 'GET', '/api/users', { headers: { 'x-api-key': '' } }), 401, 'INVALID_API_KEY');
    });

    it('a key works only inside validFrom..validTo', async () => {
      const key = await createKey(t, token, { validFrom: fromNow(t, 1), validTo: fromNow(t, 2), permissions: [USER_MANAGEMENT] });
      expectProblem(await users(key), 401, 'INVALID_API_KEY');
      t.clock.advance(86400);
      expect((await users(key)).status).toBe(200);
      t.clock.advance(86400 - 1);
      expect((await users(key)).status).toBe(200);
      t.clock.advance(1);
      expectProblem(await users(key), 401, 'INVALID_API_KEY');
      token = await adminToken(t, p);
    });

    it('a revoked key → 401 at once', async () => {
      const key = await createKey(t, token, { permissions: [USER_MANAGEMENT] });
      expect((await users(key)).status).toBe(200);
      const id = (await api(t, 'GET', '/api/auth/api-keys', { token })).json.data.find((k: { start: string }) => k.start === key.slice(0, 9)).id;
      expect((await api(t, 'DELETE', `/api/auth/api-keys/${id}`, { token })).status).toBe(204);
      expectProblem(await users(key), 401, 'INVALID_API_KEY');
    });

    it('API keys are minted with a user access token only', async () => {
      const key = await createKey(t, token, { permissions: ['API_KEY_MANAGE'] });
      expectProblem(await api(t, 'POST', '/api/auth/api-key', { key, body: { validTo: fromNow(t, 1) } }), 401, 'ACCESS_TOKEN_REQUIRED');
      expectProblem(await api(t, 'POST', '/api/auth/api-key', { body: { validTo: fromNow(t, 1) } }), 401, 'AUTHENTICATION_REQUIRED');
      // ...but a key holding API_KEY_MANAGE may list and revoke.
      expect((await api(t, 'GET', '/api/auth/api-keys', { key })).status).toBe(200);
    });

    it('two credentials at once → 401', async () => {
      const key = await createKey(t, token, { permissions: [USER_MANAGEMENT] });
      expectProblem(await api(t, 'GET', '/api/users', { key, token }), 401, 'AMBIGUOUS_CREDENTIALS');
      expectProblem(await api(t, 'GET', '/api/users', { key, query: { key } }), 401, 'AMBIGUOUS_CREDENTIALS');
      const twice = await fetch(`${t.url}/api/users?key=${key}&key=${key}`);
      expect(twice.status).toBe(401);
      // The same header twice, equal copies included (Node keeps the first Authorization and joins
      // X-API-Key copies): two credentials.
      for (const [name, value] of [['Authorization', `Bearer ${token}`], ['X-API-Key', key]]) {
        const r = await getWithRepeatedHeader(`${t.url}/api/users`, name as string, [value as string, value as string]);
        expect(r.status, `${name} twice`).toBe(401);
        expect(JSON.parse(r.body)).toMatchObject({ code: 'AMBIGUOUS_CREDENTIALS' });
      }
      expect((await api(t, 'GET', '/api/users', { key })).status).toBe(200);
    });

    it('the key of another installation (other pepper) is unknown here', async () => {
      const other = await startGatehouse(dialect, 'rest-key-401-other');
      try {
        const op = await registerPartner(other);
        const foreign = await createKey(other, await adminToken(other, op), { permissions: [USER_MANAGEMENT] });
        expectProblem(await users(foreign), 401, 'INVALID_API_KEY');
      } finally {
        await other.close();
      }
    });
  });
}
