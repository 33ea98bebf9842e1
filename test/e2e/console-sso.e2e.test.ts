/**
 * Single sign-on in the console, end to end in Chromium against a real Gatehouse (SQLite) and a
 * real OpenID provider (oidc-provider on loopback): a partner administrator registers the
 * provider on the "Single sign-on" page (which shows the redirect URI), a user typing an e-mail of
 * its domain gets "Sign in with …", signs in at the provider and lands in the console as herself;
 * with blockDirectLogin the sign-in page offers only the provider. WCAG 2.1 AA on each page.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { startRealProvider, type RealProvider } from '../support/oidc.js';
import { accessToken, adminToken, api } from '../support/rest.js';
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
    idp = await startRealProvider({ clientId: 'console-e2e', clientSecret: SECRET, redirectUri: `${t.url}/api/auth/sso/callback`, accounts: { ana: { email: 'ana@campus.test', emailVerified: true } } });
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
