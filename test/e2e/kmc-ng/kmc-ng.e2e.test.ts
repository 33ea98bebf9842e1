/**
 * Kaltura's own admin console, kmc-ng, against a running Gatehouse (issue 20): one Chromium, one
 * Gatehouse (SQLite), one static server for `../shared/clients/kmc-ng/dist`, steps in order. Every
 * `/api_v3` answer the page gets is recorded; a step fails on any KalturaAPIException it did not
 * expect and on any error message kmc-ng shows. Screenshots go to test/e2e/screenshots/kmc-ng/.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';
import { openBrowser, type Browser } from '../support.js';
import { ApiRecorder, choose, errorDialogs, kmcNgSkip, kmcScreenshot, serveKmcNg, signIn, type KmcNgServer } from './harness.js';

// A missing browser (outside CI) or kmc-ng build skips the suite with one line.
const missing = kmcNgSkip();

const O = kaltura.objects;

describe.skipIf(!!missing)('kmc-ng on Gatehouse (Chromium)', () => {
  let t: TestGatehouse;
  let p: TestPartner;
  let ks: string;
  let kmc: KmcNgServer;
  let b: Browser;
  let page: Page;
  const rec = new ApiRecorder();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await startGatehouse('sqlite', 'kmc-ng');
    p = await registerPartner(t, 'Kmc College');
    ks = await adminKs(t, p);
    const c = client(t, ks);
    // 55 entries, a minute apart (newest first is then a fixed order): more than kmc-ng's page of 50.
    t.clock.advance(-3600);
    for (let i = 1; i <= 55; i++, t.clock.advance(60)) await run(c, kaltura.services.media.add(new O.MediaEntry({ name: `Lecture ${String(i).padStart(2, '0')}`, mediaType: 1 })));
    kmc = await serveKmcNg(t.url);
    b = await openBrowser();
    page = b.page;
    rec.attach(page);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await kmc?.close();
    await t?.close();
  });

  // After every step: no exception the step did not allow, no error on screen.
  afterEach(async () => {
    expect(await rec.unexpected(), 'KalturaAPIExceptions').toEqual([]);
    expect(await errorDialogs(page), 'kmc-ng error messages').toEqual([]);
    rec.reset();
  });

  it('signs in with a password and lands on Content › Entries with the partner’s entries', async () => {
    await signIn(page, kmc.url, p.adminEmail, p.password);
    await page.getByText('55 Entries').waitFor();
    await rec.settle();
    for (const call of ['user.loginbyloginid', 'user.getbyloginid', 'partner.getinfo', 'userrole.get', 'permission.list', 'baseentry.list']) expect(rec.names()).toContain(call);
    await kmcScreenshot(page, '01-entries');
  });

  it('Content › Entries: paging, search, an entry’s page, its access-control profile changed and saved', async () => {
    const c = client(t, ks);
    const profile = await run(c, kaltura.services.accessControl.add(new O.AccessControl({ name: 'Campus only', restrictions: [new O.SiteRestriction({ siteRestrictionType: 1, siteList: 'campus.edu' })] })));
    const rows = page.locator('.ui-table-tbody tr, p-table tbody tr');
    // Page 1 holds 50 of the 55, newest first; page 2 the other 5.
    await expect.poll(() => rows.count()).toBe(50);
    const first = await rows.first().innerText();
    expect(first).toContain('Lecture 55');
    expect(first).toContain('Ready');
    await page.locator('p-paginator').getByText('2', { exact: true }).click();
    await expect.poll(() => rows.count()).toBe(5);
    await expect.poll(() => rows.first().innerText()).toContain('Lecture 05');
    await kmcScreenshot(page, '02-entries-page-2');

    await page.locator('input[placeholder="Search Entries"]').fill('Lecture 42');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.count()).toBe(1);
    await kmcScreenshot(page, '03-entries-search');
    const entryId = (await run(c, kaltura.services.baseEntry.listAction(new O.BaseEntryFilter({ nameEqual: 'Lecture 42' })))).objects[0].id;
    expect(await rows.first().innerText()).toContain(entryId);

    await rows.first().getByText('Lecture 42', { exact: true }).click();
    await page.waitForURL(new RegExp(`/content/entries/entry/${entryId}/`));
    await page.getByText('Access Control', { exact: true }).first().click();
    await page.getByText('Access Control Profiles').waitFor();
    await choose(page, page.locator('p-dropdown').first(), 'Campus only');
    await page.getByText('campus.edu').waitFor();
    await kmcScreenshot(page, '04-entry-access-control');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await run(c, kaltura.services.baseEntry.get(entryId))).accessControlId).toBe(profile.id);
    await expect.poll(() => rec.names()).toContain('baseentry.update');
  });

  it('Content › Documents and Rooms: empty lists, no error (document_documents.list, elasticsearch_esearch.searchEntry)', async () => {
    const tab = (name: RegExp) => page.locator('.subMenuContainer a').filter({ hasText: name }).first();
    await page.goto(`${kmc.url}/content/entries/list`);
    await tab(/documents/i).click();
    await expect.poll(() => rec.names()).toContain('document_documents.list');
    await tab(/rooms/i).click();
    await expect.poll(() => rec.names()).toContain('elasticsearch_esearch.searchentry');
    await page.getByText('No Results').first().waitFor();
    // Its search box adds a free-text item to the same tree: still no rooms, still no error.
    const searches = () => rec.names().filter((n) => n === 'elasticsearch_esearch.searchentry').length;
    const before = searches();
    await page.locator('input[placeholder="Search Rooms"]').fill('Lecture');
    await page.keyboard.press('Enter');
    await expect.poll(searches).toBeGreaterThan(before);
    await page.getByText('No Results').first().waitFor();
    await kmcScreenshot(page, '04b-rooms');
  });

  it('Settings › Access Control: list, create with domains, countries, IPs, flavors and preview, edit, delete', async () => {
    const c = client(t, ks);
    await page.goto(`${kmc.url}/settings/accessControl`);
    const table = page.locator('p-table, .ui-table').first();
    await table.getByText('Campus only').waitFor();
    await table.getByText('Default').first().waitFor();
    await kmcScreenshot(page, '05-access-control-list');

    await page.getByRole('button', { name: /Add Profile/i }).click();
    const dialog = page.locator('.kContainer').filter({ hasText: 'Authorized Domains' });
    await dialog.locator('input[pinputtext]').first().fill('Lecture halls');
    await dialog.locator('textarea').fill('On campus, no France, two flavors');
    const section = (title: string) => dialog.locator('.kFormSection').filter({ hasText: title });
    const radio = async (title: string, label: string) => section(title).locator('label').filter({ hasText: label }).click();
    await radio('Authorized Domains', 'Selected Domains Only');
    const domains = section('Authorized Domains').locator('input[role=searchbox]:not([disabled])');
    await domains.fill('campus.edu');
    await domains.press('Enter');
    await radio('Authorized Countries', 'Block Selected Countries');
    await section('Authorized Countries').locator('.p-multiselect:not(.p-disabled)').click();
    await page.locator('.p-multiselect-panel li').filter({ hasText: /^\s*France\s*$/ }).click();
    await page.keyboard.press('Escape');
    await radio('Authorized IPs', 'Selected IPs Only');
    const ips = section('Authorized IPs').locator('input[role=searchbox]:not([disabled])');
    await ips.fill('10.0.0.0/8');
    await ips.press('Enter');
    await radio('Authorized Flavors', 'Selected Flavors Only');
    await section('Authorized Flavors').locator('.p-multiselect:not(.p-disabled)').click();
    await page.locator('.p-multiselect-panel li').filter({ hasText: /^\s*Source\s*$/ }).click();
    await page.locator('.p-multiselect-panel li').filter({ hasText: 'HD/720 - WEB (H264/2500)' }).click();
    await page.keyboard.press('Escape');
    await kmcScreenshot(page, '06-access-control-new');
    await page.locator('.kSaveButton').click();
    await table.getByText('Lecture halls').waitFor();

    const saved = (await run(c, kaltura.services.accessControl.listAction())).objects.find((o: any) => o.name === 'Lecture halls');
    expect(saved).toMatchObject({ description: 'On campus, no France, two flavors', containsUnsuportedRestrictions: false });
    const byType = Object.fromEntries(saved.restrictions.map((r: any) => [r.objectType, r]));
    expect(byType.KalturaSiteRestriction).toMatchObject({ siteRestrictionType: 1, siteList: 'campus.edu' });
    expect(byType.KalturaCountryRestriction).toMatchObject({ countryRestrictionType: 0, countryList: 'FR' });
    expect(byType.KalturaIpAddressRestriction).toMatchObject({ ipAddressRestrictionType: 1, ipAddressList: '10.0.0.0/8' });
    expect(byType.KalturaLimitFlavorsRestriction).toMatchObject({ limitFlavorsRestrictionType: 1 });
    expect(byType.KalturaLimitFlavorsRestriction.flavorParamsIds.split(',').sort()).toEqual(['0', '487081']);
    await expect.poll(() => page.locator('.kSaveButton').count()).toBe(0);
    await kmcScreenshot(page, '07-access-control-saved');

    // Edit: any domain again, secured with a session and a free preview of one minute.
    const row = table.locator('tr').filter({ hasText: 'Lecture halls' });
    await row.locator('.kIconmore, [class*=kIconmore]').first().click();
    await page.locator('.p-menu, .p-tieredmenu').getByText('Edit', { exact: true }).click();
    await radio('Authorized Domains', 'All Domains');
    await section('Advanced Security').locator('p-inputswitch').click();
    await section('Advanced Security').locator('p-checkbox').click();
    // kmc-ng's time spinner: the arrow key steps the minutes.
    await section('Advanced Security').locator('input.kMinutes').click();
    await page.keyboard.press('ArrowUp');
    await kmcScreenshot(page, '08-access-control-edit');
    await page.locator('.kSaveButton').click();
    await expect.poll(() => page.locator('.kSaveButton').count()).toBe(0);
    const edited = await run(c, kaltura.services.accessControl.get(saved.id));
    const kinds = edited.restrictions.map((r: any) => r.objectType);
    expect(kinds).not.toContain('KalturaSiteRestriction');
    expect(kinds).toContain('KalturaCountryRestriction');
    expect(edited.restrictions.find((r: any) => r.objectType === 'KalturaPreviewRestriction')).toMatchObject({ previewLength: 60 });
    await kmcScreenshot(page, '09-access-control-edited');

    // Delete, confirmed.
    await row.locator('.kIconmore, [class*=kIconmore]').first().click();
    await page.locator('.p-menu:visible, .p-tieredmenu:visible').getByText('Delete', { exact: true }).click();
    // The visible confirmation's button: under load an earlier, closing dialog may still be in the page.
    await page.locator('.p-dialog button:visible, .p-confirm-dialog button:visible').filter({ hasText: /^\s*(Yes|Delete|OK)\s*$/ }).first().click();
    await expect.poll(() => table.getByText('Lecture halls').count()).toBe(0);
    expect((await run(c, kaltura.services.accessControlProfile.listAction())).objects.map((o: any) => o.name)).not.toContain('Lecture halls');
  });

  const userMenu = async (item: string) => {
    await page.locator('.kUserInitials, [class*=kUserInitials]').first().click();
    await page.locator('a').filter({ hasText: new RegExp(`^\\s*${item}\\s*$`) }).first().click();
  };

  it('Settings › My User: the name changed in kmc-ng’s dialog (user.updateLoginData, the password asked again) is shown and stored', async () => {
    await page.goto(`${kmc.url}/settings/myUserSettings`);
    const nameRow = page.locator('.kUserDetailsSection .kRow').filter({ hasText: 'User Name' });
    await expect.poll(() => nameRow.innerText()).toContain('Pat Admin');
    // The pen opens kmc-ng's Edit User Name dialog: first name, last name and the current password,
    // sent as user.updateLoginData(oldLoginId, password, newFirstName, newLastName); the page then reads user.get's fullName.
    await nameRow.locator('i.kIconpen').click();
    const dialog = page.locator('keditusername');
    const names = dialog.locator('input[pinputtext]:not([type=password])');
    await names.nth(0).fill('Patricia');
    await names.nth(1).fill('Adminson');
    await dialog.locator('input[type=password]').fill(p.password);
    await kmcScreenshot(page, '10a-my-user-name');
    await dialog.locator('.kButtonBranded').filter({ hasText: 'Save' }).click();
    await expect.poll(() => dialog.locator('input[type=password]').isVisible()).toBe(false);
    await expect.poll(() => nameRow.innerText()).toContain('Patricia Adminson');
    await rec.settle();
    expect(rec.calls.filter((c) => `${c.service}.${c.action}`.toLowerCase() === 'user.updatelogindata')).toEqual([{ service: 'user', action: 'updateLoginData' }]);
    const stored = await run(client(t, ks), kaltura.services.user.getByLoginId(p.adminEmail));
    expect(stored).toMatchObject({ firstName: 'Patricia', lastName: 'Adminson', fullName: 'Patricia Adminson' });
    // The password was only proved, not changed: it still signs in.
    await run(client(t), kaltura.services.user.loginByLoginId(p.adminEmail, p.password));
  });

  it('Settings › My User: the password changed in kmc-ng’s dialog is the one that signs in; logout; sign in again', async () => {
    const newPassword = 'amber-Field-sparrow-7';
    await page.goto(`${kmc.url}/settings/myUserSettings`);
    await page.getByText('Edit Password').click();
    await page.locator('input[formcontrolname=currentPassword]').fill(p.password);
    await page.locator('input[formcontrolname=newPassword]').fill(newPassword);
    await page.locator('input[formcontrolname=reTypeNewPassword]').fill(newPassword);
    await kmcScreenshot(page, '10-my-user-password');
    await page.locator('.kButtonBranded').filter({ hasText: 'Save' }).click();
    await expect.poll(() => page.locator('input[formcontrolname=newPassword]').count()).toBe(0);
    await expect.poll(() => rec.names().some((n) => n === 'adminuser.updatepassword' || n === 'user.updatelogindata')).toBe(true);
    p.password = newPassword;
    await run(client(t), kaltura.services.user.loginByLoginId(p.adminEmail, newPassword));

    await userMenu('Logout');
    await page.locator('form.kLoginForm').waitFor();
    await kmcScreenshot(page, '11-signed-out');
    await signIn(page, kmc.url, p.adminEmail, newPassword);
    await page.getByText('55 Entries').waitFor();
  });

  it('Change Account moves to another partner of the same login (user.loginByKs); login by KS at /actions/login-by-ks/<KS>', async () => {
    const other = await registerPartner(t, 'Kmc Second College');
    await run(client(t, await adminKs(t, other)), kaltura.services.user.add(new O.User({ id: 'pat-second', email: p.adminEmail, firstName: 'Pat', lastName: 'Second', isAdmin: true })));
    await run(client(t, await adminKs(t, other)), kaltura.services.media.add(new O.MediaEntry({ name: 'Only in the second college', mediaType: 1 })));
    await userMenu('Change Account');
    const dialog = page.locator('kchangeaccount');
    await dialog.locator('label').filter({ hasText: `Kmc Second College (${other.id})` }).click();
    await kmcScreenshot(page, '12-change-account');
    await dialog.locator('button').filter({ hasText: 'Continue' }).click();
    await page.getByText('Only in the second college').waitFor();
    await expect.poll(() => rec.names()).toContain('user.loginbyks');
    await kmcScreenshot(page, '13-second-partner');

    await userMenu('Logout');
    await page.locator('form.kLoginForm').waitFor();
    const userKs = await adminKs(t, p, p.adminEmail, 'disableentitlement');
    await page.goto(`${kmc.url}/actions/login-by-ks/${userKs}`);
    await page.getByText('55 Entries').waitFor();
    await kmcScreenshot(page, '14-login-by-ks');
  });
});
