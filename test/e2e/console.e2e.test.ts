/**
 * The console end to end: a real Gatehouse (SQLite) serving the built console, driven by Debian's
 * Chromium. One story in order: the operator creates a publisher, its admin works in it, a viewer
 * signs in to the wrong place. Screenshots of the main pages go to test/e2e/screenshots/.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { accessToken, api } from '../support/rest.js';
import { accessibilityViolations, CHROMIUM, consoleSignIn, consoleSignOut, ensureConsoleBuilt, openBrowser, screenshot, type Browser } from './support.js';

// Locally a machine without Chromium skips; CI installs it (.ci/run) and must run these.
const skip = !existsSync(CHROMIUM) && !process.env.CI;

const PUBLISHER = 'Example University';
const PARTNER_ADMIN = 'pat.admin@example.edu';
const PARTNER_PASSWORD = 'a long passphrase 42';
const VIEWER = 'viewer@example.edu';
const VIEWER_PASSWORD = 'quiet harbour lights 58';

describe.skipIf(skip)('console end to end (Chromium)', () => {
  let t: TestGatehouse;
  let b: Browser;
  let page: Page;
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  let partnerId = 0;

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startGatehouse('sqlite', 'e2e');
    b = await openBrowser();
    page = b.page;
    page.on('console', (m) => {
      if (/content security policy/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  const signIn = (login: string, password: string) => consoleSignIn(page, t.url, login, password);
  const signOut = () => consoleSignOut(page);

  it('serves the app shell with a strict CSP, immutable assets and an SPA fallback', async () => {
    const shell = await fetch(`${t.url}/console/operator/partners`);
    expect(shell.status).toBe(200);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    const csp = shell.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await shell.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const js = await fetch(`${t.url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${t.url}/console/assets/missing-123.js`)).status).toBe(404);
  });

  it('operator signs in and creates a publisher ("Add New Publisher"), secrets shown once', async () => {
    await page.goto(`${t.url}/console/`);
    await page.getByRole('heading', { name: 'Sign in to Gatehouse' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '01-sign-in');
    await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Partners (publishers)' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/operator/partners');

    await page.getByText('Add New Publisher').click();
    const form = page.getByRole('form', { name: 'Add New Publisher' });
    await form.getByLabel('Publisher name').fill(PUBLISHER);
    await form.getByLabel('Description').fill('Media team');
    await form.getByLabel('Admin name').fill('Pat Admin');
    await form.getByLabel('Admin email (login id)').fill(PARTNER_ADMIN);
    await form.getByLabel('Admin password').fill(PARTNER_PASSWORD);
    await form.getByRole('button', { name: 'Create publisher' }).click();

    const once = page.getByRole('region', { name: /Publisher “Example University” created/ });
    await once.waitFor();
    const adminSecret = await once.getByLabel('Admin secret').inputValue();
    expect(adminSecret).toMatch(/^[0-9a-f]{32}$/);
    partnerId = Number(/\(id (\d+)\)/.exec((await once.getByRole('heading').textContent()) ?? '')?.[1]);
    expect(partnerId).toBeGreaterThanOrEqual(100);
    await expect.poll(() => page.getByRole('row').filter({ hasText: PARTNER_ADMIN }).count()).toBe(1);
    await screenshot(page, '02-operator-partner-created');

    await once.getByRole('button', { name: 'I have stored it' }).click();
    await expect.poll(() => page.getByLabel('Admin secret').count()).toBe(0);

    // The partner's admin, then block and unblock (each asks first).
    const row = page.getByRole('row').filter({ hasText: PARTNER_ADMIN });
    await row.getByRole('button', { name: 'Details' }).click();
    await page.getByText(`(${PARTNER_ADMIN}), user id`).waitFor();
    // Per-publisher limits: a bad value is explained in words; a good one is saved and read back.
    const limits = page.getByRole('form', { name: 'Limits of Example University' });
    await limits.getByLabel('Gateway requests per minute per credential').fill('-3');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await limits.getByText('Gateway requests per minute per credential: a whole number above 0').waitFor();
    await limits.getByLabel('Gateway requests per minute per credential').fill('600');
    await limits.getByLabel('Longest API key validity (seconds)').fill('31536000');
    await limits.getByRole('button', { name: 'Save limits' }).click();
    await limits.getByRole('status').getByText('Limits saved.').waitFor();
    // Read back with the console's own token (a string expression: this file has no DOM types).
    const consoleToken = String(await page.evaluate("sessionStorage.getItem('gatehouse.console.token')"));
    const stored = ((await (await fetch(`${t.url}/api/partners/${partnerId}`, { headers: { authorization: `Bearer ${consoleToken}` } })).json()) as { data: { limits: unknown } }).data.limits;
    expect(stored).toEqual({ apiKeyMaxValidity: 31536000, consumerJwtMaxLifetime: null, gatewayRateLimit: 600, accessControlProfileLimit: null });
    await row.getByRole('button', { name: 'Block' }).click();
    await page.getByRole('dialog').getByText('Every user of').waitFor();
    await page.keyboard.press('Escape'); // cancelling changes nothing
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await row.getByText('active', { exact: true }).count()).toBe(1);
    await row.getByRole('button', { name: 'Block' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Block publisher' }).click();
    await expect.poll(() => row.getByText('blocked', { exact: true }).count()).toBe(1);
    await row.getByRole('button', { name: 'Unblock' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Unblock' }).click();
    await expect.poll(() => row.getByText('active', { exact: true }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '03-operator-partners');

    // Operator users: the admin-console partner's own people.
    await page.getByRole('link', { name: 'Operator users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operator users' }).waitFor();
    await page.getByRole('row').filter({ hasText: ADMIN_EMAIL }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '03b-operator-users');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'partner' }).count()).toBeGreaterThan(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await signOut();
  }, 60_000);

  it('partner admin creates an app token (shown once), a geo-blocking profile, simulates blocked and allowed viewers, revokes the token', async () => {
    await signIn(PARTNER_ADMIN, PARTNER_PASSWORD);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/users');
    await screenshot(page, '04-partner-users');

    // App token with the seed's options; the value is shown once.
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'App tokens' }).click();
    await page.getByRole('heading', { name: 'App tokens' }).waitFor();
    await page.getByText('Create an app token').click();
    const form = page.getByRole('form', { name: 'Create an app token' });
    await form.getByLabel('Description').fill('LMS integration');
    await form.getByLabel('Session type').selectOption('admin');
    await form.getByLabel('Session user').fill('lms-bot');
    await form.getByLabel('URI restriction').fill('/api_v3/service/user/*');
    await form.getByLabel('Privacy context').fill('MEDIASPACE');
    await form.getByLabel('Enforce entitlement (enableentitlement)').check();
    await form.getByRole('button', { name: 'Create token' }).click();
    const once = page.getByRole('region', { name: /App token .* created/ });
    await once.waitFor();
    const value = await once.getByLabel('Token value').inputValue();
    expect(value).toMatch(/^[0-9a-f]{32}$/);
    await once.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => once.getByRole('status').textContent()).toMatch(/Copied|Selected/);
    await screenshot(page, '05-app-token-created');
    await once.getByRole('button', { name: 'I have stored it' }).click();
    await expect.poll(() => page.getByLabel('Token value').count()).toBe(0);
    const tokenRow = page.getByRole('row').filter({ hasText: 'LMS integration' });
    await expect.poll(() => tokenRow.count()).toBe(1);
    expect(await tokenRow.textContent()).toContain('urirestrict:/api_v3/service/user/*');
    expect(await page.content()).not.toContain(value); // never shown again

    // A geo-blocking profile built with the rule editor.
    await page.getByRole('link', { name: 'Access control' }).click();
    await page.getByRole('heading', { name: 'Access control' }).waitFor();
    await page.getByText('Create a profile').click();
    await page.getByLabel('Profile name').fill('Geo block');
    await page.getByRole('button', { name: 'Create and edit rules' }).click();
    await page.getByRole('heading', { name: 'Profile: Geo block' }).waitFor();
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.getByRole('region', { name: 'Rule 1' });
    await rule.getByLabel('Message when it applies').fill('Not available in your country');
    await rule.getByLabel('Condition type').selectOption('KalturaCountryCondition');
    await rule.getByRole('button', { name: 'Add condition' }).click();
    await rule.getByLabel('Countries').fill('DE, FR');
    await rule.getByLabel('Action type').selectOption('KalturaAccessControlBlockAction');
    await rule.getByRole('button', { name: 'Add action' }).click();
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText(/Profile saved at/).waitFor();
    await screenshot(page, '06-profile-editor');

    // The simulator: a viewer in Germany is blocked, one in the US is allowed.
    await page.getByRole('link', { name: 'Simulator' }).click();
    await page.getByRole('heading', { name: 'Simulator' }).waitFor();
    const sim = page.getByRole('form', { name: 'Simulate a viewer' });
    await sim.getByLabel('Profile', { exact: true }).selectOption({ label: 'Geo block' });
    await sim.getByLabel('Country (overrides the IP lookup)').fill('DE');
    await sim.getByRole('button', { name: 'Simulate' }).click();
    const verdict = page.locator('.verdict');
    await expect.poll(() => verdict.textContent()).toBe('Blocked');
    const trace = page.getByRole('table', { name: 'Rule trace' });
    expect(await trace.textContent()).toContain('DE');
    expect(await page.getByText('Not available in your country').count()).toBeGreaterThan(0);
    await screenshot(page, '07-simulator-blocked');
    await sim.getByLabel('Country (overrides the IP lookup)').fill('US');
    await sim.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => verdict.textContent()).toBe('Allowed');
    await screenshot(page, '08-simulator-allowed');

    // Revoke the token (with confirmation).
    await page.getByRole('link', { name: 'App tokens' }).click();
    await page.getByRole('heading', { name: 'App tokens' }).waitFor();
    await tokenRow.getByRole('button', { name: 'Revoke' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await expect.poll(() => tokenRow.count()).toBe(0);
    const left = await api(t, 'GET', '/api/app-tokens', { token: await accessToken(t, PARTNER_ADMIN, PARTNER_PASSWORD, partnerId) });
    expect(left.json.data).toEqual([]);
    await signOut();
  }, 90_000);

  it("partner admin's other pages work end to end and pass WCAG 2.1 AA checks", async () => {
    const nav = page.getByRole('navigation', { name: 'Console sections' });
    const go = async (link: string, heading: string) => {
      await nav.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
    };
    const a11y = async (name: string) => expect(await accessibilityViolations(page), name).toEqual([]);
    const confirm = async (button: string) => {
      await page.getByRole('dialog').getByRole('button', { name: button }).click();
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    };
    await signIn(PARTNER_ADMIN, PARTNER_PASSWORD);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();

    // Users and roles: a role, a user with it, a new password, blocked.
    // Both lists loaded first: the roles form sits below the users table.
    await page.getByRole('row').filter({ hasText: PARTNER_ADMIN }).waitFor();
    await page.getByRole('heading', { name: 'Roles', exact: true }).waitFor();
    await page.getByText('Add a role').click();
    const roleForm = page.getByRole('form', { name: 'Add a role' });
    await roleForm.getByLabel('Role name').fill('Support desk');
    await roleForm.getByLabel('Permissions').selectOption('ADMIN_BASE');
    await roleForm.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('cell', { name: /^Support desk/ }).waitFor();
    await page.getByText('Add a user').click();
    const add = page.getByRole('form', { name: 'Add a user' });
    await add.getByLabel('Email').fill('sam@example.edu');
    await add.getByLabel('First name').fill('Sam');
    await add.getByLabel('Password').fill('first harbour lights 11');
    await add.getByLabel('Role').selectOption({ label: 'Support desk' });
    await add.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('User sam@example.edu created.').waitFor();
    const sam = page.getByRole('row').filter({ hasText: 'sam@example.edu' });
    expect(await sam.textContent()).toContain('Support desk');
    await a11y('users');
    await screenshot(page, '10-partner-users-roles');
    // An admin sets a new password; the old one stops working.
    await sam.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('dialog').getByLabel('New password').fill('second harbour lights 22');
    await confirm('Set password');
    await page.getByText('Password of sam@example.edu changed').waitFor();
    expect((await api(t, 'POST', '/api/auth/access-token', { body: { username: 'sam@example.edu', password: 'second harbour lights 22' } })).status).toBe(200);
    expect((await api(t, 'POST', '/api/auth/access-token', { body: { username: 'sam@example.edu', password: 'first harbour lights 11' } })).status).toBe(401);
    await sam.getByRole('button', { name: 'Block' }).click();
    await confirm('Block user');
    await expect.poll(() => sam.getByText('blocked').count()).toBe(1);

    // API keys: created once, revoked.
    await go('API keys', 'API keys');
    await page.getByText('Create an API key').click();
    await page.getByRole('form', { name: 'Create an API key' }).getByLabel('Permissions').selectOption('ADMIN_BASE');
    await page.getByRole('button', { name: 'Create key' }).click();
    const keyBox = page.getByRole('region', { name: 'API key created' });
    expect((await keyBox.getByLabel('API key').inputValue()).length).toBeGreaterThan(20);
    await a11y('api keys');
    await screenshot(page, '11-api-key-created');
    await keyBox.getByRole('button', { name: 'I have stored it' }).click();
    const keyRow = page.getByRole('row').filter({ hasText: 'ADMIN_BASE' });
    await keyRow.getByRole('button', { name: 'Revoke' }).click();
    await confirm('Revoke key');
    await expect.poll(() => keyRow.getByText(/revoked/).count()).toBe(1);

    // Services and consumers: a service for a group, a consumer in it, credential rotation.
    await go('Services', 'Services');
    await page.getByText('Add a service').click();
    await page.getByLabel('Name').fill('Media API');
    await page.getByLabel('Route prefix').fill('/media');
    await page.getByLabel('Allowed groups').fill('lms');
    await page.getByRole('button', { name: 'Add service' }).click();
    await page.getByRole('cell', { name: '/media' }).waitFor();
    await a11y('services');
    await go('Consumers', 'Consumers');
    await page.getByText('Create a consumer').click();
    await page.getByLabel('Username', { exact: true }).fill('lms-plugin');
    await page.getByRole('button', { name: 'Create consumer' }).click();
    const cBox = page.getByRole('region', { name: 'Credential for lms-plugin' });
    expect(await cBox.getByLabel('Secret (HS256)').inputValue()).not.toBe('');
    await page.getByLabel('Groups', { exact: true }).fill('lms, media');
    await page.getByRole('button', { name: 'Save groups' }).click();
    await page.getByText('Groups saved.').waitFor();
    await page.getByRole('button', { name: 'Register credential' }).click();
    await expect.poll(() => page.getByRole('table', { name: 'Credentials of lms-plugin' }).getByRole('row').count()).toBe(3);
    const creds = page.getByRole('table', { name: 'Credentials of lms-plugin' });
    const active = await creds.getByRole('button', { name: 'Deprecate' }).count();
    expect(active).toBeGreaterThan(0);
    await creds.getByRole('button', { name: 'Deprecate' }).first().click();
    await confirm('Deprecate');
    await expect.poll(() => creds.getByRole('button', { name: 'Deprecate' }).count()).toBe(active - 1);
    expect(await creds.getByText('deprecated', { exact: true }).count()).toBeGreaterThan(0);
    await a11y('consumers');
    await screenshot(page, '12-consumers');
    await page.getByRole('row').filter({ hasText: 'lms, media' }).getByRole('button', { name: 'Delete' }).click();
    await confirm('Delete consumer');
    await expect.poll(() => page.getByRole('row').filter({ hasText: 'lms, media' }).count()).toBe(0);

    // Entries: one under the geo-blocking profile, then simulated through the entry.
    await go('Entries', 'Entries');
    await page.getByText('Create an entry').click();
    const ef = page.getByRole('form', { name: 'Create an entry' });
    await ef.getByLabel('Entry name').fill('Trailer');
    await ef.getByLabel('Access-control profile').selectOption({ label: 'Geo block' });
    await ef.getByRole('button', { name: 'Create entry' }).click();
    const created = await page.getByText(/Entry \S+ created\./).textContent();
    const entryId = /Entry (\S+) created/.exec(created ?? '')?.[1] ?? '';
    expect(await page.getByRole('row').filter({ hasText: 'Trailer' }).textContent()).toContain('Geo block');
    await a11y('entries');
    await screenshot(page, '13-entries');
    await go('Simulator', 'Simulator');
    const sim = page.getByRole('form', { name: 'Simulate a viewer' });
    await sim.getByLabel('Decide for').selectOption('entry');
    await sim.getByLabel('Entry id').fill(entryId);
    await sim.getByLabel('Country (overrides the IP lookup)').fill('FR');
    await sim.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.locator('.verdict').textContent()).toBe('Blocked');
    await a11y('simulator');

    // Scheduling: an entry whose window has ended is not playable, from anywhere.
    await go('Entries', 'Entries');
    const trailer = page.getByRole('row').filter({ hasText: 'Trailer' });
    await trailer.getByRole('button', { name: 'Access and schedule' }).click();
    await page.getByRole('dialog').getByLabel('Available until').fill('2020-01-01T12:00');
    await confirm('Save');
    await expect.poll(() => trailer.textContent()).toContain('2020');
    await go('Simulator', 'Simulator');
    await sim.getByLabel('Decide for').selectOption('entry');
    await sim.getByLabel('Entry id').fill(entryId);
    await sim.getByLabel('Country (overrides the IP lookup)').fill('US');
    await sim.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => page.locator('.verdict').textContent()).toBe('Blocked');
    expect(await page.locator('.sim-result').textContent()).toContain('outside the entry');

    // Access control list and editor, app tokens: axe only.
    await go('Access control', 'Access control');
    await a11y('profiles');
    await page.getByRole('link', { name: 'Geo block' }).click();
    await page.getByRole('heading', { name: 'Profile: Geo block' }).waitFor();
    await a11y('profile editor');
    await go('App tokens', 'App tokens');
    await a11y('app tokens');

    // The audit log shows this admin's actions, filtered.
    await go('Audit log', 'Audit log');
    await page.getByLabel('Actor').fill(PARTNER_ADMIN);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await expect.poll(() => page.getByRole('row').count()).toBeGreaterThan(3);
    await a11y('audit');
    await screenshot(page, '14-audit');
    await signOut();
  }, 120_000);

  it('a viewer (non-admin) signing in gets a sentence saying what the account is, never a blank page', async () => {
    // The partner admin creates a plain user with a login.
    const adminToken = await accessToken(t, PARTNER_ADMIN, PARTNER_PASSWORD, partnerId);
    const created = await api(t, 'POST', '/api/users', { token: adminToken, body: { id: VIEWER, email: VIEWER, firstName: 'Robin', lastName: 'Quill', password: VIEWER_PASSWORD } });
    expect(created.status, created.text).toBe(201);
    const me = await api(t, 'GET', '/api/me', { token: await accessToken(t, VIEWER, VIEWER_PASSWORD) });
    expect(me.json.data.consoleAccess.allowed).toBe(false);

    await signIn(VIEWER, VIEWER_PASSWORD);
    await page.getByRole('heading', { name: 'This account cannot use the console' }).waitFor();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain(me.json.data.consoleAccess.explanation);
    expect(new URL(page.url()).pathname).toBe('/console/no-access');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '09-wrong-account');
    await page.getByRole('button', { name: 'Sign out and use another login' }).click();
    await page.getByRole('heading', { name: 'Sign in to Gatehouse' }).waitFor();
  }, 60_000);

  it('sign out works even when the server cannot be reached', async () => {
    await signIn(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Partners (publishers)' }).waitFor();
    await page.route('**/api/**', (route) => route.abort('connectionrefused'));
    try {
      await signOut();
      // The token is gone: a reload stays signed out.
      await page.reload();
      await page.getByRole('heading', { name: 'Sign in to Gatehouse' }).waitFor();
    } finally {
      await page.unroute('**/api/**');
    }
  }, 60_000);

  it('a login in several partners picks one after signing in and can change account (keyboard only)', async () => {
    // A second publisher with the same admin email: the login now belongs to two partners.
    const op = await accessToken(t, ADMIN_EMAIL, ADMIN_PASSWORD, -2);
    const second = await api(t, 'POST', '/api/partners', { token: op, body: { name: 'Second College', adminName: 'Pat Admin', adminEmail: PARTNER_ADMIN } });
    expect(second.status, second.text).toBe(201);

    await page.goto(`${t.url}/console/`);
    await page.evaluate('sessionStorage.clear()');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Gatehouse' }).waitFor();
    await page.getByLabel('Login id (email)').focus();
    await page.keyboard.type(PARTNER_ADMIN);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PARTNER_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Choose an account' }).waitFor();
    expect(await page.getByRole('button', { name: /Example University|Second College/ }).count()).toBe(2);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '15-choose-account');

    await page.getByRole('button', { name: 'Open Second College' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain('Second College');

    await page.getByRole('link', { name: 'Change account' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Open Example University' }).click();
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    expect(await page.getByRole('banner').textContent()).toContain('Example University');
    await signOut();
  }, 60_000);

  it('ran without Content-Security-Policy violations or page errors', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
