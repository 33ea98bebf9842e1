/**
 * blockDirectLogin (set by the operator) on both doors, isSsoExcluded through the Kaltura user
 * object and REST users, and sso.login through the official client — SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { DIALECTS } from '../support/dialects.js';
import { startFakeProvider, type FakeProvider } from '../support/oidc.js';
import { accessToken, adminToken, api, expectProblem } from '../support/rest.js';

const PASSWORD = 'a-long-enough-password-7';

for (const dialect of DIALECTS) {
  describe(`blockDirectLogin and sso.login [${dialect}]`, () => {
    let t: TestGatehouse;
    let fake: FakeProvider;
    let partner: TestPartner;
    let op: string;
    let providerId: number;

    const kalturaLogin = (loginId: string) => kaltura.services.user.loginByLoginId(loginId, PASSWORD, partner.id);
    const restLogin = (username: string) => api(t, 'POST', '/api/auth/access-token', { body: { username, password: PASSWORD, partnerId: partner.id } });

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'sso-direct');
      fake = await startFakeProvider({ clientId: 'c' });
      partner = await registerPartner(t);
      op = await accessToken(t, 'operator@gatehouse.test', 'operator-Password-1', -2);
      const token = await adminToken(t, partner);
      const r = await api(t, 'POST', '/api/identity-providers', { token, body: { name: 'Campus', issuer: fake.issuer, clientId: 'c', clientSecret: 'fake-secret', emailDomains: ['campus.test'] } });
      expect(r.status).toBe(201);
      providerId = r.json.data.id;
      // ana through REST users, bob (excluded from single sign-on) through the Kaltura door.
      expect((await api(t, 'POST', '/api/users', { token, body: { id: 'ana', email: 'ana@campus.test', password: PASSWORD, isAdmin: true } })).status).toBe(201);
      const ks = await adminKs(t, partner);
      const bob = await run(client(t, ks), kaltura.services.user.add(new kaltura.objects.User({ id: 'bob', email: 'bob@campus.test', password: PASSWORD, isAdmin: true, isSsoExcluded: true })));
      expect(bob.isSsoExcluded).toBe(true);
    });
    afterAll(async () => {
      await fake?.close();
      await t?.close();
    });

    it('is an operator setting: the partner administrator may not set it', async () => {
      const own = await api(t, 'PATCH', `/api/partners/${partner.id}`, { token: await adminToken(t, partner), body: { settings: { blockDirectLogin: true } } });
      expectProblem(own, 403, 'PERMISSION_REQUIRED');
      const set = await api(t, 'PATCH', `/api/partners/${partner.id}`, { token: op, body: { settings: { blockDirectLogin: true } } });
      expect(set.status).toBe(200);
      expect(set.json.data.settings.blockDirectLogin).toBe(true);
    });

    it('user.loginByLoginId answers DIRECT_LOGIN_BLOCKED, but for an isSsoExcluded user', async () => {
      const e = await failure(client(t), kalturaLogin('ana@campus.test'));
      expect(e).toMatchObject({ code: 'DIRECT_LOGIN_BLOCKED', message: 'Direct login is blocked on this partner' });
      expect(typeof (await run(client(t), kalturaLogin('bob@campus.test')))).toBe('string');
      // A wrong password still reads as one: the block is only told after the right password.
      const wrong = await failure(client(t), kaltura.services.user.loginByLoginId('ana@campus.test', 'not-the-password', partner.id));
      expect(wrong.code).toBe('USER_WRONG_PASSWORD');
    });

    it('POST /api/auth/access-token answers 403 DIRECT_LOGIN_BLOCKED, but for an isSsoExcluded user', async () => {
      expectProblem(await restLogin('ana@campus.test'), 403, 'DIRECT_LOGIN_BLOCKED');
      expect((await restLogin('bob@campus.test')).status).toBe(200);
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: 'ana@campus.test', password: 'wrong-password-x', partnerId: partner.id } }), 401, 'INVALID_CREDENTIALS');
    });

    it('isSsoExcluded is a REST user field too, and lifts the block at once', async () => {
      const token = await restToken('bob@campus.test');
      const patched = await api(t, 'PATCH', '/api/users/ana', { token, body: { isSsoExcluded: true } });
      expect(patched.status).toBe(200);
      expect(patched.json.data.isSsoExcluded).toBe(true);
      expect((await restLogin('ana@campus.test')).status).toBe(200);
      const ks = await adminKs(t, partner);
      expect((await run(client(t, ks), kaltura.services.user.get('ana'))).isSsoExcluded).toBe(true);
      await api(t, 'PATCH', '/api/users/ana', { token, body: { isSsoExcluded: false } });
      expectProblem(await restLogin('ana@campus.test'), 403, 'DIRECT_LOGIN_BLOCKED');
    });

    it("the console's lookup says password sign-in is off for the partner's domain", async () => {
      const r = await api(t, 'GET', '/api/auth/sso/providers', { query: { email: 'ana@campus.test' } });
      expect(r.json.data).toEqual({ provider: { id: providerId, name: 'Campus' }, passwordSignIn: false });
    });

    it('sso.login (service sso_sso) answers the URL where the user signs in; SSO_NOT_FOUND without a provider', async () => {
      const url = await run(client(t), kaltura.services.sso.login('ana@campus.test', 'kmc', partner.id));
      expect(url).toBe(`${t.url}/api/auth/sso/start?provider=${providerId}&email=ana%40campus.test`);
      // Without a partner: the domain alone picks the provider.
      expect(await run(client(t), kaltura.services.sso.login('someone@campus.test', 'kmc'))).toBe(url.replace('ana%40', 'someone%40'));
      const started = await fetch(url, { redirect: 'manual' });
      expect(started.status).toBe(302);
      expect(started.headers.get('location')).toContain(`${fake.issuer}/authorize?`);
      // SSO_NOT_FOUND has no message on the real server ("SSO_NOT_FOUND;;"), and the official
      // client hands an exception without a message back as the result instead of throwing it.
      expect(await run(client(t), kaltura.services.sso.login('ana@elsewhere.test', 'kmc', partner.id))).toMatchObject({ objectType: 'KalturaAPIException', code: 'SSO_NOT_FOUND', message: '' });
      const other = await registerPartner(t, 'No SSO University');
      expect(await run(client(t), kaltura.services.sso.login(null, 'kmc', other.id))).toMatchObject({ code: 'SSO_NOT_FOUND' });
      expect(await run(client(t), kaltura.services.sso.login(null, 'kmc', partner.id))).toBe(`${t.url}/api/auth/sso/start?provider=${providerId}`);
    });

    async function restToken(username: string): Promise<string> {
      const r = await restLogin(username);
      if (r.status !== 200) throw new Error(r.text);
      return r.json.data.access_token as string;
    }
  });
}
