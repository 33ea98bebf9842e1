/**
 * The console's categories end to end (issue 17), in Chromium against a real Gatehouse (SQLite):
 * a partner admin builds the seed's course (a members-only category in the MEDIASPACE context, a
 * child inheriting its members), adds a student and an entry, sees them in the tree and on the
 * entries page, and the simulator explains why the student may play the entry and a stranger may
 * not. Every page passes the WCAG 2.1 AA checks.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, userWithPermissions } from '../support/rest.js';
import { accessibilityViolations, CHROMIUM, consoleSignIn, consoleSignOut, ensureConsoleBuilt, openBrowser, screenshot, type Browser } from './support.js';

const skip = !existsSync(CHROMIUM) && !process.env.CI;

describe.skipIf(skip)('console: categories, entitlement in the simulator (Chromium)', () => {
  let t: TestGatehouse;
  let p: TestPartner;
  let token: string;
  let b: Browser;
  let page: Page;
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    t = await startGatehouse('sqlite', 'e2e-categories');
    p = await registerPartner(t, 'Category College');
    token = await adminToken(t, p);
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

  const a11y = async (name: string) => expect(await accessibilityViolations(page), name).toEqual([]);
  const nav = () => page.getByRole('navigation', { name: 'Console sections' });
  const go = async (link: string, heading: string | RegExp) => {
    await nav().getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };
  const confirm = async (button: string) => {
    await page.getByRole('dialog').getByRole('button', { name: button }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
  };
  const newEntry = async (name: string): Promise<string> => (await api(t, 'POST', '/api/entries', { token, body: { name } })).json.data.id;

  it('builds a course tree, adds a member and an entry, and shows them in the tree and on the entries page', async () => {
    const lecture = await newEntry('Lecture 1');
    await consoleSignIn(page, t.url, p.adminEmail, p.password);
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    await go('Categories', 'Categories');
    await page.getByText('No categories yet.').waitFor();
    await a11y('categories (empty)');

    // The seed's course: members-only in MEDIASPACE, a child that inherits its members.
    await page.getByRole('button', { name: 'Create a category' }).click();
    const form = page.getByRole('form', { name: 'Create a category' });
    await form.getByLabel('Category name').fill('Courses');
    await form.getByLabel('Privacy', { exact: true }).selectOption({ label: 'Members only' });
    await form.getByLabel('Privacy context').fill('MEDIASPACE');
    await form.getByRole('button', { name: 'Create category' }).click();
    await page.getByRole('status').getByText(/Category Courses created/).waitFor();
    await form.getByLabel('Category name').fill('Course 101');
    await expect.poll(() => form.getByLabel('Parent category').locator('option').allTextContents()).toContain('Courses');
    await form.getByLabel('Parent category').selectOption({ label: 'Courses' });
    await form.getByLabel('Privacy', { exact: true }).selectOption({ label: 'Members only' });
    await form.getByLabel('Members', { exact: true }).selectOption({ label: 'Inherited from the parent' });
    await form.getByRole('button', { name: 'Create category' }).click();
    await page.getByRole('status').getByText(/Category Courses>Course 101 created/).waitFor();

    // The tree: the child shows once its parent is opened, with inherited context and members.
    const tree = page.getByRole('table', { name: 'Category tree' });
    const coursesRow = tree.getByRole('row').filter({ has: page.getByRole('link', { name: 'Courses', exact: true }) });
    expect(await coursesRow.textContent()).toContain('Members only');
    expect(await coursesRow.textContent()).toContain('MEDIASPACE');
    expect(await tree.getByRole('link', { name: 'Course 101' }).count()).toBe(0);
    const twisty = coursesRow.getByRole('button', { name: 'Subcategories of Courses (1)' });
    expect(await twisty.getAttribute('aria-expanded')).toBe('false');
    await twisty.click();
    const childRow = tree.getByRole('row').filter({ has: page.getByRole('link', { name: 'Course 101' }) });
    await childRow.waitFor();
    expect(await twisty.getAttribute('aria-expanded')).toBe('true');
    const childText = await childRow.textContent();
    expect(childText).toContain('Courses>Course 101');
    expect(childText).toContain('inherited: MEDIASPACE');
    expect(childText).toContain('inherited from Courses');
    await a11y('category tree');
    await screenshot(page, 'categories-01-tree');

    // Courses' page: a member (ana), and a second member whose level changes before removal.
    await coursesRow.getByRole('link', { name: 'Courses', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Category: Courses' }).waitFor();
    const members = page.getByRole('table', { name: 'Members of Courses' });
    const member = (userId: string) => members.getByRole('row').filter({ has: page.getByRole('cell', { name: userId, exact: true }) });
    const addMember = page.getByRole('form', { name: 'Add a member' });
    await addMember.getByLabel('User id').fill('ana');
    await addMember.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('status').getByText('ana is now a member of Courses (Member).').waitFor();
    await member('ana').waitFor();
    await addMember.getByLabel('User id').fill('cy');
    await addMember.getByLabel('Permission level').selectOption({ label: 'Moderator' });
    await addMember.getByRole('button', { name: 'Add member' }).click();
    const cy = member('cy');
    await expect.poll(() => cy.textContent()).toContain('Moderator');
    await cy.getByRole('button', { name: 'Level' }).click();
    await page.getByRole('dialog').getByLabel('Permission level').selectOption({ label: 'Contributor' });
    await confirm('Save level');
    await expect.poll(() => cy.textContent()).toContain('Contributor');
    await a11y('category page');
    await cy.getByRole('button', { name: 'Remove' }).click();
    await confirm('Remove member');
    await expect.poll(() => cy.count()).toBe(0);
    // The creator of a members-only category is its owner and manager, so: the owner and ana.
    await page.getByText(/^2, managed here · owner /).waitFor();

    // Course 101: its members are Courses'; the entry goes in through its Entries panel.
    await go('Categories', 'Categories');
    await tree.getByRole('button', { name: 'Subcategories of Courses (1)' }).click();
    await tree.getByRole('link', { name: 'Course 101' }).click();
    await page.getByRole('heading', { level: 1, name: 'Category: Courses>Course 101' }).waitFor();
    await page.getByText('This category has the members of').waitFor();
    await page.getByRole('table', { name: 'Members of Courses>Course 101' }).getByRole('cell', { name: 'ana', exact: true }).waitFor();
    expect(await page.getByRole('form', { name: 'Add a member' }).count()).toBe(0);
    const addEntry = page.getByRole('form', { name: 'Add an entry' });
    await addEntry.getByLabel('Entry id').fill(lecture);
    await addEntry.getByRole('button', { name: 'Add entry' }).click();
    await page.getByRole('status').getByText(`${lecture} put into Courses>Course 101.`).waitFor();
    await page.getByRole('table', { name: 'Entries of Courses>Course 101' }).getByRole('cell', { name: lecture, exact: true }).waitFor();
    await a11y('category page (inheriting)');
    await screenshot(page, 'categories-02-course');

    // The entries page names the entry's categories.
    await go('Entries', 'Entries');
    const row = page.getByRole('row').filter({ hasText: 'Lecture 1' });
    await row.getByRole('link', { name: 'Courses>Course 101' }).waitFor();
    await a11y('entries with categories');
  }, 120_000);

  it('the simulator takes a user and explains the entitlement verdict', async () => {
    const lecture = (await api(t, 'GET', '/api/entries', { token, query: { search: 'Lecture 1' } })).json.data[0].id as string;
    await go('Simulator', 'Simulator');
    const sim = page.getByRole('form', { name: 'Simulate a viewer' });
    await sim.getByLabel('Decide for').selectOption('entry');
    await sim.getByLabel('Entry id').fill(lecture);
    await sim.getByLabel('Session', { exact: true }).selectOption('user');
    await sim.getByLabel('Session privileges').fill('enableentitlement,privacycontext:MEDIASPACE');
    await sim.getByLabel('User id').fill('ana');
    await sim.getByRole('button', { name: 'Simulate' }).click();
    const verdict = page.locator('.verdict');
    const why = page.locator('.entitlement-why');
    await expect.poll(() => why.textContent()).toBe('ana is a member of Courses>Course 101 (MEDIASPACE) via parent Courses');
    expect(await verdict.textContent()).toBe('Allowed');
    expect(await page.locator('.sim-result').textContent()).toContain('entitled');
    await a11y('simulator with entitlement');
    await screenshot(page, 'categories-03-simulator-member');

    await sim.getByLabel('User id').fill('bo');
    await sim.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => why.textContent()).toContain('bo is not a member');
    expect(await verdict.textContent()).toBe('Blocked');
    expect(await page.locator('.sim-result').textContent()).toContain('not entitled');
  }, 60_000);

  it('renames a category, then deletes it moving its entries to the parent', async () => {
    const courses = (await api(t, 'GET', '/api/categories', { token, query: { fullNameStartsWith: 'Courses' } })).json.data[0] as { id: number };
    const term = (await api(t, 'POST', '/api/categories', { token, body: { name: 'Old term', parentId: courses.id } })).json.data as { id: number };
    const notes = await newEntry('Notes');
    expect((await api(t, 'POST', `/api/categories/${term.id}/entries`, { token, body: { entryId: notes } })).status).toBe(201);

    await go('Categories', 'Categories');
    await page.getByLabel('Search by name, description or tags').fill('old term');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('table', { name: 'Matching categories' }).getByRole('link', { name: 'Courses>Old term' }).click();
    await page.getByRole('heading', { level: 1, name: 'Category: Courses>Old term' }).waitFor();
    const settings = page.getByRole('form', { name: 'Settings of Old term' });
    await settings.getByLabel('Category name').fill('Term 1');
    await settings.getByRole('button', { name: 'Save category' }).click();
    await page.getByRole('heading', { level: 1, name: 'Category: Courses>Term 1' }).waitFor();
    await page.getByRole('status').getByText('Category Courses>Term 1 saved.').waitFor();

    await page.getByRole('button', { name: 'Delete category' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('Move its entries to the parent (Courses)').isChecked()).toBe(true);
    await confirm('Delete category');
    await page.getByRole('heading', { level: 1, name: 'Categories' }).waitFor();
    expect((await api(t, 'GET', `/api/categories/${term.id}`, { token })).status).toBe(404);
    const moved = await api(t, 'GET', `/api/categories/${courses.id}/entries`, { token });
    expect(moved.json.data.map((l: { entryId: string }) => l.entryId)).toEqual([notes]);
    await consoleSignOut(page);
  }, 60_000);

  it('the page is in the navigation only for callers who may read categories, and offers only what they may do', async () => {
    const clerk = await userWithPermissions(t, p, 'KMC_ACCESS,ADMIN_BASE');
    await consoleSignIn(page, t.url, clerk.email, clerk.password);
    await page.getByRole('heading', { level: 1, name: 'Users and roles' }).waitFor();
    expect(await nav().getByRole('link', { name: 'Entries', exact: true }).count()).toBe(1);
    expect(await nav().getByRole('link', { name: 'Categories', exact: true }).count()).toBe(0);
    await consoleSignOut(page);

    const reader = await userWithPermissions(t, p, 'KMC_ACCESS,CONTENT_MANAGE_BASE');
    await consoleSignIn(page, t.url, reader.email, reader.password);
    await page.getByRole('heading', { level: 1, name: 'Users and roles' }).waitFor();
    await go('Categories', 'Categories');
    await page.getByRole('table', { name: 'Category tree' }).getByRole('link', { name: 'Courses', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Category: Courses' }).waitFor();
    await page.getByRole('heading', { name: 'Entries', exact: true }).waitFor();
    expect(await page.getByRole('form', { name: 'Settings of Courses' }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'Add an entry' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete category' }).count()).toBe(0);
    await page.getByText('Listing them needs CONTENT_MANAGE_ASSIGN_CATEGORIES or KMC_READ_ONLY.', { exact: false }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
    await a11y('category page (read only)');
    await consoleSignOut(page);
  }, 60_000);

  it('ran without Content-Security-Policy violations or page errors', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
