/**
 * Single sign-on in the console, end to end in Chromium against a real Gatehouse (SQLite) and a
 * real OpenID provider (oidc-provider on loopback): a partner administrator registers the
 * provider on the "Single sign-on" page (which shows the redirect URI), a user typing an e-mail of
 * its domain gets "Sign in with …", signs in at the provider and lands in the console as herself;
 * a login with two-factor codes is asked for its code after the provider, one its partner requires
 * codes of is taken to enrolment; with blockDirectLogin
 * the sign-in page offers only the provider. WCAG 2.1 AA on each page.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { startRealProvider, type RealProvider } from '../support/oidc.js';
import { accessToken, adminToken, api } from '../support/rest.js';
import { codeFor, enrol, wrongCode } from '../support/two-factor.js';
import { accessibilityViolations, CHROMIUM, consoleSignIn, consoleSignOut, ensureConsoleBuilt, openBrowser, screenshot, type Browser } from './support.js';

const skip = !existsSync(CHROMIUM) && !process.env.CI;
const SECRET = 'e2e-client-secret-0123456789';

describe.skipIf(skip)('console: single sign-on (Chromium)', () => {
  let t: TestGatehouse;
  let idp: RealProvider;
  let p: TestPartner;
  let b: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startGatehouse('sqlite', 'e2e-sso');
    idp = await startRealProvider({ clientId: 'console-e2e', clientSecret: SECRET, redirectUri: `${t.url}/api/auth/sso/callback`, accounts: { ana: { email: 'ana@campus.test', emailVerified: true }, bea: { email: 'bea@campus.test', emailVerified: true } } });
    p = await registerPartner(t, 'Campus University');
    const token = await adminToken(t, p);
    expect((await api(t, 'POST', '/api/users', { token, body: { id: 'ana', email: 'ana@campus.test', firstName: 'Ana', screenName: 'Ana Lecturer', password: 'a-long-enough-password-1', isAdmin: true } })).status).toBe(201);
    b = await openBrowser();
    page = b.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await idp?.close();
    await t?.close();
  });

  const a11y = async (name: string) => expect(await accessibilityViolations(page), name).toEqual([]);

  it('a partner administrator registers the provider on the Single sign-on page', async () => {
    await consoleSignIn(page, t.url, p.adminEmail, p.password);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Single sign-on', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Single sign-on' }).waitFor();
    await page.getByText('Add an identity provider').click();
    await page.getByLabel('Name').fill('Campus login');
    await page.getByLabel('Issuer').fill(idp.issuer);
    await page.getByLabel('Client id').fill('console-e2e');
    await page.getByLabel('Client secret').fill(SECRET);
    await page.getByLabel('E-mail domains').fill('campus.test');
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.getByRole('cell', { name: idp.issuer }).waitFor();
    await expect.poll(() => page.locator('code').first().textContent()).toBe(`${t.url}/api/auth/sso/callback`);
    await a11y('single sign-on page');
    await screenshot(page, 'sso-providers');
    // Trusting the provider's MFA: saved, and shown. (oidc-provider asserts no amr here, so codes are still asked below.)
    await page.getByRole('button', { name: 'Edit Campus login' }).click();
    const edit = page.getByRole('form', { name: 'Edit identity provider Campus login' });
    await edit.getByLabel("Trust the provider's multi-factor sign-in").check();
    await edit.getByRole('button', { name: 'Save provider' }).click();
    await page.getByText('its MFA replaces two-factor codes').waitFor();
    const listed = await api(t, 'GET', '/api/identity-providers', { token: await adminToken(t, p) });
    expect(listed.json.data[0].trustProviderMfa).toBe(true);
    await consoleSignOut(page);
  });

  it('"Sign in with Campus login" signs the user in at the provider and into the console', async () => {
    await page.getByLabel('Login id (email)').fill('ana@campus.test');
    const button = page.getByRole('button', { name: 'Sign in with Campus login' });
    await button.waitFor();
    await a11y('sign-in page with single sign-on');
    await screenshot(page, 'sso-sign-in');
    await button.click();
    // oidc-provider's development pages: log in as the account, then consent.
    await page.locator('input[name="login"]').fill('ana');
    await page.locator('input[name="password"]').fill('anything');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    expect(page.url()).toBe(`${t.url}/console/users`);
    await expect.poll(() => page.locator('header .who').textContent()).toContain('Ana Lecturer');
    await consoleSignOut(page);
  });

  it('a login with two-factor codes types its code after the provider (a wrong one is said so), then lands in the console', async () => {
    const { secret } = await enrol(t, await accessToken(t, 'ana@campus.test', 'a-long-enough-password-1'));
    // A fresh browser: no session at the provider either.
    const fresh = await openBrowser();
    try {
      const pg = fresh.page;
      pg.on('pageerror', (e) => pageErrors.push(e.message));
      await pg.goto(`${t.url}/console/`);
      await pg.getByLabel('Login id (email)').fill('ana@campus.test');
      await pg.getByRole('button', { name: 'Sign in with Campus login' }).click();
      await pg.locator('input[name="login"]').fill('ana');
      await pg.locator('input[name="password"]').fill('anything');
      await pg.locator('button[type="submit"]').click();
      await pg.locator('button[type="submit"]', { hasText: 'Continue' }).click();
      await pg.getByRole('heading', { level: 1, name: 'Two-factor code' }).waitFor();
      // The one-time code left the address bar before the code was asked.
      expect(pg.url()).toBe(`${t.url}/console/sso`);
      expect(await accessibilityViolations(pg)).toEqual([]);
      await screenshot(pg, 'sso-two-factor-code');
      await pg.getByLabel('Two-factor code').fill(wrongCode(t, secret));
      await pg.getByRole('button', { name: 'Continue' }).click();
      await pg.getByRole('alert').waitFor();
      await pg.getByLabel('Two-factor code').fill(codeFor(t, secret));
      await pg.getByRole('button', { name: 'Continue' }).click();
      await pg.getByRole('heading', { name: 'Users and roles' }).waitFor();
      const last = await t.store.db.selectFrom('audit_log').select(['outcome', 'detail']).where('action', '=', 'auth.sso.token').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect([last.outcome, JSON.parse(String(last.detail))]).toEqual(['success', { secondFactor: 'totp' }]);
    } finally {
      await fresh.close();
    }
  });

  it('a login its partner requires codes of, without any, is taken to enrolment after the provider, then signed in', async () => {
    const op = await accessToken(t, 'operator@gatehouse.test', 'operator-Password-1', -2);
    expect((await api(t, 'PATCH', `/api/partners/${p.id}`, { token: op, body: { settings: { twoFactor: 'non_admins' } } })).status).toBe(200);
    expect((await api(t, 'POST', '/api/users', { token: await adminToken(t, p), body: { id: 'bea', email: 'bea@campus.test', password: 'another-long-password-2', isAdmin: false } })).status).toBe(201);
    const fresh = await openBrowser();
    try {
      const pg = fresh.page;
      pg.on('pageerror', (e) => pageErrors.push(e.message));
      await pg.goto(`${t.url}/console/`);
      await pg.getByLabel('Login id (email)').fill('bea@campus.test');
      await pg.getByRole('button', { name: 'Sign in with Campus login' }).click();
      await pg.locator('input[name="login"]').fill('bea');
      await pg.locator('input[name="password"]').fill('anything');
      await pg.locator('button[type="submit"]').click();
      await pg.locator('button[type="submit"]', { hasText: 'Continue' }).click();
      await pg.getByRole('heading', { name: 'Set up two-factor codes' }).waitFor();
      await pg.getByRole('button', { name: 'Set up two-factor codes' }).click();
      await pg.getByRole('img', { name: /QR code/ }).waitFor();
      const secret = ((await pg.locator('code').first().textContent()) ?? '').replace(/\s+/g, '');
      await pg.getByLabel('Code from the app').fill(codeFor(t, secret));
      await pg.getByRole('button', { name: 'Confirm' }).click();
      await pg.getByRole('list', { name: 'Recovery codes' }).waitFor();
      await pg.getByRole('button', { name: 'I have stored it' }).click();
      // Signed in: bea is no administrator, so the console says what this account is (and offers My account).
      await pg.getByRole('heading', { name: 'This account cannot use the console' }).waitFor();
      await pg.getByRole('link', { name: 'My account' }).waitFor();
    } finally {
      await fresh.close();
    }
    expect((await api(t, 'PATCH', `/api/partners/${p.id}`, { token: op, body: { settings: { twoFactor: 'off' } } })).status).toBe(200);
  });

  it('the operator turns blockDirectLogin on; the sign-in page then offers only the provider (a password one click away)', async () => {
    await consoleSignIn(page, t.url, 'operator@gatehouse.test', 'operator-Password-1');
    await page.getByRole('heading', { name: 'Partners (publishers)' }).waitFor();
    await page.getByRole('button', { name: 'Details of Campus University' }).click();
    await page.getByLabel('Single sign-on only (block direct login)').check();
    await page.getByRole('button', { name: 'Save sign-in setting' }).click();
    await page.getByRole('status').filter({ hasText: 'Sign-in setting saved.' }).waitFor();
    await a11y('operator: a publisher with its sign-in setting');
    const op = await accessToken(t, 'operator@gatehouse.test', 'operator-Password-1', -2);
    expect((await api(t, 'GET', `/api/partners/${p.id}`, { token: op })).json.data.settings.blockDirectLogin).toBe(true);
    await consoleSignOut(page);
    await page.getByLabel('Login id (email)').fill('ana@campus.test');
    await page.getByRole('button', { name: 'Sign in with Campus login' }).waitFor();
    expect(await page.getByLabel('Password', { exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).count()).toBe(0);
    await a11y('sign-in page, single sign-on only');
    await page.getByRole('button', { name: 'Use a password instead' }).click();
    await page.getByLabel('Password', { exact: true }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
