/**
 * /api/partners: the operator's publishers. Operators list, read, add ("Add New Publisher", the
 * same registration as partner.register, secrets shown once) and block/unblock; a publisher admin
 * (whose role is `*`) gets 403, because operator permissions exist only in the admin-console partner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, operatorToken } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, createKey, expectProblem } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/partners [${dialect}]`, () => {
    let t: TestGatehouse;
    let a: TestPartner;
    let op: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-console-partners');
      a = await registerPartner(t, 'Alpha University');
      await registerPartner(t, 'Beta College');
      op = await operatorToken(t);
    });
    afterAll(() => t?.close());

    it('lists publishers only, with search, status filter and page info', async () => {
      const r = await api(t, 'GET', '/api/partners', { token: op });
      expect(r.status).toBe(200);
      expect(r.json.data.map((p: { name: string }) => p.name)).toEqual(['Alpha University', 'Beta College']);
      expect(r.json.data[0]).toEqual({ id: a.id, name: 'Alpha University', description: 'conformance', status: 'active', adminEmail: a.adminEmail, adminName: 'Pat Admin', adminUserId: a.adminEmail, createdAt: expect.any(String), updatedAt: expect.any(String) });
      expect(r.json.page).toEqual({ pageIndex: 1, pageSize: 100, totalCount: 2 });
      expect(r.text).not.toContain(a.adminSecret);
      expect((await api(t, 'GET', '/api/partners', { token: op, query: { search: 'beta' } })).json.data.map((p: { name: string }) => p.name)).toEqual(['Beta College']);
      // A number finds the partner with that id, and any whose name or admin email contains it
      // (the test's admin emails carry random hex, which can contain "100").
      const term = String(a.id);
      const all = r.json.data as Array<{ id: number; name: string; adminEmail: string }>;
      const expected = all.filter((p) => p.id === a.id || p.name.toLowerCase().includes(term) || p.adminEmail.toLowerCase().includes(term)).map((p) => p.id);
      expect(expected[0]).toBe(a.id);
      expect((await api(t, 'GET', '/api/partners', { token: op, query: { search: term } })).json.data.map((p: { id: number }) => p.id)).toEqual(expected);
      expect((await api(t, 'GET', '/api/partners', { token: op, query: { search: a.adminEmail.slice(0, 8) } })).json.data.map((p: { id: number }) => p.id)).toContain(a.id);
      const paged = await api(t, 'GET', '/api/partners', { token: op, query: { pageSize: '1', page: '2' } });
      expect(paged.json).toMatchObject({ data: [{ name: 'Beta College' }], page: { pageIndex: 2, pageSize: 1, totalCount: 2 } });
      expect((await api(t, 'GET', '/api/partners', { token: op, query: { status: 'blocked' } })).json.data).toEqual([]);
    });

    it('reads one publisher with its admin; system partners are not publishers (404)', async () => {
      const r = await api(t, 'GET', `/api/partners/${a.id}`, { token: op });
      expect(r.status).toBe(200);
      expect(r.json.data).toMatchObject({ id: a.id, admin: { id: a.adminEmail, email: a.adminEmail, screenName: 'Pat Admin', status: 'active' } });
      expectProblem(await api(t, 'GET', '/api/partners/-2', { token: op }), 404, 'INVALID_PARTNER_ID');
      expectProblem(await api(t, 'GET', '/api/partners/99', { token: op }), 404, 'INVALID_PARTNER_ID');
      expectProblem(await api(t, 'GET', '/api/partners/424242', { token: op }), 404, 'INVALID_PARTNER_ID');
    });

    it('"Add New Publisher": 201 with partner, admin and both secrets once; the admin can sign in; audited', async () => {
      const r = await api(t, 'POST', '/api/partners', { token: op, body: { name: 'Delta Institute', adminName: 'Dana Admin', adminEmail: 'dana@delta.test', adminPassword: 'Delta-institute-pass-7' } });
      expect(r.status).toBe(201);
      expect(r.headers.get('cache-control')).toBe('no-store');
      const d = r.json.data;
      expect(d).toMatchObject({ partner: { name: 'Delta Institute', status: 'active', adminEmail: 'dana@delta.test', adminName: 'Dana Admin' }, admin: { id: 'dana@delta.test', status: 'active' }, secret: expect.stringMatching(/^[0-9a-f]{32}$/), adminSecret: expect.stringMatching(/^[0-9a-f]{32}$/), adminPassword: null });
      // The secrets work (they are the partner's) and are never shown again.
      const ks = await run(client(t), kaltura.services.session.start(d.adminSecret, '', kaltura.enums.SessionType.ADMIN, d.partner.id));
      expect(typeof ks).toBe('string');
      const again = await api(t, 'GET', `/api/partners/${d.partner.id}`, { token: op });
      expect(again.text).not.toContain(d.adminSecret);
      expect(again.text).not.toContain(d.secret);
      expect(await accessToken(t, 'dana@delta.test', 'Delta-institute-pass-7')).toMatch(/^ey/);
      // Same provisioning as partner.register: the template's roles and default profile were copied.
      const roles = await run(client(t, ks), kaltura.services.userRole.listAction());
      expect(roles.objects.map((x: { name: string }) => x.name)).toContain('Manager');
      expect((await auditRows(t, 'partner.register')).some((x) => x.target === String(d.partner.id) && x.actor === 'operator@gatehouse.test')).toBe(true);
      // The secrets never reach the audit log.
      expect(JSON.stringify(await auditRows(t, 'partner.register'))).not.toContain(d.adminSecret);
    });

    it('without a password, one is generated and shown once; bad input is 400, never 5xx', async () => {
      const r = await api(t, 'POST', '/api/partners', { token: op, body: { name: 'Echo', adminName: 'Eve Echo', adminEmail: 'eve@echo.test', description: 'echo' } });
      expect(r.status).toBe(201);
      expect(r.json.data.adminPassword).toEqual(expect.any(String));
      expect(await accessToken(t, 'eve@echo.test', r.json.data.adminPassword)).toMatch(/^ey/);
      expectProblem(await api(t, 'POST', '/api/partners', { token: op, body: { name: 'X', adminName: 'Y', adminEmail: 'not-an-email' } }), 400, 'PARTNER_REGISTRATION_ERROR');
      expectProblem(await api(t, 'POST', '/api/partners', { token: op, body: { name: 'X', adminName: 'Y' } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/partners', { token: op, body: { name: 'X', adminName: 'Y', adminEmail: 'y@y.test', secret: 'mine' } }), 400, 'INVALID_REQUEST');
    });

    it('PATCH blocks (the partner\'s tokens and sessions stop) and unblocks; renames; audited', async () => {
      const adminTok = await adminToken(t, a);
      const blocked = await api(t, 'PATCH', `/api/partners/${a.id}`, { token: op, body: { status: 'blocked' } });
      expect(blocked.status).toBe(200);
      expect(blocked.json.data).toMatchObject({ id: a.id, status: 'blocked' });
      expectProblem(await api(t, 'GET', '/api/users', { token: adminTok }), 403, 'SERVICE_FORBIDDEN_CONTENT_BLOCKED');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: a.adminEmail, password: a.password } }), 401, 'INVALID_CREDENTIALS');
      expect((await api(t, 'GET', '/api/partners', { token: op, query: { status: 'blocked' } })).json.data.map((p: { id: number }) => p.id)).toEqual([a.id]);

      const unblocked = await api(t, 'PATCH', `/api/partners/${a.id}`, { token: op, body: { status: 'active', name: 'Alpha U', description: 'renamed' } });
      expect(unblocked.json.data).toMatchObject({ status: 'active', name: 'Alpha U', description: 'renamed' });
      expect((await api(t, 'GET', '/api/users', { token: adminTok })).status).toBe(200);
      expect((await run(client(t, await adminKs(t, a)), kaltura.services.partner.getInfo())).name).toBe('Alpha U');
      expect((await auditRows(t, 'partner.block')).map((x) => x.target)).toEqual([String(a.id)]);
      expect((await auditRows(t, 'partner.unblock')).map((x) => x.target)).toEqual([String(a.id)]);
      expectProblem(await api(t, 'PATCH', `/api/partners/${a.id}`, { token: op, body: { status: 'deleted' } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'PATCH', '/api/partners/-2', { token: op, body: { status: 'blocked' } }), 404, 'INVALID_PARTNER_ID');
    });

    it('a publisher admin (role *) and its API keys get 403 on every operator route', async () => {
      const token = await adminToken(t, a);
      for (const [method, path, body] of [
        ['GET', '/api/partners', undefined],
        ['GET', `/api/partners/${a.id}`, undefined],
        ['POST', '/api/partners', { name: 'Z', adminName: 'Z Z', adminEmail: 'z@z.test' }],
        ['PATCH', `/api/partners/${a.id}`, { status: 'blocked' }],
      ] as const) {
        expectProblem(await api(t, method, path, { token, ...(body ? { body } : {}) }), 403, 'PERMISSION_REQUIRED');
      }
      const key = await createKey(t, token, { permissions: ['ADMIN_BASE'] });
      expectProblem(await api(t, 'GET', '/api/partners', { key }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'GET', '/api/partners'), 401, 'AUTHENTICATION_REQUIRED');
    });
  });
}
