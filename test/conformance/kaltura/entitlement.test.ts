/**
 * Entitlement enforcement (issue 17) through the official client and the delivery door, on every
 * dialect: when it applies (enableentitlement; the partner's default unless disableentitlement;
 * disableentitlementforentry), the protocol's §10 order (owner, uncategorised entries, a category
 * of the session's context open to the user or with the user as member, inherited members
 * included), and everywhere an entry is reached: baseEntry/media get, list and count (with exact
 * totalCount), getContextData, the delivery URLs and /authz/delivery.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry, contextData } from '../../support/access-control.js';
import { operatorToken } from '../../support/console.js';
import { ORIGIN, request } from '../../support/delivery.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';
import { api } from '../../support/rest.js';

const O = kaltura.objects;
const S = kaltura.services;
const CTX = 'MEDIASPACE';
const MEMBERS_ONLY = 3;
const ALL = 1;
const INHERIT = 1;
const MANUAL = 2;

for (const dialect of DIALECTS) {
  describe(`entitlement enforcement [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let admin: any;
    let coursesId = 0;
    /** Entries: in Course 101 (members-only, members inherited from Courses), in Open (ALL), in Other (another context), in none, and one the stranger owns inside Course 101. */
    const e: Record<'course' | 'open' | 'other' | 'none' | 'owned', string> = { course: '', open: '', other: '', none: '', owned: '' };
    const ks = (userId: string, privileges: string | null) => run<string>(client(t), S.session.start(p.secret, userId, 0, p.id, 3600, privileges));
    const get = async (k: string, id: string) => {
      try {
        return (await run(client(t, k), S.baseEntry.get(id))).id as string;
      } catch (err) {
        return (err as { code?: string }).code ?? String(err);
      }
    };
    const listed = async (k: string) => {
      const r = await run(client(t, k), S.baseEntry.listAction(new O.BaseEntryFilter({ orderBy: '+createdAt' }), new O.FilterPager({ pageSize: 500 })));
      return { ids: (r.objects ?? []).map((x: { id: string }) => x.id).sort(), total: r.totalCount as number };
    };
    const authz = (k: string | null, id: string) => request(t, '/authz/delivery', { headers: { 'x-original-uri': `/p/${p.id}/sp/${p.id}00/playManifest/entryId/${id}${k ? `/ks/${k}` : ''}/format/url/protocol/https/a.mp4` } });

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'entitlement', { env: { GATEHOUSE_DELIVERY_ORIGIN: ORIGIN } });
      p = await registerPartner(t, 'Entitled U');
      admin = client(t, await adminKs(t, p, p.adminEmail));
      const cat = (fields: Record<string, unknown>) => run(admin, S.category.add(new O.Category(fields)));
      const courses = await cat({ name: 'Courses', privacyContext: CTX, privacy: MEMBERS_ONLY, inheritanceType: MANUAL });
      // Privacy is each category's own; members (INHERIT) and contexts come from the parent.
      coursesId = courses.id;
      const course101 = await cat({ name: 'Course 101', parentId: courses.id, inheritanceType: INHERIT, privacy: MEMBERS_ONLY });
      const open = await cat({ name: 'Open', privacyContext: CTX, privacy: ALL });
      const other = await cat({ name: 'Other', privacyContext: 'OTHERCTX', privacy: MEMBERS_ONLY });
      for (const k of Object.keys(e) as Array<keyof typeof e>) e[k] = (await addEntry(admin, k === 'owned' ? { userId: 'stranger' } : {})).id;
      const link = (categoryId: number, entryId: string) => run(admin, S.categoryEntry.add(new O.CategoryEntry({ categoryId, entryId })));
      await link(course101.id, e.course);
      await link(open.id, e.open);
      await link(other.id, e.other);
      await link(course101.id, e.owned);
      await run(admin, S.categoryUser.add(new O.CategoryUser({ categoryId: courses.id, userId: 'student', permissionLevel: 3 })));
      await run(admin, S.user.add(new O.User({ id: 'stranger', firstName: 'S', email: 'stranger@uni.test' })));
    });
    afterAll(() => t?.close());

    it('get: a member (via the parent that manages members) reaches the course entry; a stranger gets ENTRY_ID_NOT_FOUND', async () => {
      const student = await ks('student', `enableentitlement,privacycontext:${CTX}`);
      const stranger = await ks('stranger', `enableentitlement,privacycontext:${CTX}`);
      expect(await get(student, e.course)).toBe(e.course);
      expect(await get(stranger, e.course)).toBe('ENTRY_ID_NOT_FOUND');
      // Open to all in the context; an uncategorised entry is open for get (§10 step 6).
      for (const k of [student, stranger]) {
        expect(await get(k, e.open)).toBe(e.open);
        expect(await get(k, e.none)).toBe(e.none);
      }
      // Only in another context's categories: refused even to a session that could see anything here.
      expect(await get(student, e.other)).toBe('ENTRY_ID_NOT_FOUND');
      // The owner always.
      expect(await get(stranger, e.owned)).toBe(e.owned);
      expect(await failure(client(t, stranger), S.media.get(e.course))).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND', args: { ENTRY_ID: e.course } });
      // categoryEntry.list naming such an entry answers as get does; the member sees its link.
      expect(await failure(client(t, stranger), S.categoryEntry.listAction(new O.CategoryEntryFilter({ entryIdEqual: e.course })))).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND' });
      expect((await run(client(t, student), S.categoryEntry.listAction(new O.CategoryEntryFilter({ entryIdEqual: e.course })))).totalCount).toBe(1);
    });

    it('a member whose session lacks the context is refused; without enableentitlement nothing is enforced; disableentitlementforentry lifts it for that entry', async () => {
      expect(await get(await ks('student', 'enableentitlement'), e.course)).toBe('ENTRY_ID_NOT_FOUND');
      const plain = await ks('stranger', null);
      for (const id of Object.values(e)) expect(await get(plain, id)).toBe(id);
      const lifted = await ks('stranger', `enableentitlement,privacycontext:${CTX},disableentitlementforentry:${e.course}`);
      expect(await get(lifted, e.course)).toBe(e.course);
      expect(await get(lifted, e.other)).toBe('ENTRY_ID_NOT_FOUND');
    });

    it('list and count filter in the database: exact totalCount, and a session with a context lists no uncategorised entries (§12)', async () => {
      const student = await ks('student', `enableentitlement,privacycontext:${CTX},list:*`);
      const stranger = await ks('stranger', `enableentitlement,privacycontext:${CTX},list:*`);
      expect(await listed(student)).toEqual({ ids: [e.course, e.open, e.owned].sort(), total: 3 });
      expect(await listed(stranger)).toEqual({ ids: [e.open, e.owned].sort(), total: 2 });
      expect(await run(client(t, stranger), S.baseEntry.count(new O.BaseEntryFilter({})))).toBe(2);
      expect(await run(client(t, student), S.media.count(new O.MediaEntryFilter({})))).toBe(3);
      // Not enforced: everything (list:* lets a USER session list others' entries).
      expect((await listed(await ks('stranger', 'list:*'))).total).toBe(5);
      // Enforced without a context: only context-less categories count, so the uncategorised entry is listed and none of the others.
      expect(await listed(await ks('student', 'enableentitlement,list:*'))).toEqual({ ids: [e.none], total: 1 });
    });

    it('getContextData, the delivery URL and /authz/delivery refuse what get refuses', async () => {
      const student = await ks('student', `enableentitlement,privacycontext:${CTX},sview:*`);
      const stranger = await ks('stranger', `enableentitlement,privacycontext:${CTX},sview:*`);
      expect((await contextData(t, stranger, e.course)).result).toMatchObject({ objectType: 'KalturaAPIException', code: 'ENTRY_ID_NOT_FOUND' });
      expect((await contextData(t, student, e.course)).result.objectType).toBe('KalturaEntryContextDataResult');
      const refused = await authz(stranger, e.course);
      expect(refused.status).toBe(403);
      expect(refused.headers['x-gatehouse-reason']).toBe('entitlement');
      expect(JSON.parse(refused.body)).toMatchObject({ status: 403, reason: 'entitlement' });
      const allowed = await authz(student, e.course);
      expect(allowed.status).toBe(200);
      expect(allowed.headers['x-gatehouse-user']).toBe('student');
      const url = await request(t, `/p/${p.id}/sp/${p.id}00/playManifest/entryId/${e.course}/ks/${stranger}/format/url/protocol/https/a.mp4`);
      expect(url.status).toBe(403);
      expect(JSON.parse(url.body)).toMatchObject({ reason: 'entitlement' });
      expect((await request(t, `/p/${p.id}/sp/${p.id}00/playManifest/entryId/${e.course}/ks/${student}/format/url/protocol/https/a.mp4`)).status).toBe(302);
    });

    it("the partner's default applies to sessions that say nothing and to anonymous viewers; disableentitlement opts out; a new membership takes effect at once", async () => {
      const op = await operatorToken(t);
      const set = (on: boolean) => api(t, 'PATCH', `/api/partners/${p.id}`, { token: op, body: { settings: { defaultEntitlementEnforcement: on } } });
      expect((await set(true)).status).toBe(200);
      try {
        const plain = await ks('stranger', 'sview:*');
        expect(await get(plain, e.course)).toBe('ENTRY_ID_NOT_FOUND');
        // The course entry is in MEDIASPACE only: a session without that context is outside it.
        expect((await authz(plain, e.course)).status).toBe(403);
        expect((await authz(null, e.course)).status).toBe(403);
        expect((await authz(null, e.none)).status).toBe(200);
        expect(await get(await ks('stranger', 'disableentitlement'), e.course)).toBe(e.course);
        const withContext = await ks('stranger', `privacycontext:${CTX},sview:*`);
        expect((await authz(withContext, e.course)).status).toBe(403);
        const lister = await ks('stranger', `privacycontext:${CTX},list:*`);
        expect(await listed(lister)).toEqual({ ids: [e.open, e.owned].sort(), total: 2 });
        // Joining the category that manages Course 101's members: allowed on the next request (the cache is invalidated).
        // An administrator under the partner's default says disableentitlement (as Kaltura's KMC does) to manage every category.
        const manager = client(t, await adminKs(t, p, p.adminEmail, 'disableentitlement'));
        await run(manager, S.categoryUser.add(new O.CategoryUser({ categoryId: coursesId, userId: 'stranger', permissionLevel: 3 })));
        expect((await authz(withContext, e.course)).status).toBe(200);
        expect(await get(withContext, e.course)).toBe(e.course);
        // The list's entitled categories are cached too, and dropped with the membership change.
        expect(await listed(lister)).toEqual({ ids: [e.course, e.open, e.owned].sort(), total: 3 });
      } finally {
        await set(false);
      }
    });
  });
}
