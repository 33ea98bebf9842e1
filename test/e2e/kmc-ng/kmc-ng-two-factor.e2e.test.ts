/**
 * kmc-ng's sign-in of a two-factor partner against a running Gatehouse (issue 20), in the harness
 * of kmc-ng.e2e.test.ts: the partner requires codes of its administrators (`twoFactor: admins`),
 * its administrator has set codes up through the REST door, and the test is the authenticator app
 * (it computes codes from the secret on the server's test clock, which moves only when the test
 * moves it, so no code is ever at the edge of its 30-second step). The password alone answers
 * MISSING_OTP and kmc-ng shows its authenticator-code field; a wrong code answers INVALID_OTP,
 * which kmc-ng says on its login form; the right code signs in to Content › Entries.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { operatorToken } from '../../support/console.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';
import { adminToken, api } from '../../support/rest.js';
import { codeFor, enrol, nextStep, wrongCode } from '../../support/two-factor.js';
import { openBrowser, type Browser } from '../support.js';
import { ApiRecorder, errorDialogs, kmcNgSkip, kmcScreenshot, serveKmcNg, type KmcNgServer } from './harness.js';

// A missing browser (outside CI) or kmc-ng build skips the suite with one line.
const missing = kmcNgSkip();

describe.skipIf(!!missing)('kmc-ng sign-in of a two-factor partner on Gatehouse (Chromium)', () => {
  let t: TestGatehouse;
  let p: TestPartner;
  let secret = '';
  let kmc: KmcNgServer;
  let b: Browser;
  let page: Page;
  const rec = new ApiRecorder();
  /** The `otp` of each `user.loginByLoginId` kmc-ng sent, in order. */
  const otpsSent: Array<string | undefined> = [];
  /** The one error message a step expects kmc-ng to show (on its login form), instead of none. */
  let expectedError: string | undefined;

  beforeAll(async () => {
    t = await startGatehouse('sqlite', 'kmc-ng-two-factor');
    p = await registerPartner(t, 'Kmc Two Factor College');
    await run(client(t, await adminKs(t, p)), kaltura.services.media.add(new kaltura.objects.MediaEntry({ name: 'Second factor lecture', mediaType: 1 })));
    // Codes set up first (enrol moves the clock past the confirmation's step), then required.
    ({ secret } = await enrol(t, await adminToken(t, p)));
    const r = await api(t, 'PATCH', `/api/partners/${p.id}`, { token: await operatorToken(t), body: { settings: { twoFactor: 'admins' } } });
    expect(r.status, r.text).toBe(200);
    kmc = await serveKmcNg(t.url);
    b = await openBrowser();
    page = b.page;
    rec.attach(page);
    page.on('request', (req) => {
      if (!req.url().includes('/api_v3/') || req.method() !== 'POST') return;
      let body: Record<string, { service?: string; action?: string; otp?: string }>;
      try {
        body = JSON.parse(req.postData() ?? '{}');
      } catch {
        return;
      }
      for (const part of Object.values(body)) if (part && typeof part === 'object' && part.service === 'user' && part.action === 'loginByLoginId') otpsSent.push(part.otp);
    });
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await kmc?.close();
    await t?.close();
  });

  // After every step: no exception the step did not allow, no error on screen but the one expected.
  afterEach(async () => {
    expect(await rec.unexpected(), 'KalturaAPIExceptions').toEqual([]);
    expect(await errorDialogs(page), 'kmc-ng error messages').toEqual(expectedError ? [expectedError] : []);
    expectedError = undefined;
    rec.reset();
  });

  const form = () => page.locator('form.kLoginForm');
  const codeField = () => form().locator('input.kAuth[placeholder="Enter Authenticator Code"]');
  const submit = () => form().locator('button').first().click();
  /** Each answer the page got, as [`service.action`, exception code or undefined]. */
  const answered = async () => (await rec.settle(), rec.calls.map((c) => [`${c.service}.${c.action}`.toLowerCase(), c.error]));
  /**
   * kmc-ng's login multirequest refused in its first part with `code`: the four parts after it take
   * their KS from `{0:result}`, which a failed part resolves to nothing, so each is refused for want
   * of a session (SERVICE_FORBIDDEN). kmc-ng reads only the first part's code.
   */
  const refusedLogin = (code: string) => [
    ['user.loginbyloginid', code],
    ['user.getbyloginid', 'SERVICE_FORBIDDEN'],
    ['partner.getinfo', 'SERVICE_FORBIDDEN'],
    ['userrole.get', 'SERVICE_FORBIDDEN'],
    ['permission.list', 'SERVICE_FORBIDDEN'],
  ];

  it('the password alone: Gatehouse answers MISSING_OTP and kmc-ng shows its authenticator-code field', async () => {
    rec.allow('MISSING_OTP', 'SERVICE_FORBIDDEN');
    await page.goto(`${kmc.url}/`);
    await form().waitFor();
    // The field is in the form from the start, hidden (`.kHidden`) until a MISSING_OTP.
    expect(await codeField().isVisible()).toBe(false);
    await form().locator('input[pinputtext]').first().fill(p.adminEmail);
    await form().locator('input[type=password]').fill(p.password);
    await submit();
    await codeField().waitFor({ state: 'visible' });
    await form().getByText('What’s an authenticator code?').waitFor();
    expect(await answered()).toEqual(refusedLogin('MISSING_OTP'));
    expect(otpsSent).toEqual(['']);
    expect(new URL(page.url()).pathname).toBe('/login');
    await kmcScreenshot(page, '30-two-factor-prompt');
  });

  it('a wrong code: Gatehouse answers INVALID_OTP, kmc-ng says "Invalid authenticator code" on its login form and stays there', async () => {
    rec.allow('INVALID_OTP', 'SERVICE_FORBIDDEN');
    expectedError = 'Invalid authenticator code';
    const wrong = wrongCode(t, secret);
    await codeField().fill(wrong);
    await submit();
    await form().locator('.kErrorMessage').filter({ hasText: 'Invalid authenticator code' }).waitFor();
    expect(await answered()).toEqual(refusedLogin('INVALID_OTP'));
    expect(otpsSent.at(-1)).toBe(wrong);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await codeField().isVisible()).toBe(true);
    await kmcScreenshot(page, '31-two-factor-wrong-code');
  });

  it('the right code signs in: user.loginByLoginId answers a KS and kmc-ng lands on Content › Entries', async () => {
    // A fresh step, as an app shows after a while: the code is good for it and the steps either side.
    nextStep(t);
    const code = codeFor(t, secret);
    await codeField().fill(code);
    await submit();
    await page.waitForURL(/\/content\/entries/);
    await page.locator('p-table, .ui-table').first().getByText('Second factor lecture').waitFor();
    const calls = await answered();
    expect(calls.slice(0, 5)).toEqual(['user.loginbyloginid', 'user.getbyloginid', 'partner.getinfo', 'userrole.get', 'permission.list'].map((name) => [name, undefined]));
    expect(calls.map(([name]) => name)).toContain('baseentry.list');
    expect(otpsSent.at(-1)).toBe(code);
    expect(otpsSent).toHaveLength(3);
    await kmcScreenshot(page, '32-two-factor-signed-in');
  });
});
