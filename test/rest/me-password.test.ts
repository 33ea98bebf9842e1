/**
 * POST /api/me/password, GET /api/me/password-policy and GET /api/me/sign-ins (issue 18): every
 * signed-in user, the operator included, changes their own password and reads their own sign-ins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, createKey, expectProblem, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/me/password and /api/me/sign-ins [${dialect}]`, () => {
    let t: TestGatehouse;
    let a: TestPartner;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-me-password');
      a = await registerPartner(t, 'Alpha University');
    });
    afterAll(() => t?.close());
    const change = (token: string, currentPassword: string, newPassword: string) => api(t, 'POST', '/api/me/password', { token, body: { currentPassword, newPassword } });

    it('a viewer changes their password: 204, the new one signs in, the old one no longer; audited as me.password', async () => {
      const v = await userWithPermissions(t, a, '');
      const token = await accessToken(t, v.email, v.password);
      const r = await change(token, v.password, 'brisk-meadow-lantern-4');
      expect(r.status).toBe(204);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(await accessToken(t, v.email, 'brisk-meadow-lantern-4')).toBeTruthy();
      expect((await api(t, 'POST', '/api/auth/access-token', { body: { username: v.email, password: v.password } })).status).toBe(401);
      expect((await auditRows(t, 'me.password')).at(-1)).toMatchObject({ actor: v.email, outcome: 'success' });
    });

    it('403 WRONG_OLD_PASSWORD for a wrong current password (the token stays good); 400 for the rules and the history', async () => {
      const token = await adminToken(t, a);
      expectProblem(await change(token, 'not-the-password', 'brisk-meadow-lantern-5'), 403, 'WRONG_OLD_PASSWORD');
      expect((await api(t, 'GET', '/api/me', { token })).status).toBe(200);
      expectProblem(await change(token, a.password, 'short'), 400, 'PASSWORD_STRUCTURE_INVALID');
      expectProblem(await change(token, a.password, 'password123'), 400, 'COMMON_PASSWORD');
      expectProblem(await change(token, a.password, a.password), 400, 'PASSWORD_ALREADY_USED');
      expectProblem(await api(t, 'POST', '/api/me/password', { token, body: { currentPassword: a.password } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/me/password', { token, body: { currentPassword: a.password, newPassword: 'x-y-z-w-v-u', extra: 1 } }), 400, 'INVALID_REQUEST');
    });

    it('401 without a token, and for an API key (it has no password of its own)', async () => {
      expectProblem(await change('', a.password, 'brisk-meadow-lantern-6'), 401, 'AUTHENTICATION_REQUIRED');
      const key = await createKey(t, await adminToken(t, a));
      const r = await api(t, 'POST', '/api/me/password', { key, body: { currentPassword: a.password, newPassword: 'brisk-meadow-lantern-6' } });
      expect(r.status).toBe(401);
    });

    it('the password policy for the form', async () => {
      const r = await api(t, 'GET', '/api/me/password-policy', { token: await adminToken(t, a) });
      expect(r.status).toBe(200);
      expect(r.json.data).toMatchObject({ minLength: 8, maxLength: 256 });
      expect(r.json.data.rules).toContain('Must not contain your name or email.');
    });

    it("sign-ins: the caller's own, whatever case they were typed in, failures included; nobody else's", async () => {
      const v = await userWithPermissions(t, a, '');
      await api(t, 'POST', '/api/auth/access-token', { body: { username: v.email.toUpperCase(), password: 'wrong-guess-here' } });
      const token = await accessToken(t, v.email, v.password);
      const r = await api(t, 'GET', '/api/me/sign-ins', { token });
      expect(r.status).toBe(200);
      expect(r.json.data.map((e: any) => [e.action, e.outcome])).toEqual([
        ['auth.accessToken', 'success'],
        ['auth.accessToken', 'failure'],
      ]);
      expect(r.json.data.every((e: any) => e.actor.toLowerCase() === v.email.toLowerCase())).toBe(true);
      expect(r.json.totalCount).toBe(2);
      const paged = await api(t, 'GET', '/api/me/sign-ins', { token, query: { pageSize: '1', page: '2' } });
      expect(paged.json.data.map((e: any) => e.outcome)).toEqual(['failure']);
    });

    // Last: the operator's password stays changed (registerPartner signs in with the old one).
    it('the operator changes theirs too', async () => {
      const token = await accessToken(t, ADMIN_EMAIL, ADMIN_PASSWORD, -2);
      expectStatus(await change(token, ADMIN_PASSWORD, 'violet-Harbor-moon-2'), 204);
      expect(await accessToken(t, ADMIN_EMAIL, 'violet-Harbor-moon-2', -2)).toBeTruthy();
    });
  });
}

function expectStatus(r: { status: number; text: string }, status: number): void {
  expect(r.status, r.text).toBe(status);
}
