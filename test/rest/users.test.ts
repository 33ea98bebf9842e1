/**
 * /api/users: the partner's users (the same records as Kaltura's `user` service), through a
 * user's access token or an API key holding User Management; without it → 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, createKey, expectProblem, userWithPermissions } from '../support/rest.js';

const USER_MANAGEMENT = '01968c91-8789-7288-a337-f0e398711aac';

for (const dialect of DIALECTS) {
  describe(`/api/users [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-users');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('CRUD with an access token; the records are the Kaltura door\'s', async () => {
      const created = await api(t, 'POST', '/api/users', { token, body: { id: 'alice', email: 'alice@uni.test', firstName: 'Alice', lastName: 'Liddell', password: 'through-the-looking-glass' } });
      expect(created.status).toBe(201);
      expect(created.json.data).toMatchObject({ id: 'alice', partnerId: p.id, email: 'alice@uni.test', status: 'active', isAdmin: false, roleId: null, loginEnabled: true, lastLoginAt: null });
      expect(created.text).not.toContain('through-the-looking-glass');

      const ks = await adminKs(t, p);
      expect(await run(client(t, ks), kaltura.services.user.get('alice'))).toMatchObject({ id: 'alice', firstName: 'Alice', loginEnabled: true });
      // The new login works for the REST door too.
      expect(await accessToken(t, 'alice@uni.test', 'through-the-looking-glass')).toMatch(/^ey/);

      expect((await api(t, 'GET', '/api/users/alice', { token })).json.data).toMatchObject({ id: 'alice', lastLoginAt: expect.any(String) });
      const patched = await api(t, 'PATCH', '/api/users/alice', { token, body: { screenName: 'Al', status: 'blocked' } });
      expect(patched.status).toBe(200);
      expect(patched.json.data).toMatchObject({ screenName: 'Al', status: 'blocked' });
      expect(await run(client(t, ks), kaltura.services.user.get('alice'))).toMatchObject({ screenName: 'Al', status: 0 });

      const list = await api(t, 'GET', '/api/users', { token, query: { search: 'ali', pageSize: '10' } });
      expect(list.json).toMatchObject({ totalCount: 1, data: [{ id: 'alice' }] });
      expect((await api(t, 'GET', '/api/users', { token, query: { status: 'blocked' } })).json.data.map((u: { id: string }) => u.id)).toEqual(['alice']);

      expect((await api(t, 'DELETE', '/api/users/alice', { token })).status).toBe(204);
      expectProblem(await api(t, 'GET', '/api/users/alice', { token }), 404, 'INVALID_USER_ID');
      const audit = await t.store.db.selectFrom('audit_log').select(['action', 'actor']).where('target', '=', 'alice').where('action', 'like', 'user.%').execute();
      expect(audit.map((r) => r.action)).toEqual(['user.add', 'user.update', 'user.delete']);
      expect(audit.every((r) => r.actor === p.adminEmail)).toBe(true);
    });

    it('CRUD with an API key holding User Management (Kala UUID)', async () => {
      const key = await createKey(t, token, { permissions: [USER_MANAGEMENT] });
      expect((await api(t, 'POST', '/api/users', { key, body: { id: 'bob', email: 'bob@uni.test' } })).status).toBe(201);
      expect((await api(t, 'GET', '/api/users/bob', { query: { key } })).json.data.id).toBe('bob');
      expect((await api(t, 'PATCH', '/api/users/bob', { key, body: { lastName: 'Builder' } })).json.data.lastName).toBe('Builder');
      expect((await api(t, 'DELETE', '/api/users/bob', { key })).status).toBe(204);
      const actors = await t.store.db.selectFrom('audit_log').select('actor').where('target', '=', 'bob').execute();
      expect(actors.every((r) => r.actor.startsWith('apikey:'))).toBe(true);
    });

    it('without the permission → 403; read-only users can read, not write', async () => {
      expectProblem(await api(t, 'GET', '/api/users', { key: await createKey(t, token, { permissions: ['APP_TOKEN_BASE'] }) }), 403, 'PERMISSION_REQUIRED');
      const reader = await userWithPermissions(t, p, 'ADMIN_BASE');
      const tok = await accessToken(t, reader.email, reader.password);
      expect((await api(t, 'GET', '/api/users', { token: tok })).status).toBe(200);
      expectProblem(await api(t, 'POST', '/api/users', { token: tok, body: { id: 'carol' } }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'DELETE', `/api/users/${p.adminEmail}`, { token: tok }), 403, 'PERMISSION_REQUIRED');
    });

    it('User Management does not make administrators: no escalation through user records', async () => {
      const key = await createKey(t, token, { permissions: [USER_MANAGEMENT] });
      expectProblem(await api(t, 'POST', '/api/users', { key, body: { id: 'mallory', email: 'mallory@uni.test', isAdmin: true, password: 'escalate-me-please' } }), 403, 'PERMISSION_NOT_HELD');
      const admins = await run(client(t, await adminKs(t, p)), kaltura.services.userRole.listAction(new kaltura.objects.UserRoleFilter({ systemNameEqual: 'PARTNER_ADMIN_ROLE' })));
      expectProblem(await api(t, 'POST', '/api/users', { key, body: { id: 'mallory', roleId: admins.objects[0].id } }), 403, 'PERMISSION_NOT_HELD');
      expectProblem(await api(t, 'PATCH', `/api/users/${encodeURIComponent(p.adminEmail)}`, { key, body: { status: 'blocked' } }), 403, 'PERMISSION_NOT_HELD');
      expectProblem(await api(t, 'DELETE', `/api/users/${encodeURIComponent(p.adminEmail)}`, { key }), 403, 'PERMISSION_NOT_HELD');
      // A role within the key's own permissions is fine.
      const modest = await userWithPermissions(t, p, 'ADMIN_BASE');
      expect((await api(t, 'POST', '/api/users', { key, body: { id: 'dave', roleId: modest.roleId } })).status).toBe(201);
    });

    it('bad input is 4xx with the catalogue code, never 5xx', async () => {
      expectProblem(await api(t, 'POST', '/api/users', { token, body: { id: 'erin', nickname: 'e' } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/users', { token, body: { id: 'bad id with spaces' } }), 400, 'INVALID_FIELD_VALUE');
      expectProblem(await api(t, 'POST', '/api/users', { token, body: { id: 'frank', password: 'short' } }), 400, 'INVALID_FIELD_VALUE');
      expect((await api(t, 'POST', '/api/users', { token, body: { id: 'gina' } })).status).toBe(201);
      expectProblem(await api(t, 'POST', '/api/users', { token, body: { id: 'gina' } }), 409, 'DUPLICATE_USER_BY_ID');
      expectProblem(await api(t, 'POST', '/api/users', { token, body: { id: 'hank', roleId: 999999 } }), 400, 'USER_ROLE_NOT_FOUND');
      expectProblem(await api(t, 'PATCH', '/api/users/nobody', { token, body: {} }), 404, 'INVALID_USER_ID');
      expectProblem(await api(t, 'DELETE', `/api/users/${encodeURIComponent(p.adminEmail)}`, { token }), 403, 'CANNOT_DELETE_OR_BLOCK_ROOT_ADMIN_USER');
      expectProblem(await api(t, 'GET', '/api/users', { token, query: { pageSize: '0' } }), 400, 'INVALID_REQUEST');
    });
  });
}
