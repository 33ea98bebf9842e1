/** API keys → 403: a valid key (or user) lacking the permission, and grants beyond one's own. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, createKey, expectProblem, fromNow, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`API key 403 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-key-403');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('a key without User Management may not touch users', async () => {
      const key = await createKey(t, token);
      const r = await api(t, 'GET', '/api/users', { key });
      expectProblem(r, 403, 'PERMISSION_REQUIRED');
      expect(r.json.detail).toContain('ADMIN_BASE');
      expectProblem(await api(t, 'POST', '/api/users', { key, body: { id: 'x' } }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'GET', '/api/services', { key }), 403, 'PERMISSION_REQUIRED');
    });

    it('a user without API_KEY_MANAGE cannot create keys', async () => {
      const u = await userWithPermissions(t, p, 'ADMIN_BASE');
      const tok = await accessToken(t, u.email, u.password);
      expectProblem(await api(t, 'POST', '/api/auth/api-key', { token: tok, body: { validTo: fromNow(t, 1) } }), 403, 'PERMISSION_REQUIRED');
    });

    it('nobody grants a permission it does not hold', async () => {
      const u = await userWithPermissions(t, p, 'API_KEY_MANAGE,ADMIN_BASE');
      const tok = await accessToken(t, u.email, u.password);
      expect((await api(t, 'POST', '/api/auth/api-key', { token: tok, body: { validTo: fromNow(t, 1), permissions: ['ADMIN_BASE'] } })).status).toBe(201);
      const r = await api(t, 'POST', '/api/auth/api-key', { token: tok, body: { validTo: fromNow(t, 1), permissions: ['01968c91-8789-7288-a337-f0e398711aac'] } });
      expectProblem(r, 403, 'PERMISSION_NOT_HELD');
      expect(r.json.detail).toContain('ADMIN_USER_ADD');
      // Even a partner admin holding * cannot hand out operator permissions.
      expectProblem(await api(t, 'POST', '/api/auth/api-key', { token, body: { validTo: fromNow(t, 1), permissions: ['SYSTEM_ADMIN_PUBLISHER_BASE'] } }), 403, 'PERMISSION_NOT_HELD');
    });

    it('keys and services of one partner are invisible to another', async () => {
      const q = await registerPartner(t, 'Other University');
      const qToken = await adminToken(t, q);
      const svc = await api(t, 'POST', '/api/services', { token, body: { name: 'mine', routePrefix: '/mine' } });
      expectProblem(await api(t, 'POST', '/api/auth/api-key', { token: qToken, body: { validTo: fromNow(t, 1), services: [svc.json.data.id] } }), 400, 'UNKNOWN_API_SERVICES');
      const id = (await api(t, 'GET', '/api/auth/api-keys', { token })).json.data[0].id;
      expectProblem(await api(t, 'DELETE', `/api/auth/api-keys/${id}`, { token: qToken }), 404, 'API_KEY_NOT_FOUND');
      expectProblem(await api(t, 'GET', `/api/services/${svc.json.data.id}`, { token: qToken }), 404, 'API_SERVICE_NOT_FOUND');
      expect((await api(t, 'GET', '/api/auth/api-keys', { token: qToken })).json).toEqual({ data: [], totalCount: 0 });
    });
  });
}
