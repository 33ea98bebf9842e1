/**
 * Two-factor codes in the console, in Chromium (issue 18): a partner that requires codes sends its
 * administrator to enrolment right after the password (QR code, a first code, recovery codes shown
 * once) before anything else; the next sign-in asks for the code after the password (the test is
 * the authenticator app: it computes the code from the secret the page shows); the "Two-factor"
 * section of "My account" removes the codes with a recovery code.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { totpCode } from '../../src/core/two-factor/totp.js';
import { operatorToken } from '../support/console.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { api } from '../support/rest.js';
import { nextStep } from '../support/two-factor.js';
import { accessibilityViolations, CHROMIUM, consoleSignIn, consoleSignOut, ensureConsoleBuilt, openBrowser, screenshot, type Browser } from './support.js';

const skip = !existsSync(CHROMIUM) && !process.env.CI;

describe.skipIf(skip)('console two-factor codes (Chromium)', () => {
  let t: TestGatehouse;
  let b: Browser;
  let page: Page;
  let p: TestPartner;
  let secret = '';
  let recovery: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startGatehouse('sqlite', 'e2e-two-factor');
    p = await registerPartner(t, 'Two Factor University');
    const r = await api(t, 'PATCH', `/api/partners/${p.id}`, { token: await operatorToken(t), body: { settings: { twoFactor: 'admins' } } });
    expect(r.status, r.text).toBe(200);
    b = await openBrowser();
    page = b.page;
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await t?.close();
  });

  it('a required but not set up login is taken to enrolment before anything else: QR, a first code, recovery codes once', async () => {
    await consoleSignIn(page, t.url, p.adminEmail, p.password);
    await page.getByRole('heading', { name: 'Set up two-factor codes' }).waitFor();
    // Nothing else is offered meanwhile: no navigation, and the URL leads nowhere else.
    expect(await page.getByRole('navigation', { name: 'Console sections' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Set up two-factor codes' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'two-factor-01-enrol');
    secret = ((await page.locator('code').first().textContent()) ?? '').replace(/\s+/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.getByLabel('Code from the app').fill('000000' === totpCode(secret, t.clock.nowMs()) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong, expired or already used' }).waitFor();
    await page.getByLabel('Code from the app').fill(totpCode(secret, t.clock.nowMs()));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    recovery = await codes.allTextContents();
    expect(recovery).toHaveLength(10);
    await screenshot(page, 'two-factor-02-recovery-codes');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
  });

  it('the next sign-in asks for the code after the password', async () => {
    await consoleSignOut(page);
    await consoleSignIn(page, t.url, p.adminEmail, p.password);
    const field = page.getByLabel('Two-factor code');
    await field.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'two-factor-03-code');
    nextStep(t);
    await field.fill(totpCode(secret, t.clock.nowMs()));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
  });

  it("My account's Two-factor section shows the codes on and removes them with a recovery code", async () => {
    await page.getByRole('link', { name: 'My account' }).click();
    await page.getByRole('heading', { name: 'Two-factor', level: 2 }).waitFor();
    await page.getByText('Recovery codes left: 10 of 10').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'two-factor-04-page');
    await page.getByLabel('Code from the app, or a recovery code').fill(recovery[0]!);
    await page.getByRole('button', { name: 'Remove two-factor codes' }).click();
    await page.getByText('Two-factor codes removed.').waitFor();
    await page.getByText('Your partner requires codes.').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
