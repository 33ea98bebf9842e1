/**
 * Nothing of a single sign-on reaches the logs at debug: not the client secret (registration), not
 * the provider's code or the state (callback), not the console's one-time code (token exchange),
 * not the sign-in cookie, not the access token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { captureLogs } from '../support/logs.js';
import { browse, goodClaims, Jar, startFakeProvider, type FakeProvider } from '../support/oidc.js';
import { adminToken, api } from '../support/rest.js';

describe('single sign-on secrets stay out of the logs', () => {
  const { logger, chunks } = captureLogs('debug');
  let t: TestGatehouse;
  let fake: FakeProvider;
  const clientSecret = 'sso-client-secret-in-logs-check';

  beforeAll(async () => {
    t = await startGatehouse('sqlite', 'sso-logs', { logger });
    fake = await startFakeProvider({ clientId: 'c' });
  });
  afterAll(async () => {
    await fake?.close();
    await t?.close();
  });

  it('registration, start, callback and code exchange log none of their secrets', async () => {
    const partner = await registerPartner(t);
    const token = await adminToken(t, partner);
    const r = await api(t, 'POST', '/api/identity-providers', { token, body: { name: 'Fake', issuer: fake.issuer, clientId: 'c', clientSecret, emailDomains: ['campus.test'] } });
    expect(r.status).toBe(201);
    await api(t, 'POST', '/api/users', { token, body: { id: 'ana', email: 'ana@campus.test', password: 'a-long-enough-password-1', isAdmin: true } });
    fake.next = (nonce) => goodClaims(fake, 'c', nonce, 'ana@campus.test');

    const jar = new Jar();
    const started = await browse(jar, `${t.url}/api/auth/sso/start?provider=${r.json.data.id}`);
    const authorize = new URL(started.headers.get('location') ?? '');
    await fetch(authorize);
    const state = authorize.searchParams.get('state') ?? '';
    const providerCode = 'provider-code-that-must-not-be-logged';
    const back = await browse(jar, `${t.url}/api/auth/sso/callback?code=${providerCode}&state=${state}`);
    const handover = (back.headers.get('location') ?? '').split('#code=')[1] ?? '';
    expect(handover).toHaveLength(64);
    const exchanged = await browse(jar, `${t.url}/api/auth/sso/token`, { json: { code: handover } });
    const accessToken = ((await exchanged.json()) as { data: { access_token: string } }).data.access_token;

    const all = chunks.join('');
    expect(all).toContain('/api/auth/sso/callback');
    for (const secret of [clientSecret, providerCode, state, handover, authorize.searchParams.get('nonce') ?? '', jar.get(t.url, 'gh_sso') ?? 'x'.repeat(64), accessToken]) {
      expect(secret.length).toBeGreaterThan(10);
      expect(all).not.toContain(secret);
    }
  });
});
