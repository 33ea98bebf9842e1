/** `/api/identity-providers` on SQLite and PostgreSQL: CRUD, the discovery check on save, the secret never answered. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { DIALECTS } from '../support/dialects.js';
import { startRealProvider, type RealProvider } from '../support/oidc.js';
import { adminToken, api, expectProblem, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`identity providers [${dialect}]`, () => {
    let t: TestGatehouse;
    let idp: RealProvider;
    let partner: TestPartner;
    let token: string;
    const secret = 'client-secret-never-answered-42';
    const body = () => ({ name: 'Campus login', issuer: idp.issuer, clientId: 'gatehouse', clientSecret: secret, emailDomains: ['Campus.Test', '@staff.campus.test'] });

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'sso-idps');
      idp = await startRealProvider({ clientId: 'gatehouse', clientSecret: secret, redirectUri: `${t.url}/api/auth/sso/callback`, accounts: {} });
      partner = await registerPartner(t);
      token = await adminToken(t, partner);
    });
    afterAll(async () => {
      await idp?.close();
      await t?.close();
    });

    it('registers a provider after reading its discovery document; the secret is sealed and never answered', async () => {
      const r = await api(t, 'POST', '/api/identity-providers', { token, body: body() });
      expect(r.status).toBe(201);
      expect(r.json.data).toMatchObject({ name: 'Campus login', issuer: idp.issuer, clientId: 'gatehouse', emailDomains: ['campus.test', 'staff.campus.test'], scopes: ['openid', 'email', 'profile'], enabled: true, createUsers: false, roleId: null, tokenEndpointAuthMethod: 'client_secret_basic', redirectUri: `${t.url}/api/auth/sso/callback` });
      expect(r.text).not.toContain(secret);
      const id = r.json.data.id as number;
      const list = await api(t, 'GET', '/api/identity-providers', { token });
      expect(list.json.data.map((p: { id: number }) => p.id)).toEqual([id]);
      expect(list.text).not.toContain(secret);
      const row = await t.store.db.selectFrom('identity_providers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.client_secret_enc).not.toContain(secret);

      const patched = await api(t, 'PATCH', `/api/identity-providers/${id}`, { token, body: { name: 'Campus SSO', enabled: false } });
      expect(patched.status).toBe(200);
      expect(patched.json.data).toMatchObject({ name: 'Campus SSO', enabled: false });
      expect((await api(t, 'GET', `/api/identity-providers/${id}`, { token })).json.data.name).toBe('Campus SSO');
      expect((await api(t, 'DELETE', `/api/identity-providers/${id}`, { token })).status).toBe(204);
      expectProblem(await api(t, 'GET', `/api/identity-providers/${id}`, { token }), 404, 'IDENTITY_PROVIDER_NOT_FOUND');
      const audit = await t.store.db.selectFrom('audit_log').select(['action', 'detail']).where('action', 'like', 'identityProvider.%').execute();
      expect(audit.map((a) => a.action)).toEqual(['identityProvider.add', 'identityProvider.update', 'identityProvider.delete']);
      expect(JSON.stringify(audit)).not.toContain(secret);
    });

    it('refuses an unreachable issuer, one that is not OpenID Connect, and a non-https one (400)', async () => {
      const unreachable = await api(t, 'POST', '/api/identity-providers', { token, body: { ...body(), issuer: 'http://127.0.0.1:9' } });
      expectProblem(unreachable, 400, 'IDENTITY_PROVIDER_INVALID');
      expect(unreachable.json.detail).toContain('discovery document');
      // Gatehouse itself answers, but not with a discovery document.
      expectProblem(await api(t, 'POST', '/api/identity-providers', { token, body: { ...body(), issuer: t.url } }), 400, 'IDENTITY_PROVIDER_INVALID');
      const plain = await api(t, 'POST', '/api/identity-providers', { token, body: { ...body(), issuer: 'http://idp.example.edu' } });
      expectProblem(plain, 400, 'IDENTITY_PROVIDER_INVALID');
      expect(plain.json.detail).toContain('https');
      expectProblem(await api(t, 'POST', '/api/identity-providers', { token, body: { ...body(), emailDomains: ['not a domain'] } }), 400, 'IDENTITY_PROVIDER_INVALID');
      expectProblem(await api(t, 'POST', '/api/identity-providers', { token, body: { ...body(), createUsers: true } }), 400, 'IDENTITY_PROVIDER_INVALID');
      expectProblem(await api(t, 'POST', '/api/identity-providers', { token, body: { ...body(), clientSecret: undefined } }), 400, 'INVALID_REQUEST');
    });

    it('a domain belongs to one enabled provider of the partner (409); another partner cannot see or change it (404)', async () => {
      const first = await api(t, 'POST', '/api/identity-providers', { token, body: { ...body(), emailDomains: ['unique.test'] } });
      expect(first.status).toBe(201);
      expectProblem(await api(t, 'POST', '/api/identity-providers', { token, body: { ...body(), emailDomains: ['unique.test'] } }), 409, 'EMAIL_DOMAIN_TAKEN');
      const other = await registerPartner(t, 'Other University');
      const otherToken = await adminToken(t, other);
      expectProblem(await api(t, 'GET', `/api/identity-providers/${first.json.data.id}`, { token: otherToken }), 404, 'IDENTITY_PROVIDER_NOT_FOUND');
      expectProblem(await api(t, 'PATCH', `/api/identity-providers/${first.json.data.id}`, { token: otherToken, body: { enabled: false } }), 404, 'IDENTITY_PROVIDER_NOT_FOUND');
      expectProblem(await api(t, 'DELETE', `/api/identity-providers/${first.json.data.id}`, { token: otherToken }), 404, 'IDENTITY_PROVIDER_NOT_FOUND');
      expect((await api(t, 'GET', '/api/identity-providers', { token: otherToken })).json.data).toEqual([]);
    });

    it('needs SSO_MANAGE (a Manager-like role without it gets 403)', async () => {
      const u = await userWithPermissions(t, partner, 'ADMIN_BASE,ADMIN_USER_ADD');
      const r = await api(t, 'POST', '/api/auth/access-token', { body: { username: u.email, password: u.password } });
      expectProblem(await api(t, 'GET', '/api/identity-providers', { token: r.json.data.access_token }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'GET', '/api/identity-providers'), 401, 'AUTHENTICATION_REQUIRED');
    });
  });
}
