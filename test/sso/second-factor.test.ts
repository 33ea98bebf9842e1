/**
 * Single sign-on and two-factor codes (issue 18): the provider proves who signs in, not a second
 * factor. A login that set codes up is asked for its code at the console's exchange (OTP_REQUIRED,
 * INVALID_OTP counted on the lockout, the same handover code good for 5 codes); a login whose
 * partner requires codes and has none is taken to enrolment; a provider marked trustProviderMfa
 * whose ID token asserts MFA (amr mfa/otp, REFEDS MFA acr) stands in for the code — an untrusted
 * provider's assertion does not. ID tokens from the fake provider, which signs what each test crafts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, operatorToken } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { browse, goodClaims, Jar, startFakeProvider, type FakeProvider } from '../support/oidc.js';
import { accessToken, adminToken, api, expectProblem, type RestResponse } from '../support/rest.js';
import { codeFor, enrol, nextStep, wrongCode } from '../support/two-factor.js';

const CLIENT = 'gatehouse-client';
const PASSWORD = 'a-long-enough-password-1';

for (const dialect of DIALECTS) {
  describe(`single sign-on and two-factor codes [${dialect}]`, () => {
    let t: TestGatehouse;
    let fake: FakeProvider;
    let p: TestPartner;
    let token: string;
    let providerId: number;

    /** Signs `email` in at the fake (with `extra` claims in its ID token); the browser and its handover code. */
    async function provider(email: string, extra: Record<string, unknown> = {}, id = providerId): Promise<{ jar: Jar; code: string }> {
      const jar = new Jar();
      const started = await browse(jar, `${t.url}/api/auth/sso/start?provider=${id}`);
      expect(started.status).toBe(302);
      const url = new URL(started.headers.get('location') ?? '');
      await fetch(url);
      fake.next = (nonce) => ({ ...goodClaims(fake, CLIENT, nonce, email), ...extra });
      const back = await browse(jar, `${t.url}/api/auth/sso/callback?code=c-${Math.random()}&state=${encodeURIComponent(url.searchParams.get('state') ?? '')}`);
      expect(back.status).toBe(302);
      return { jar, code: (back.headers.get('location') ?? '').split('#code=')[1] ?? '' };
    }
    const exchange = async (jar: Jar, code: string, otp?: string): Promise<RestResponse> => {
      const r = await browse(jar, `${t.url}/api/auth/sso/token`, { json: { code, ...(otp !== undefined ? { otp } : {}) } });
      const text = await r.text();
      return { status: r.status, headers: r.headers, text, json: JSON.parse(text) };
    };
    const addUser = async (id: string, partnerToken = token) => {
      const email = `${id}@campus.test`;
      const r = await api(t, 'POST', '/api/users', { token: partnerToken, body: { id, email, password: PASSWORD, isAdmin: true } });
      expect(r.status, r.text).toBe(201);
      return email;
    };
    const registerProvider = async (partnerToken: string, body: Record<string, unknown>) => {
      const r = await api(t, 'POST', '/api/identity-providers', { token: partnerToken, body: { issuer: fake.issuer, clientId: CLIENT, clientSecret: 'fake-client-secret', ...body } });
      expect(r.status, r.text).toBe(201);
      return r.json.data as { id: number; trustProviderMfa: boolean };
    };

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'sso-two-factor', { env: { GATEHOUSE_LOGIN_THROTTLE: '0' } });
      fake = await startFakeProvider({ clientId: CLIENT });
      p = await registerPartner(t);
      token = await adminToken(t, p);
      const registered = await registerProvider(token, { name: 'Campus', emailDomains: ['campus.test'] });
      expect(registered.trustProviderMfa).toBe(false);
      providerId = registered.id;
    });
    afterAll(async () => {
      await fake?.close();
      await t?.close();
    });

    it('a login with codes set up owes its code after the provider: OTP_REQUIRED, INVALID_OTP, then the token; the handover code then is spent', async () => {
      const email = await addUser('ana');
      const { secret } = await enrol(t, await accessToken(t, email, PASSWORD));
      const { jar, code } = await provider(email);
      expectProblem(await exchange(jar, code), 401, 'OTP_REQUIRED');
      expectProblem(await exchange(jar, code, wrongCode(t, secret)), 401, 'INVALID_OTP');
      const ok = await exchange(jar, code, codeFor(t, secret));
      expect(ok.status).toBe(200);
      expect((await api(t, 'GET', '/api/me', { token: ok.json.data.access_token })).json.data.user.id).toBe('ana');
      expectProblem(await exchange(jar, code, codeFor(t, secret)), 401, 'SSO_CODE_INVALID');
      // In the code step too, the code works only in the browser that signed in: another's try ends it.
      nextStep(t);
      const other = await provider(email);
      expectProblem(await exchange(other.jar, other.code), 401, 'OTP_REQUIRED');
      expectProblem(await exchange(new Jar(), other.code, codeFor(t, secret)), 401, 'SSO_CODE_INVALID');
      expectProblem(await exchange(other.jar, other.code, codeFor(t, secret)), 401, 'SSO_CODE_INVALID');
      const rows = await auditRows(t, 'auth.sso.token');
      expect(rows.map((r) => [r.outcome, JSON.parse(r.detail)])).toEqual([
        ['failure', { reason: 'wrong code' }],
        ['success', { secondFactor: 'totp' }],
      ]);
      // Listed with the person's own sign-ins.
      const mine = await api(t, 'GET', '/api/me/sign-ins', { token: ok.json.data.access_token });
      expect(mine.json.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['auth.sso', 'auth.sso.token']));
    });

    it('wrong codes after the provider are counted on the lockout, and the code step ends after five', async () => {
      const email = await addUser('bo');
      const { secret } = await enrol(t, await accessToken(t, email, PASSWORD));
      const { jar, code } = await provider(email);
      expectProblem(await exchange(jar, code), 401, 'OTP_REQUIRED');
      for (let i = 0; i < 4; i++) expectProblem(await exchange(jar, code, wrongCode(t, secret)), 401, 'INVALID_OTP');
      // The fifth wrong code locks the login (the partner's 5 attempts) and ends the step.
      expectProblem(await exchange(jar, code, wrongCode(t, secret)), 401, 'INVALID_OTP');
      expectProblem(await exchange(jar, code, codeFor(t, secret)), 401, 'SSO_CODE_INVALID');
      // Locked: the right password and code are refused too, and a new sign-in's code step says so.
      nextStep(t);
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: email, password: PASSWORD, otp: codeFor(t, secret) } }), 401, 'INVALID_CREDENTIALS');
      const again = await provider(email);
      expectProblem(await exchange(again.jar, again.code, codeFor(t, secret)), 429, 'LOGIN_BLOCKED');
    });

    it("a partner that requires codes sends a login without them to enrolment after the provider, as after a password", async () => {
      const other = await registerPartner(t, 'Requires Codes University');
      const otherToken = await adminToken(t, other);
      const op = await operatorToken(t);
      expect((await api(t, 'PATCH', `/api/partners/${other.id}`, { token: op, body: { settings: { twoFactor: 'all' } } })).status).toBe(200);
      const id = (await registerProvider(otherToken, { name: 'Other campus', emailDomains: ['other.test'] })).id;
      const r = await api(t, 'POST', '/api/users', { token: otherToken, body: { id: 'cy', email: 'cy@other.test', password: PASSWORD, isAdmin: true } });
      expect(r.status, r.text).toBe(201);
      const { jar, code } = await provider('cy@other.test', {}, id);
      const answer = await exchange(jar, code);
      expect(answer.status).toBe(200);
      expect(answer.json.data).toMatchObject({ two_factor_enrolment_required: true, token_type: 'Bearer' });
      expect(answer.json.data).not.toHaveProperty('access_token');
      const enrolment = answer.json.data.enrolment_token as string;
      expect((await api(t, 'GET', '/api/me', { token: enrolment })).status).toBe(401);
      const started = await api(t, 'POST', '/api/me/two-factor', { token: enrolment });
      expect(started.status).toBe(200);
      const confirmed = await api(t, 'POST', '/api/me/two-factor/confirm', { token: enrolment, body: { code: codeFor(t, started.json.data.secret) } });
      expect(confirmed.status).toBe(200);
      expect((await api(t, 'GET', '/api/me', { token: confirmed.json.data.access_token })).json.data.user.id).toBe('cy');
    });

    it('a provider trusted for MFA whose ID token asserts it stands in for the code; without the assertion, or untrusted, the code is still asked', async () => {
      const email = await addUser('di');
      await enrol(t, await accessToken(t, email, PASSWORD));
      // Untrusted: the provider's amr is worth nothing.
      let step = await provider(email, { amr: ['pwd', 'mfa'] });
      expectProblem(await exchange(step.jar, step.code), 401, 'OTP_REQUIRED');

      const patched = await api(t, 'PATCH', `/api/identity-providers/${providerId}`, { token, body: { trustProviderMfa: true } });
      expect(patched.status, patched.text).toBe(200);
      expect(patched.json.data.trustProviderMfa).toBe(true);
      // Trusted, but this sign-in did not assert MFA (a password only at the provider).
      step = await provider(email, { amr: ['pwd'] });
      expectProblem(await exchange(step.jar, step.code), 401, 'OTP_REQUIRED');
      // Trusted and asserted: amr mfa, or REFEDS MFA as acr.
      for (const extra of [{ amr: ['pwd', 'mfa'] }, { acr: 'https://refeds.org/profile/mfa' }]) {
        step = await provider(email, extra);
        const ok = await exchange(step.jar, step.code);
        expect(ok.status).toBe(200);
        expect(ok.json.data.access_token).toBeTypeOf('string');
      }
      const last = (await auditRows(t, 'auth.sso.token')).at(-1);
      expect(JSON.parse(last?.detail ?? '{}')).toEqual({ secondFactor: 'provider' });
      expect((await api(t, 'PATCH', `/api/identity-providers/${providerId}`, { token, body: { trustProviderMfa: false } })).json.data.trustProviderMfa).toBe(false);
    });

    it('a login that needs no code signs in with the provider alone', async () => {
      const email = await addUser('eve');
      const { jar, code } = await provider(email);
      const ok = await exchange(jar, code);
      expect(ok.status).toBe(200);
      expect(JSON.parse((await auditRows(t, 'auth.sso.token')).at(-1)?.detail ?? '{}')).toEqual({ secondFactor: 'none' });
    });
  });
}
