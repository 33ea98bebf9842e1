/**
 * /api/roles (the partner's roles plus the global built-ins, no escalation through role edits) and
 * POST /api/users/{id}/password (an admin sets a login's password and clears its lockout).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, createKey, expectProblem, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/roles and user passwords [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-console-roles');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('lists the partner\'s roles and the global built-ins with their permissions', async () => {
      const r = await api(t, 'GET', '/api/roles', { token });
      expect(r.status).toBe(200);
      const byName = new Map(r.json.data.map((x: { name: string }) => [x.name, x]));
      expect(byName.get('Publisher Administrator')).toMatchObject({ systemName: 'PARTNER_ADMIN_ROLE', permissions: ['*'], partnerId: 0, builtIn: true, status: 'active' });
      expect(byName.get('Manager')).toMatchObject({ partnerId: p.id, builtIn: false, permissions: expect.arrayContaining(['KMC_ACCESS', 'ACCESS_CONTROL_ADD']) });
      expect(r.json.page).toMatchObject({ pageIndex: 1, totalCount: r.json.data.length });
    });

    it('CRUD: create, change, delete; live sessions follow the change; audited', async () => {
      const created = await api(t, 'POST', '/api/roles', { token, body: { name: 'Editors', description: 'edit content', permissions: ['KMC_ACCESS', 'CONTENT_MANAGE_BASE'] } });
      expect(created.status).toBe(201);
      const id = created.json.data.id;
      expect(created.json.data).toMatchObject({ name: 'Editors', systemName: '', description: 'edit content', permissions: ['KMC_ACCESS', 'CONTENT_MANAGE_BASE'], partnerId: p.id, builtIn: false, status: 'active' });
      // A user with the role: its token follows a role change at once.
      await api(t, 'POST', '/api/users', { token, body: { id: 'ed', email: 'ed@uni.test', password: 'editor-password-long', roleId: id } });
      const edTok = await accessToken(t, 'ed@uni.test', 'editor-password-long');
      expectProblem(await api(t, 'GET', '/api/users', { token: edTok }), 403, 'PERMISSION_REQUIRED');
      const patched = await api(t, 'PATCH', `/api/roles/${id}`, { token, body: { permissions: ['KMC_ACCESS', 'ADMIN_BASE'], status: 'active' } });
      expect(patched.json.data.permissions).toEqual(['KMC_ACCESS', 'ADMIN_BASE']);
      expect((await api(t, 'GET', '/api/users', { token: edTok })).status).toBe(200);
      expect((await api(t, 'GET', `/api/roles/${id}`, { token })).json.data.name).toBe('Editors');
      expectProblem(await api(t, 'DELETE', `/api/roles/${id}`, { token }), 409, 'ROLE_IS_BEING_USED');
      await api(t, 'DELETE', '/api/users/ed', { token });
      expect((await api(t, 'DELETE', `/api/roles/${id}`, { token })).status).toBe(204);
      expectProblem(await api(t, 'GET', `/api/roles/${id}`, { token }), 404, 'INVALID_OBJECT_ID');
      for (const action of ['userRole.add', 'userRole.update', 'userRole.delete']) expect((await auditRows(t, action)).some((x) => x.target === String(id))).toBe(true);
    });

    it('refuses bad input, duplicates, edits of built-ins, and escalation', async () => {
      expectProblem(await api(t, 'POST', '/api/roles', { token, body: { name: 'X', permissions: ['NO_SUCH_PERMISSION'] } }), 400, 'PERMISSION_NOT_FOUND');
      expectProblem(await api(t, 'POST', '/api/roles', { token, body: { name: 'Manager', permissions: [] } }), 409, 'ROLE_NAME_ALREADY_EXISTS');
      expectProblem(await api(t, 'POST', '/api/roles', { token, body: { permissions: [] } }), 400, 'INVALID_REQUEST');
      const builtIn = (await api(t, 'GET', '/api/roles', { token })).json.data.find((x: { builtIn: boolean }) => x.builtIn);
      expectProblem(await api(t, 'PATCH', `/api/roles/${builtIn.id}`, { token, body: { name: 'Mine now' } }), 403, 'BUILT_IN_ROLE_READ_ONLY');
      // Someone who may edit roles but holds little cannot write `*` into a role, nor edit a stronger one.
      const roleEditor = await userWithPermissions(t, p, 'ADMIN_BASE,ADMIN_ROLE_ADD,ADMIN_ROLE_UPDATE');
      const tok = await accessToken(t, roleEditor.email, roleEditor.password);
      expectProblem(await api(t, 'PATCH', `/api/roles/${roleEditor.roleId}`, { token: tok, body: { permissions: ['*'] } }), 403, 'PERMISSION_NOT_HELD');
      expectProblem(await api(t, 'POST', '/api/roles', { token: tok, body: { name: 'Sneaky', permissions: ['ADMIN_USER_ADD'] } }), 403, 'PERMISSION_NOT_HELD');
      expect((await api(t, 'POST', '/api/roles', { token: tok, body: { name: 'Readers', permissions: ['ADMIN_BASE'] } })).status).toBe(201);
      const manager = (await api(t, 'GET', '/api/roles', { token })).json.data.find((x: { name: string }) => x.name === 'Manager');
      expectProblem(await api(t, 'PATCH', `/api/roles/${manager.id}`, { token: tok, body: { description: 'mine' } }), 403, 'PERMISSION_NOT_HELD');
      const viewer = await userWithPermissions(t, p, '');
      expectProblem(await api(t, 'GET', '/api/roles', { token: await accessToken(t, viewer.email, viewer.password) }), 403, 'PERMISSION_REQUIRED');
    });

    it('POST /api/users/{id}/password: 204, the new password works, the lockout is cleared, audited, never logged', async () => {
      await api(t, 'POST', '/api/users', { token, body: { id: 'lou', email: 'lou@uni.test', password: 'original-password-1' } });
      for (let i = 0; i < 5; i++) await api(t, 'POST', '/api/auth/access-token', { body: { username: 'lou@uni.test', password: 'wrong-password-x' } });
      // Locked now: even the right password is refused.
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: 'lou@uni.test', password: 'original-password-1' } }), 401, 'INVALID_CREDENTIALS');
      const r = await api(t, 'POST', '/api/users/lou/password', { token, body: { password: 'brand-new-password-2' } });
      expect(r.status).toBe(204);
      expect(await accessToken(t, 'lou@uni.test', 'brand-new-password-2')).toMatch(/^ey/);
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: 'lou@uni.test', password: 'original-password-1' } }), 401, 'INVALID_CREDENTIALS');
      const rows = await auditRows(t, 'user.setPassword');
      expect(rows.map((x) => [x.target, x.actor])).toEqual([['lou', p.adminEmail]]);
      expect(JSON.stringify(rows)).not.toContain('brand-new-password-2');
      expect(JSON.parse(rows[0]!.detail)).toEqual({ lockoutCleared: true });
    });

    it('password: policy, users without a login, shared logins, more powerful users, permissions', async () => {
      expectProblem(await api(t, 'POST', '/api/users/lou/password', { token, body: { password: 'short' } }), 400, 'PASSWORD_STRUCTURE_INVALID');
      await api(t, 'POST', '/api/users', { token, body: { id: 'nologin' } });
      expectProblem(await api(t, 'POST', '/api/users/nologin/password', { token, body: { password: 'a-fine-password-9' } }), 409, 'USER_LOGIN_NOT_ENABLED');
      expectProblem(await api(t, 'POST', '/api/users/nobody/password', { token, body: { password: 'a-fine-password-9' } }), 404, 'INVALID_USER_ID');
      // A login also used by another partner: this partner's admin may not change it.
      const other = await registerPartner(t, 'Other');
      await api(t, 'POST', '/api/users', { token, body: { id: other.adminEmail, email: other.adminEmail, isAdmin: true } });
      expectProblem(await api(t, 'POST', `/api/users/${encodeURIComponent(other.adminEmail)}/password`, { token, body: { password: 'takeover-attempt-9' } }), 403, 'LOGIN_SHARED_WITH_OTHER_PARTNERS');
      expect(await accessToken(t, other.adminEmail, other.password, other.id)).toMatch(/^ey/);
      // User Management cannot reset the account owner's password.
      const key = await createKey(t, token, { permissions: ['01968c91-8789-7288-a337-f0e398711aac'] });
      expectProblem(await api(t, 'POST', `/api/users/${encodeURIComponent(p.adminEmail)}/password`, { key, body: { password: 'takeover-attempt-9' } }), 403, 'PERMISSION_NOT_HELD');
      expect((await api(t, 'POST', '/api/users/lou/password', { key, body: { password: 'set-by-a-key-12' } })).status).toBe(204);
      const reader = await userWithPermissions(t, p, 'ADMIN_BASE');
      expectProblem(await api(t, 'POST', '/api/users/lou/password', { token: await accessToken(t, reader.email, reader.password), body: { password: 'x-y-z-password-1' } }), 403, 'PERMISSION_REQUIRED');
    });
  });
}
