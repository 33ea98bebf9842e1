/**
 * The whole authorization code flow against a real OpenID provider (oidc-provider on loopback),
 * over HTTP as a browser makes it: Gatehouse's start → the provider's login and consent → the
 * callback → the console's one-time code → the same access token a password sign-in gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, kaltura, registerPartner, run, adminKs, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { DIALECTS } from '../support/dialects.js';
import { browse, Jar, signInAtProvider, startRealProvider, type RealProvider } from '../support/oidc.js';
import { adminToken, api, expectProblem } from '../support/rest.js';

const secret = 'a-client-secret-for-the-code-flow';

for (const dialect of DIALECTS) {
  describe(`single sign-on code flow [${dialect}]`, () => {
    let t: TestGatehouse;
    let idp: RealProvider;
    let partner: TestPartner;
    let providerId: number;

    /** Start at Gatehouse, sign in at the provider as `account`; the callback's answer. */
    async function signIn(jar: Jar, account: string, start = `/api/auth/sso/start?provider=${providerId}`): Promise<{ callbackUrl: string; answer: Response }> {
      const started = await browse(jar, `${t.url}${start}`);
      expect(started.status).toBe(302);
      const authorize = new URL(started.headers.get('location') ?? '');
      expect(authorize.origin).toBe(idp.issuer);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      for (const p of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(p)?.length).toBeGreaterThanOrEqual(22);
      const callbackUrl = await signInAtProvider(jar, authorize.href, account, `${t.url}/api/auth/sso/callback`);
      return { callbackUrl, answer: await browse(jar, callbackUrl) };
    }

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'sso-flow');
      idp = await startRealProvider({
        clientId: 'gatehouse',
        clientSecret: secret,
        redirectUri: `${t.url}/api/auth/sso/callback`,
        accounts: { ana: { email: 'Ana@Campus.test', emailVerified: true }, stranger: { email: 'nobody@campus.test', emailVerified: true }, newbie: { email: 'newbie@staff.test', emailVerified: true } },
      });
      partner = await registerPartner(t);
      const token = await adminToken(t, partner);
      const r = await api(t, 'POST', '/api/identity-providers', { token, body: { name: 'Campus login', issuer: idp.issuer, clientId: 'gatehouse', clientSecret: secret, emailDomains: ['campus.test'] } });
      expect(r.status).toBe(201);
      providerId = r.json.data.id;
      const users = await api(t, 'POST', '/api/users', { token, body: { id: 'ana', email: 'ana@campus.test', password: 'a-long-enough-password-1', isAdmin: true } });
      expect(users.status).toBe(201);
    });
    afterAll(async () => {
      await idp?.close();
      await t?.close();
    });

    it('signs the console in as the user whose login is the verified e-mail; the handover code works once, in that browser', async () => {
      const jar = new Jar();
      const { answer, callbackUrl } = await signIn(jar, 'ana');
      expect(answer.status).toBe(302);
      const location = answer.headers.get('location') ?? '';
      expect(location).toBe(`${t.url}/console/sso#code=${location.split('#code=')[1] ?? ''}`);
      expect(location).toMatch(/#code=[0-9a-f]{64}$/);
      const code = location.split('#code=')[1] ?? '';
      // Another browser (no sign-in cookie) cannot use the code.
      expectProblem(await api(t, 'POST', '/api/auth/sso/token', { body: { code } }), 401, 'SSO_CODE_INVALID');
      // It was taken by that attempt: a code is tried once, whoever tries it.
      const again = await signIn(jar, 'ana');
      const code2 = (again.answer.headers.get('location') ?? '').split('#code=')[1] ?? '';
      const exchanged = await browse(jar, `${t.url}/api/auth/sso/token`, { json: { code: code2 } });
      expect(exchanged.status).toBe(200);
      const body = (await exchanged.json()) as { data: { access_token: string; token_type: string; expires_in: number } };
      expect(body.data).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      const me = await api(t, 'GET', '/api/me', { token: body.data.access_token });
      expect(me.json.data.user).toMatchObject({ id: 'ana', email: 'ana@campus.test' });
      expect(me.json.data.partner.id).toBe(partner.id);
      expect((await browse(jar, `${t.url}/api/auth/sso/token`, { json: { code: code2 } })).status).toBe(401);

      // Replayed: the same callback URL (state and code) again is refused, and signs no one in.
      const replay = await browse(jar, callbackUrl);
      expect(replay.status).toBe(403);
      expect(await replay.text()).toContain('Sign-in refused');
      const audit = await t.store.db.selectFrom('audit_log').select(['outcome', 'detail', 'actor']).where('action', '=', 'auth.sso').orderBy('id').execute();
      expect(audit.map((a) => a.outcome)).toEqual(['success', 'success', 'failure']);
      expect(audit[2]?.detail).toContain('unknown, expired or used state');
    });

    it('replaying the provider\'s code with a fresh state is refused by the provider (no second sign-in)', async () => {
      const jar = new Jar();
      const first = await signIn(jar, 'ana');
      expect(first.answer.status).toBe(302);
      const code = new URL(first.callbackUrl).searchParams.get('code') ?? '';
      // A new sign-in in the same browser, answered with the old code.
      const started = await browse(jar, `${t.url}/api/auth/sso/start?provider=${providerId}`);
      const state = new URL(started.headers.get('location') ?? '').searchParams.get('state') ?? '';
      const replay = await browse(jar, `${t.url}/api/auth/sso/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(idp.issuer)}`);
      expect(replay.status).toBe(403);
      const last = await t.store.db.selectFrom('audit_log').select(['outcome', 'detail']).where('action', '=', 'auth.sso').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(last.outcome).toBe('failure');
      expect(last.detail).toContain('token refused');
    });

    it('a verified e-mail with no user in the partner gets a clear page, and nothing is created', async () => {
      const before = await t.store.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const { answer } = await signIn(new Jar(), 'stranger');
      expect(answer.status).toBe(403);
      expect(answer.headers.get('content-type')).toContain('text/html');
      expect(answer.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(await answer.text()).toContain('There is no account for nobody@campus.test here');
      const after = await t.store.db.selectFrom('users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('a provider with createUsers and a role creates the user at first sign-in', async () => {
      const ks = await adminKs(t, partner);
      const role = await run(client(t, ks), kaltura.services.userRole.add(new kaltura.objects.UserRole({ name: 'sso staff', permissionNames: 'KMC_ACCESS,ADMIN_BASE', status: 1 })));
      const token = await adminToken(t, partner);
      const r = await api(t, 'POST', '/api/identity-providers', { token, body: { name: 'Staff', issuer: idp.issuer, clientId: 'gatehouse', clientSecret: secret, emailDomains: ['staff.test'], createUsers: true, roleId: role.id } });
      expect(r.status).toBe(201);
      const jar = new Jar();
      const { answer } = await signIn(jar, 'newbie', `/api/auth/sso/start?email=${encodeURIComponent('newbie@staff.test')}`);
      expect(answer.status).toBe(302);
      const code = (answer.headers.get('location') ?? '').split('#code=')[1] ?? '';
      const exchanged = (await (await browse(jar, `${t.url}/api/auth/sso/token`, { json: { code } })).json()) as { data: { access_token: string } };
      const me = await api(t, 'GET', '/api/me', { token: exchanged.data.access_token });
      expect(me.json.data.user).toMatchObject({ id: 'newbie@staff.test', email: 'newbie@staff.test', isAdmin: true, roleId: role.id });
    });

    it('the console\'s lookup names the provider of a domain and nothing about users', async () => {
      const known = await api(t, 'GET', '/api/auth/sso/providers', { query: { email: 'whoever@campus.test' } });
      expect(known.json.data).toEqual({ provider: { id: providerId, name: 'Campus login' }, passwordSignIn: true });
      const unknown = await api(t, 'GET', '/api/auth/sso/providers', { query: { email: 'ana@elsewhere.test' } });
      expect(unknown.json.data).toEqual({ provider: null, passwordSignIn: true });
      const notFound = await browse(new Jar(), `${t.url}/api/auth/sso/start?email=x@elsewhere.test`);
      expect(notFound.status).toBe(404);
      expect(await notFound.text()).toContain('No identity provider is set up');
    });
  });
}
