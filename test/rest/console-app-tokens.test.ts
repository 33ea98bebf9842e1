/**
 * /api/app-tokens: list (never the value), create (value shown once, usable with
 * appToken.startSession at once), delete (the sessions minted from it stop, as appToken.delete).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, expectProblem, fromNow, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/app-tokens [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-console-app-tokens');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    async function mint(id: string, value: string, hashType = 'sha256'): Promise<string> {
      const widget = await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`));
      const hash = createHash(hashType).update(widget.ks + value).digest('hex');
      return (await run(client(t, widget.ks), kaltura.services.appToken.startSession(id, hash))).ks;
    }

    it('create shows the token once; it works with appToken.startSession; lists never carry it', async () => {
      const expiry = fromNow(t, 30).replace(/\.\d{3}Z$/, '.000Z');
      const r = await api(t, 'POST', '/api/app-tokens', { token, body: { description: 'LMS', sessionType: 'user', sessionUserId: 'lms-bot', sessionDuration: 3600, expiry, hashType: 'SHA256', sessionPrivileges: 'sview:*' } });
      expect(r.status).toBe(201);
      expect(r.headers.get('cache-control')).toBe('no-store');
      const d = r.json.data;
      expect(d).toEqual({
        id: expect.stringMatching(/^0_[0-9a-z]{8}$/),
        token: expect.stringMatching(/^[0-9a-f]{32}$/),
        description: 'LMS',
        status: 'active',
        sessionType: 'user',
        sessionUserId: 'lms-bot',
        sessionDuration: 3600,
        expiry,
        hashType: 'SHA256',
        sessionPrivileges: 'sview:*',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const ks = await mint(d.id, d.token);
      expect(typeof ks).toBe('string');
      const list = await api(t, 'GET', '/api/app-tokens', { token });
      expect(list.status).toBe(200);
      expect(list.json.data.map((x: { id: string }) => x.id)).toContain(d.id);
      expect(list.text).not.toContain(d.token);
      expect(list.json.data.every((x: Record<string, unknown>) => !('token' in x))).toBe(true);
      expect(list.json.page).toMatchObject({ pageIndex: 1, pageSize: 100 });
      // The value never reaches the audit log either.
      expect(JSON.stringify(await auditRows(t, 'appToken.add'))).not.toContain(d.token);
    });

    it('defaults, a role, and no expiry', async () => {
      const roles = (await api(t, 'GET', '/api/roles', { token })).json.data;
      const manager = roles.find((x: { name: string }) => x.name === 'Manager');
      const r = await api(t, 'POST', '/api/app-tokens', { token, body: { roleId: manager.id, expiry: null } });
      expect(r.status).toBe(201);
      expect(r.json.data).toMatchObject({ hashType: 'SHA1', sessionType: null, expiry: null, sessionPrivileges: `setrole:${manager.id}`, description: null });
      expect(r.json.data.sessionDuration).toBeGreaterThan(0);
      expectProblem(await api(t, 'POST', '/api/app-tokens', { token, body: { roleId: 999999 } }), 400, 'UNKNOWN_ROLE_ID');
      expectProblem(await api(t, 'POST', '/api/app-tokens', { token, body: { hashType: 'CRC32' } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/app-tokens', { token, body: { sessionUserId: 'bad id with spaces' } }), 400, 'INVALID_FIELD_VALUE');
    });

    it('DELETE: 204, the token and the sessions minted from it stop; audited', async () => {
      const r = await api(t, 'POST', '/api/app-tokens', { token, body: { hashType: 'SHA256' } });
      const { id, token: value } = r.json.data;
      const ks = await mint(id, value);
      expect((await api(t, 'DELETE', `/api/app-tokens/${id}`, { token })).status).toBe(204);
      expect(await failure(client(t, ks), kaltura.services.user.get())).toMatchObject({ code: 'INVALID_KS' });
      expectProblem(await api(t, 'DELETE', `/api/app-tokens/${id}`, { token }), 404, 'APP_TOKEN_ID_NOT_FOUND');
      expect((await api(t, 'GET', '/api/app-tokens', { token })).json.data.map((x: { id: string }) => x.id)).not.toContain(id);
      expect((await auditRows(t, 'appToken.delete')).map((x) => x.target)).toEqual([id]);
    });

    it('no escalation: a token mints no more power than its creator holds', async () => {
      const creator = await userWithPermissions(t, p, 'APP_TOKEN_ADD,APP_TOKEN_BASE');
      const tok = await accessToken(t, creator.email, creator.password);
      expectProblem(await api(t, 'POST', '/api/app-tokens', { token: tok, body: { sessionType: 'admin' } }), 403, 'PERMISSION_NOT_HELD');
      expectProblem(await api(t, 'POST', '/api/app-tokens', { token: tok, body: {} }), 403, 'PERMISSION_NOT_HELD');
      const manager = (await api(t, 'GET', '/api/roles', { token })).json.data.find((x: { name: string }) => x.name === 'Manager');
      expectProblem(await api(t, 'POST', '/api/app-tokens', { token: tok, body: { sessionType: 'user', roleId: manager.id } }), 403, 'PERMISSION_NOT_HELD');
      expect((await api(t, 'POST', '/api/app-tokens', { token: tok, body: { sessionType: 'user' } })).status).toBe(201);
      expect((await api(t, 'POST', '/api/app-tokens', { token: tok, body: { sessionType: 'admin', roleId: creator.roleId } })).status).toBe(201);
    });

    it('permissions: readers list, cannot create or delete; viewers get 403', async () => {
      const reader = await userWithPermissions(t, p, 'APP_TOKEN_BASE');
      const tok = await accessToken(t, reader.email, reader.password);
      expect((await api(t, 'GET', '/api/app-tokens', { token: tok })).status).toBe(200);
      expectProblem(await api(t, 'POST', '/api/app-tokens', { token: tok, body: {} }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'DELETE', '/api/app-tokens/0_abcdefgh', { token: tok }), 403, 'PERMISSION_REQUIRED');
      const viewer = await userWithPermissions(t, p, '');
      expectProblem(await api(t, 'GET', '/api/app-tokens', { token: await accessToken(t, viewer.email, viewer.password) }), 403, 'PERMISSION_REQUIRED');
    });
  });
}
