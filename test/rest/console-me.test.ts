/**
 * GET /api/me and POST /api/auth/switch-partner: who is signed in, whether the console is for
 * them (with a sentence when not), and switching one login identity between its partners.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, operatorToken } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, createKey, expectProblem, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/me and switch-partner [${dialect}]`, () => {
    let t: TestGatehouse;
    let a: TestPartner;
    let b: TestPartner;
    let other: TestPartner;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-console-me');
      a = await registerPartner(t, 'Alpha University');
      b = await registerPartner(t, 'Beta College');
      other = await registerPartner(t, 'Gamma School');
      // A's admin is also an admin of B: one login identity, two partners.
      const r = await api(t, 'POST', '/api/users', { token: await adminToken(t, b), body: { id: a.adminEmail, email: a.adminEmail, isAdmin: true } });
      expect(r.status).toBe(201);
    });
    afterAll(() => t?.close());

    it('a publisher admin: user, partner, permissions, console allowed, both partners listed', async () => {
      const token = await accessToken(t, a.adminEmail, a.password, a.id);
      const r = await api(t, 'GET', '/api/me', { token });
      expect(r.status).toBe(200);
      expect(r.json.data).toMatchObject({
        user: { id: a.adminEmail, email: a.adminEmail, screenName: 'Pat Admin', isAdmin: true, roleId: expect.any(Number), roleName: 'Publisher Administrator' },
        partner: { id: a.id, name: 'Alpha University', status: 'active', kind: 'publisher' },
        consoleAccess: { allowed: true, reason: null, explanation: null },
      });
      expect(r.json.data.permissions).toEqual(expect.arrayContaining(['KMC_ACCESS', 'ADMIN_BASE', 'ACCESS_CONTROL_ADD']));
      // A publisher's `*` never includes operator permissions.
      expect(r.json.data.permissions.some((n: string) => n.startsWith('SYSTEM_ADMIN_'))).toBe(false);
      expect(r.json.data.partners).toEqual([
        { id: a.id, name: 'Alpha University', kind: 'publisher', status: 'active' },
        { id: b.id, name: 'Beta College', kind: 'publisher', status: 'active' },
      ]);
    });

    it('a viewer (non-admin user): consoleAccess.allowed false, reason NOT_ADMIN and a sentence', async () => {
      const viewer = await userWithPermissions(t, a, '');
      const r = await api(t, 'GET', '/api/me', { token: await accessToken(t, viewer.email, viewer.password) });
      expect(r.status).toBe(200);
      expect(r.json.data.user).toMatchObject({ id: viewer.id, isAdmin: false, roleId: viewer.roleId });
      expect(r.json.data.consoleAccess).toEqual({
        allowed: false,
        reason: 'NOT_ADMIN',
        explanation: `This is a viewer account of partner 'Alpha University' (id ${a.id}): it can sign in to players and apps but not manage anything. Ask an admin of 'Alpha University' to make you an admin, or sign in with your admin login.`,
      });
      expect(r.json.data.partners).toEqual([{ id: a.id, name: 'Alpha University', kind: 'publisher', status: 'active' }]);
    });

    it('the operator: kind operator, operator permissions, console allowed', async () => {
      const r = await api(t, 'GET', '/api/me', { token: await operatorToken(t) });
      expect(r.json.data).toMatchObject({ partner: { id: -2, kind: 'operator', status: 'active' }, consoleAccess: { allowed: true } });
      expect(r.json.data.permissions).toEqual(expect.arrayContaining(['SYSTEM_ADMIN_BASE', 'SYSTEM_ADMIN_PUBLISHER_ADD']));
    });

    it('needs a user access token: none → 401, an API key → 401 ACCESS_TOKEN_REQUIRED', async () => {
      expectProblem(await api(t, 'GET', '/api/me'), 401, 'AUTHENTICATION_REQUIRED');
      const key = await createKey(t, await adminToken(t, a), { permissions: ['ADMIN_BASE'] });
      expectProblem(await api(t, 'GET', '/api/me', { key }), 401, 'ACCESS_TOKEN_REQUIRED');
    });

    it('switch-partner: a token for the same identity in B, then back; audited; B becomes the default', async () => {
      const tokenA = await accessToken(t, a.adminEmail, a.password, a.id);
      const r = await api(t, 'POST', '/api/auth/switch-partner', { token: tokenA, body: { partnerId: b.id } });
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.json).toEqual({ data: { access_token: expect.any(String), token_type: 'Bearer', expires_in: 900 } });
      const tokenB = r.json.data.access_token as string;
      const me = await api(t, 'GET', '/api/me', { token: tokenB });
      expect(me.json.data).toMatchObject({ user: { id: a.adminEmail }, partner: { id: b.id, name: 'Beta College' } });
      // The new token acts in B: B's users, not A's.
      const users = await api(t, 'GET', '/api/users', { token: tokenB });
      expect(users.json.data.every((u: { partnerId: number }) => u.partnerId === b.id)).toBe(true);
      // The last partner used is the default of the next sign-in without partnerId (current behaviour).
      const plain = await api(t, 'POST', '/api/auth/access-token', { body: { username: a.adminEmail, password: a.password } });
      expect((await api(t, 'GET', '/api/me', { token: plain.json.data.access_token })).json.data.partner.id).toBe(b.id);

      const back = await api(t, 'POST', '/api/auth/switch-partner', { token: tokenB, body: { partnerId: a.id } });
      expect((await api(t, 'GET', '/api/me', { token: back.json.data.access_token })).json.data.partner.id).toBe(a.id);

      const rows = await auditRows(t, 'auth.switchPartner');
      expect(rows.filter((x) => x.outcome === 'success').map((x) => [x.partner_id, x.target])).toEqual([
        [b.id, String(b.id)],
        [a.id, String(a.id)],
      ]);
      expect(rows.every((x) => x.actor === a.adminEmail)).toBe(true);
    });

    it('switch-partner refuses a partner without a user of the identity (403), and a blocked user there (403)', async () => {
      const tokenA = await accessToken(t, a.adminEmail, a.password, a.id);
      expectProblem(await api(t, 'POST', '/api/auth/switch-partner', { token: tokenA, body: { partnerId: other.id } }), 403, 'PARTNER_ACCESS_FORBIDDEN');
      expectProblem(await api(t, 'POST', '/api/auth/switch-partner', { token: tokenA, body: { partnerId: 999999 } }), 403, 'PARTNER_ACCESS_FORBIDDEN');
      // Block A's admin's user in B (B's own admin does it).
      const blocked = await api(t, 'PATCH', `/api/users/${encodeURIComponent(a.adminEmail)}`, { token: await adminToken(t, b), body: { status: 'blocked' } });
      expect(blocked.status).toBe(200);
      expectProblem(await api(t, 'POST', '/api/auth/switch-partner', { token: tokenA, body: { partnerId: b.id } }), 403, 'USER_IS_BLOCKED');
      expect((await auditRows(t, 'auth.switchPartner')).filter((x) => x.outcome === 'failure').length).toBe(3);
      await api(t, 'PATCH', `/api/users/${encodeURIComponent(a.adminEmail)}`, { token: await adminToken(t, b), body: { status: 'active' } });
      expectProblem(await api(t, 'POST', '/api/auth/switch-partner', { token: tokenA, body: { partnerId: 'x' } }), 400, 'INVALID_REQUEST');
    });
  });
}
