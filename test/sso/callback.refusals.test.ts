/**
 * The callback refuses (issue 18's security figure), each its own test: a wrong state, a replayed
 * code, a token for another audience, a wrong nonce, an expired token, an unverified e-mail, an
 * issuer mismatch — plus a state from another browser and an e-mail outside the provider's
 * domains. The ID tokens come from a fake provider that signs what each test crafts (jose); each
 * refusal is a 403 page, an audited failure, and no handover code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { DIALECTS } from '../support/dialects.js';
import { browse, goodClaims, Jar, startFakeProvider, type FakeProvider } from '../support/oidc.js';
import { accessToken, adminToken, api } from '../support/rest.js';

const CLIENT = 'gatehouse-client';
const EMAIL = 'ana@campus.test';

for (const dialect of DIALECTS) {
  describe(`callback refusals [${dialect}]`, () => {
    let t: TestGatehouse;
    let fake: FakeProvider;
    let providerId: number;
    let partnerId: number;
    let jar: Jar;

    /** Starts a sign-in in `jar`'s browser: the state and nonce the provider was sent. */
    async function start(): Promise<{ state: string; nonce: string }> {
      const r = await browse(jar, `${t.url}/api/auth/sso/start?provider=${providerId}`);
      expect(r.status).toBe(302);
      const url = new URL(r.headers.get('location') ?? '');
      // The fake learns the nonce as a provider would, from the authorization request.
      await fetch(url);
      return { state: url.searchParams.get('state') ?? '', nonce: url.searchParams.get('nonce') ?? '' };
    }

    const callback = (state: string, code = 'code-1', b = jar) => browse(b, `${t.url}/api/auth/sso/callback?code=${code}&state=${encodeURIComponent(state)}`);

    /** A refused callback: the page, and the audit event's reason. */
    async function expectRefused(res: Response, reason: string): Promise<void> {
      expect(res.status).toBe(403);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('Sign-in refused');
      const last = await t.store.db.selectFrom('audit_log').select(['outcome', 'detail']).where('action', '=', 'auth.sso').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(last.outcome).toBe('failure');
      expect((JSON.parse(String(last.detail)) as { reason: string }).reason).toContain(reason);
    }

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'sso-refusals');
      fake = await startFakeProvider({ clientId: CLIENT });
      const partner = await registerPartner(t);
      partnerId = partner.id;
      const token = await adminToken(t, partner);
      const r = await api(t, 'POST', '/api/identity-providers', { token, body: { name: 'Fake', issuer: fake.issuer, clientId: CLIENT, clientSecret: 'fake-client-secret', emailDomains: ['campus.test'] } });
      expect(r.status).toBe(201);
      providerId = r.json.data.id;
      expect((await api(t, 'POST', '/api/users', { token, body: { id: 'ana', email: EMAIL, password: 'a-long-enough-password-1', isAdmin: true } })).status).toBe(201);
    });
    beforeEach(() => {
      jar = new Jar();
      fake.next = (nonce) => goodClaims(fake, CLIENT, nonce, EMAIL);
    });
    afterAll(async () => {
      await fake?.close();
      await t?.close();
    });

    it('accepts the good token (the baseline the refusals differ from)', async () => {
      const { state } = await start();
      const res = await callback(state);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toMatch(new RegExp(`^${t.url}/console/sso#code=[0-9a-f]{64}$`));
    });

    it('refuses a wrong state, without calling the token endpoint', async () => {
      await start();
      const before = fake.tokenRequests.length;
      await expectRefused(await callback('a-state-gatehouse-never-issued'), 'unknown, expired or used state');
      expect(fake.tokenRequests.length).toBe(before);
    });

    it('refuses a replayed code (the state it came with is used up)', async () => {
      const { state } = await start();
      expect((await callback(state, 'code-once')).status).toBe(302);
      const before = fake.tokenRequests.length;
      await expectRefused(await callback(state, 'code-once'), 'unknown, expired or used state');
      expect(fake.tokenRequests.length).toBe(before);
    });

    it('refuses a token for another audience', async () => {
      const { state } = await start();
      fake.next = (nonce) => ({ ...goodClaims(fake, CLIENT, nonce, EMAIL), aud: 'another-client' });
      await expectRefused(await callback(state), 'unexpected JWT "aud" (audience) claim value');
    });

    it('refuses a wrong nonce', async () => {
      const { state } = await start();
      fake.next = () => goodClaims(fake, CLIENT, 'a-nonce-of-another-sign-in', EMAIL);
      await expectRefused(await callback(state), '"nonce"');
    });

    it('refuses an expired token', async () => {
      const { state } = await start();
      const now = Math.floor(Date.now() / 1000);
      fake.next = (nonce) => ({ ...goodClaims(fake, CLIENT, nonce, EMAIL), iat: now - 3600, exp: now - 1800 });
      await expectRefused(await callback(state), '"exp"');
    });

    it('refuses an unverified e-mail', async () => {
      const { state } = await start();
      fake.next = (nonce) => ({ ...goodClaims(fake, CLIENT, nonce, EMAIL), email_verified: false });
      await expectRefused(await callback(state), 'e-mail not verified');
    });

    it('refuses an issuer mismatch', async () => {
      const { state } = await start();
      fake.next = (nonce) => ({ ...goodClaims(fake, CLIENT, nonce, EMAIL), iss: 'https://idp.attacker.test' });
      await expectRefused(await callback(state), '"iss"');
    });

    it('refuses a state started in another browser (login CSRF)', async () => {
      const { state } = await start();
      await expectRefused(await callback(state, 'code-1', new Jar()), 'state from another browser');
    });

    it("refuses an e-mail outside the provider's domains, even verified", async () => {
      const { state } = await start();
      fake.next = (nonce) => goodClaims(fake, CLIENT, nonce, 'ana@elsewhere.test');
      await expectRefused(await callback(state), 'e-mail domain not served by this provider');
    });

    it('refuses a sign-in into a partner blocked since it started', async () => {
      const { state } = await start();
      const op = await accessToken(t, 'operator@gatehouse.test', 'operator-Password-1', -2);
      expect((await api(t, 'PATCH', `/api/partners/${partnerId}`, { token: op, body: { status: 'blocked' } })).status).toBe(200);
      try {
        await expectRefused(await callback(state), 'partner blocked');
      } finally {
        await api(t, 'PATCH', `/api/partners/${partnerId}`, { token: op, body: { status: 'active' } });
      }
    });
  });
}
