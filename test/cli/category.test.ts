/**
 * Kaltura's "How to Add Entitlements to Categories" through the real `gatehouse` binary against a
 * real server: a category with a privacy context, a members-only course under it, a member and an
 * entry — and then a session restricted to that context sees the entry for the member only.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliEnv, gatehouse, type CliResult } from '../support/cli.js';
import { operatorToken } from '../support/console.js';
import { post, registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';

let t: TestGatehouse;
let p: TestPartner;
let env: Record<string, string>;

const cli = (args: string[]): Promise<CliResult> => gatehouse(args, env);

beforeAll(async () => {
  t = await startGatehouse('sqlite', 'cli-category');
  p = await registerPartner(t);
  env = cliEnv({ KALTURA_SERVICE_URL: t.url, KALTURA_PARTNER_ID: String(p.id), KALTURA_ADMIN_SECRET: p.adminSecret });
});
afterAll(async () => {
  await t?.close();
});

// Each case spawns the real binary several times; on a loaded 2-core machine that can take a while.
vi.setConfig({ testTimeout: 120_000 });

describe('gatehouse category (real binary, real server)', () => {
  let portal: any;
  let course: any;
  let entryId: string;

  it('create: a context root, then a members-only course under it (parent by full name)', async () => {
    const r = await cli(['category', 'create', 'MediaSpace', '--privacy-context', 'MEDIASPACE', '--json']);
    expect(r.code, r.stderr).toBe(0);
    portal = r.json();
    expect(Object.keys(portal)).toEqual(['id', 'parentId', 'name', 'fullName', 'fullIds', 'depth', 'privacy', 'privacyContext', 'privacyContexts', 'appearInList', 'inheritanceType', 'owner', 'membersCount', 'entriesCount', 'directEntriesCount', 'createdAt', 'updatedAt']);
    expect(portal).toMatchObject({ parentId: null, fullName: 'MediaSpace', privacyContext: 'MEDIASPACE', privacyContexts: 'MEDIASPACE', privacy: 1 });

    const [c, table] = await Promise.all([
      cli(['category', 'create', 'Course 101', '--parent', 'mediaspace', '--privacy', 'members', '--appear-in-list', 'members', '--inheritance', 'manual', '--owner', 'prof', '--json']),
      cli(['category', 'create', 'Course 102', '--parent', String(portal.id), '--privacy', 'Authenticated']),
    ]);
    expect(c.code, c.stderr).toBe(0);
    course = c.json();
    expect(course).toMatchObject({ parentId: portal.id, fullName: 'MediaSpace>Course 101', depth: 1, privacy: 3, appearInList: 3, inheritanceType: 2, owner: 'prof', membersCount: 1, privacyContexts: 'MEDIASPACE' });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^id\s+\d+$/m);
    expect(table.stdout).toMatch(/^full name\s+MediaSpace>Course 102$/m);
    expect(table.stdout).toMatch(/^privacy\s+AUTHENTICATED_USERS$/m);
  });

  it('list: tree order, --parent by id or full name, --search, --json', async () => {
    const [table, json, children, search] = await Promise.all([
      cli(['category', 'list']),
      cli(['category', 'list', '--json']),
      cli(['category', 'list', '--parent', 'MediaSpace', '--json']),
      cli(['category', 'list', '--search', '102', '--json']),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+FULL NAME\s+PRIVACY\s+CONTEXTS\s+MEMBERS\s+ENTRIES/);
    expect(table.stdout).toMatch(new RegExp(`${course.id}\\s+MediaSpace>Course 101\\s+MEMBERS_ONLY\\s+MEDIASPACE\\s+1\\s+0`));
    expect(json.json().map((c: { fullName: string }) => c.fullName)).toEqual(['MediaSpace', 'MediaSpace>Course 101', 'MediaSpace>Course 102']);
    expect(children.json().map((c: { name: string }) => c.name)).toEqual(['Course 101', 'Course 102']);
    expect(search.json().map((c: { name: string }) => c.name)).toEqual(['Course 102']);
  });

  it('add-member and add-entry, by full name and by id', async () => {
    entryId = (await api(t, 'POST', '/api/entries', { token: await adminToken(t, p), body: { name: 'Lecture 1' } })).json.data.id;
    const [member, ta, link] = await Promise.all([
      cli(['category', 'add-member', 'MediaSpace>Course 101', 'student1', '--json']),
      cli(['category', 'add-member', String(course.id), 'ta1', '--level', 'moderator']),
      cli(['category', 'add-entry', 'mediaspace>course 101', entryId, '--json']),
    ]);
    expect(member.code, member.stderr).toBe(0);
    expect(member.json()).toEqual({ categoryId: course.id, userId: 'student1', permissionLevel: 3, status: 1, createdAt: expect.any(Number) });
    expect(ta.code, ta.stderr).toBe(0);
    expect(ta.stdout).toBe(`ta1 is MODERATOR of category ${course.id} (ACTIVE)\n`);
    expect(link.code, link.stderr).toBe(0);
    expect(link.json()).toEqual({ categoryId: course.id, entryId, status: 2, createdAt: expect.any(Number) });
    const listed = (await cli(['category', 'list', '--search', '101', '--json'])).json();
    expect(listed[0]).toMatchObject({ membersCount: 3, entriesCount: 1, directEntriesCount: 1 });
  });

  it('the result: a session restricted to MEDIASPACE sees the entry for a member only', async () => {
    const get = async (user: string): Promise<any> => {
      const s = await cli(['session', 'start', '--type', 'user', '--user', user, '--privileges', 'enableentitlement,privacycontext:MEDIASPACE', '--json']);
      expect(s.code, s.stderr).toBe(0);
      return (await post(t, '/api_v3/service/baseEntry/action/get', JSON.stringify({ ks: s.json().ks, entryId, format: 1 }), 'application/json')).json();
    };
    const [member, stranger] = await Promise.all([get('student1'), get('student2')]);
    expect(member).toMatchObject({ id: entryId, name: 'Lecture 1' });
    expect(stranger).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND' });
  });

  it("with the partner's default entitlement on, the CLI still sees and manages members-only categories (disableentitlement, as the KMC)", async () => {
    const op = await operatorToken(t);
    const on = await api(t, 'PATCH', `/api/partners/${p.id}`, { token: op, body: { settings: { defaultEntitlementEnforcement: true } } });
    expect(on.status, on.text).toBe(200);
    try {
      const [listed, member] = await Promise.all([cli(['category', 'list', '--json']), cli(['category', 'add-member', 'MediaSpace>Course 101', 'student3', '--json'])]);
      expect(listed.json().map((c: { fullName: string }) => c.fullName)).toContain('MediaSpace>Course 101');
      expect(member.code, member.stderr).toBe(0);
      expect(member.json()).toMatchObject({ userId: 'student3', status: 1 });
    } finally {
      await api(t, 'PATCH', `/api/partners/${p.id}`, { token: op, body: { settings: { defaultEntitlementEnforcement: false } } });
    }
  });

  it('errors: bad flags exit 2 before any call; server refusals exit 1 with the Kaltura code', async () => {
    const [privacy, level, unknown, duplicate, missing, noEntry] = await Promise.all([
      cli(['category', 'create', 'X', '--privacy', 'secret']),
      cli(['category', 'add-member', 'MediaSpace', 'u1', '--level', 'owner']),
      cli(['category', 'add-member', 'No Such Category', 'u1']),
      cli(['category', 'create', 'course 101', '--parent', 'MediaSpace']),
      cli(['category', 'add-entry', '987654', entryId]),
      cli(['category', 'add-entry', 'MediaSpace', '0_nosuchid']),
    ]);
    expect([privacy.code, privacy.stderr]).toEqual([2, 'error: USAGE: --privacy must be one of all, authenticated, members (got "secret")\n']);
    expect([level.code, level.stderr]).toEqual([2, 'error: USAGE: --level must be one of manager, moderator, contributor, member, none (got "owner")\n']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: CATEGORY_NOT_FOUND: no category named "No Such Category"/);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/^error: DUPLICATE_CATEGORY: /);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: CATEGORY_NOT_FOUND: /);
    expect(noEntry.code).toBe(1);
    expect(noEntry.stderr).toMatch(/^error: INVALID_ENTRY_ID: /);
  });
});
