/**
 * "My account" in Chromium (issue 18): every signed-in person — a partner's administrator, the
 * operator, an account that may not use the rest of the console — reaches it from the navigation;
 * the password rules are shown; a wrong current password is refused with a sentence; a changed
 * password signs in and the old one no longer does; the sign-ins list shows what happened. And the
 * partner administrator's "Single sign-on" control on the Users page sets a user's isSsoExcluded.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';
import { accessibilityViolations, CHROMIUM, consoleSignIn, consoleSignOut, ensureConsoleBuilt, openBrowser, screenshot, type Browser } from './support.js';

const skip = !existsSync(CHROMIUM) && !process.env.CI;
const NEW_PASSWORD = 'quiet-harbour-lantern-47';

describe.skipIf(skip)('console: My account (Chromium)', () => {
  let t: TestGatehouse;
  let b: Browser;
  let page: Page;
  let p: TestPartner;
  const pageErrors: string[] = [];

  const openAccount = async () => {
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'My account' }).click();
    await page.getByRole('heading', { name: 'My account', level: 1 }).waitFor();
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startGatehouse('sqlite', 'e2e-account', { env: { GATEHOUSE_LOGIN_THROTTLE: '0' } });
    p = await registerPartner(t, 'Account University');
    await run(client(t, await adminKs(t, p)), kaltura.services.user.add(new kaltura.objects.User({ id: 'viewer', email: 'viewer@uni.test', password: 'plain-user-password-9', isAdmin: false })));
    await run(client(t, await adminKs(t, p)), kaltura.services.user.add(new kaltura.objects.User({ id: 'script', email: 'script@uni.test', password: 'calm-river-stone-31', isAdmin: true })));
    b = await openBrowser();
    page = b.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it("a partner administrator's My account shows the password rules and refuses a wrong current password", async () => {
    await consoleSignIn(page, t.url, p.adminEmail, p.password);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    await openAccount();
    const rules = page.getByRole('list', { name: 'Password rules' });
    await rules.getByText(/Between 8 and \d+ characters/).waitFor();
    await rules.getByText('Must not contain your name or email.').waitFor();
    await page.getByRole('heading', { name: 'Two-factor', level: 2 }).waitFor();
    await page.getByRole('heading', { name: 'Your sign-ins', level: 2 }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'account-01-page');

    await page.getByLabel('Current password').fill('not-my-password-at-all');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your current password is not right' }).waitFor();
    // Still signed in (a 403, not a 401 that would end the session), and the old password still works.
    expect(await page.getByRole('heading', { name: 'My account', level: 1 }).isVisible()).toBe(true);
    expect((await api(t, 'POST', '/api/auth/access-token', { body: { username: p.adminEmail, password: p.password } })).status).toBe(200);

    // A new password breaking a rule is refused with the rules.
    await page.getByLabel('Current password').fill(p.password);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'invalid structure' }).waitFor();
  });

  it('changes the password: sign out, the old one is refused, the new one signs in, and the sign-ins list shows it', async () => {
    await page.getByLabel('Current password').fill(p.password);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    await consoleSignOut(page);

    await consoleSignIn(page, t.url, p.adminEmail, p.password);
    await page.getByRole('alert').waitFor();
    await consoleSignIn(page, t.url, p.adminEmail, NEW_PASSWORD);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    await openAccount();
    const table = page.getByRole('table', { name: 'Your sign-ins' });
    await table.getByRole('row').filter({ hasText: 'Changed password' }).filter({ hasText: 'success' }).first().waitFor();
    await table.getByRole('row').filter({ hasText: 'Changed password' }).filter({ hasText: 'failure' }).first().waitFor();
    await table.getByRole('row').filter({ hasText: 'Signed in with a password' }).filter({ hasText: 'failure' }).first().waitFor();
    await screenshot(page, 'account-02-sign-ins');
  });

  it("the partner administrator sets a user's 'Excluded from single sign-on' on the Users page", async () => {
    await page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Users and roles' }).click();
    const row = page.getByRole('row').filter({ hasText: 'script@uni.test' });
    await row.getByRole('button', { name: 'Single sign-on' }).click();
    const dialog = page.getByRole('dialog', { name: /Single sign-on for/ });
    await dialog.getByLabel('Excluded from single sign-on (may use a password)').check();
    expect(await accessibilityViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'script may sign in with a password even when direct sign-in is blocked.' }).waitFor();
    await row.locator('.hint').filter({ hasText: 'excluded from single sign-on' }).waitFor();
    const token = await adminToken(t, { ...p, password: NEW_PASSWORD });
    expect((await api(t, 'GET', '/api/users/script', { token })).json.data.isSsoExcluded).toBe(true);
    // And back.
    await row.getByRole('button', { name: 'Single sign-on' }).click();
    await dialog.getByLabel('Excluded from single sign-on (may use a password)').uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'script signs in through single sign-on' }).waitFor();
    expect((await api(t, 'GET', '/api/users/script', { token })).json.data.isSsoExcluded).toBe(false);
  });

  it('the operator has My account too, with its two-factor section', async () => {
    await consoleSignOut(page);
    await consoleSignIn(page, t.url, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Partners (publishers)' }).waitFor();
    await openAccount();
    await page.getByRole('button', { name: 'Set up two-factor codes' }).waitFor();
    await page.getByRole('list', { name: 'Password rules' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('an account that cannot use the console still reaches My account and changes its password', async () => {
    await consoleSignOut(page);
    await consoleSignIn(page, t.url, 'viewer@uni.test', 'plain-user-password-9');
    await page.getByRole('heading', { name: 'This account cannot use the console' }).waitFor();
    await openAccount();
    await page.getByLabel('Current password').fill('plain-user-password-9');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await api(t, 'POST', '/api/auth/access-token', { body: { username: 'viewer@uni.test', password: NEW_PASSWORD } })).status).toBe(200);
    expect(pageErrors).toEqual([]);
  });
});
