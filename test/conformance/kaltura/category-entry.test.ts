/** categoryEntry.* through the official client on every dialect: links, their errors, filters, counts, and who may link. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const C = kaltura.services.category;
const CE = kaltura.services.categoryEntry;

for (const dialect of DIALECTS) {
  describe(`categoryEntry service [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let admin: any;
    let root: any;
    let child: any;
    const cat = (fields: Record<string, unknown>) => run(admin, C.add(new O.Category(fields)));
    const link = (c: any, categoryId: number, entryId: string) => run(c, CE.add(new O.CategoryEntry({ categoryId, entryId })));
    const links = (fields: Record<string, unknown>, c = admin) => run(c, CE.listAction(new O.CategoryEntryFilter(fields)));
    const userClient = async (userId: string, privileges = '') => client(t, await run(client(t), kaltura.services.session.start(p.secret, userId, 0, p.id, 3600, privileges)));
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'category-entry');
      p = await registerPartner(t, 'CategoryEntry U');
      admin = client(t, await adminKs(t, p, p.adminEmail));
      root = await cat({ name: 'Root' });
      child = await cat({ name: 'Child', parentId: root.id });
    });
    afterAll(() => t?.close());

    it('add links an entry; the link answers with its path, status and creator; twice is CATEGORY_ENTRY_ALREADY_EXISTS', async () => {
      const e = await addEntry(admin);
      const l = await link(admin, child.id, e.id);
      expect(l).toMatchObject({ objectType: 'KalturaCategoryEntry', categoryId: child.id, entryId: e.id, categoryFullIds: `${root.id}>${child.id}`, status: 2, creatorUserId: p.adminEmail });
      expect(await failure(admin, CE.add(new O.CategoryEntry({ categoryId: child.id, entryId: e.id })))).toMatchObject({ code: 'CATEGORY_ENTRY_ALREADY_EXISTS', message: 'Entry already assigned to this category' });
      expect(await failure(admin, CE.add(new O.CategoryEntry({ categoryId: child.id, entryId: '0_nosuch00' })))).toMatchObject({ code: 'INVALID_ENTRY_ID', args: { ID: '0_nosuch00' }, message: 'Invalid entry id ["0_nosuch00"]' });
      expect(await failure(admin, CE.add(new O.CategoryEntry({ categoryId: 999999, entryId: e.id })))).toMatchObject({ code: 'CATEGORY_NOT_FOUND', args: { ID: '999999' } });
      expect(await failure(admin, CE.add(new O.CategoryEntry({ categoryId: child.id })))).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaCategoryEntry::entryId' } });
      expect(await failure(admin, CE.add(new O.CategoryEntry({ categoryId: child.id, entryId: e.id, status: 1 })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE' });
    });

    it('list by entry, by category (one or several), by full-ids prefix; the pager and totalCount', async () => {
      const e1 = await addEntry(admin);
      const e2 = await addEntry(admin);
      const other = await cat({ name: 'Other' });
      await link(admin, root.id, e1.id);
      await link(admin, child.id, e1.id);
      await link(admin, child.id, e2.id);
      await link(admin, other.id, e2.id);
      const pairs = (r: any) => r.objects.map((l: any) => `${l.categoryId}:${l.entryId}`);
      expect(pairs(await links({ entryIdEqual: e1.id }))).toEqual([`${root.id}:${e1.id}`, `${child.id}:${e1.id}`]);
      expect(pairs(await links({ categoryIdIn: `${other.id},${root.id}`, entryIdIn: `${e1.id},${e2.id}` }))).toEqual([`${root.id}:${e1.id}`, `${other.id}:${e2.id}`]);
      expect(pairs(await links({ categoryFullIdsStartsWith: `${root.id}>`, entryIdIn: `${e1.id},${e2.id}` }))).toEqual([`${child.id}:${e1.id}`, `${child.id}:${e2.id}`]);
      const page = await run(admin, CE.listAction(new O.CategoryEntryFilter({ entryIdIn: `${e1.id},${e2.id}`, orderBy: '-createdAt' }), new O.FilterPager({ pageSize: 3, pageIndex: 2 })));
      expect(page).toMatchObject({ objectType: 'KalturaCategoryEntryListResponse', totalCount: 4 });
      expect(page.objects).toHaveLength(1);
      // A USER session must name an entry or a category.
      expect(await failure(await userClient('lister'), CE.listAction(new O.CategoryEntryFilter({})))).toMatchObject({ code: 'MUST_FILTER_ON_ENTRY_OR_CATEGORY', message: 'Must filter on entry id or category' });
    });

    it('delete unlinks (ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY after), counts follow, and the entry may be linked again', async () => {
      const top = await cat({ name: 'Counts' });
      const a = await cat({ name: 'a', parentId: top.id });
      const b = await cat({ name: 'b', parentId: top.id });
      const e = await addEntry(admin);
      await link(admin, a.id, e.id);
      await link(admin, b.id, e.id);
      expect(await run(admin, C.get(top.id))).toMatchObject({ entriesCount: 1, directEntriesCount: 0 });
      expect(await run(admin, CE.deleteAction(e.id, a.id))).toBeNull();
      expect(await failure(admin, CE.deleteAction(e.id, a.id))).toMatchObject({ code: 'ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY', message: "Entry doesn't assigned to category" });
      expect(await run(admin, C.get(a.id))).toMatchObject({ entriesCount: 0, directEntriesCount: 0 });
      expect(await run(admin, C.get(top.id))).toMatchObject({ entriesCount: 1 });
      await run(admin, CE.deleteAction(e.id, b.id));
      expect(await run(admin, C.get(top.id))).toMatchObject({ entriesCount: 0 });
      expect(await link(admin, a.id, e.id)).toMatchObject({ status: 2 });
      expect(await run(admin, C.get(top.id))).toMatchObject({ entriesCount: 1 });
    });

    it('deleting the entry removes its links and fixes the counts', async () => {
      const c = await cat({ name: 'Gone entries' });
      const e = await addEntry(admin);
      await link(admin, c.id, e.id);
      expect((await run(admin, C.get(c.id))).directEntriesCount).toBe(1);
      await run(admin, kaltura.services.media.deleteAction(e.id));
      expect(await run(admin, C.get(c.id))).toMatchObject({ entriesCount: 0, directEntriesCount: 0 });
      expect((await links({ categoryIdEqual: c.id })).totalCount).toBe(0);
    });

    it('an entry takes at most 32 categories', async () => {
      const e = await addEntry(admin);
      const top = await cat({ name: 'Many' });
      for (let i = 0; i < 32; i++) await link(admin, (await cat({ name: `m${i}`, parentId: top.id })).id, e.id);
      const one = await cat({ name: 'one more', parentId: top.id });
      expect(await failure(admin, CE.add(new O.CategoryEntry({ categoryId: one.id, entryId: e.id })))).toMatchObject({ code: 'MAX_CATEGORIES_FOR_ENTRY_REACHED', args: { CATEGORIES: '32' } });
      expect(await run(admin, C.get(top.id))).toMatchObject({ entriesCount: 1, directSubCategoriesCount: 33 });
    });

    it('a USER session links and unlinks only entries it may edit', async () => {
      const uploader = await userClient('uploader');
      const own = await addEntry(uploader);
      expect(await link(uploader, child.id, own.id)).toMatchObject({ creatorUserId: 'uploader' });
      const foreign = await addEntry(admin);
      expect(await failure(uploader, CE.add(new O.CategoryEntry({ categoryId: child.id, entryId: foreign.id })))).toMatchObject({ code: 'CANNOT_ASSIGN_ENTRY_TO_CATEGORY' });
      await link(admin, child.id, foreign.id);
      expect(await failure(uploader, CE.deleteAction(foreign.id, child.id))).toMatchObject({ code: 'CANNOT_REMOVE_ENTRY_FROM_CATEGORY' });
      expect(await run(uploader, CE.deleteAction(own.id, child.id))).toBeNull();
      // Another partner's category does not exist for this one.
      const other = await registerPartner(t, 'CategoryEntry Other');
      const theirs = client(t, await adminKs(t, other));
      expect(await failure(theirs, CE.add(new O.CategoryEntry({ categoryId: child.id, entryId: (await addEntry(theirs)).id })))).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
    });

    it('under entitlement: contributors only where the category says so, and rows of unseen categories are dropped', async () => {
      const course = await cat({ name: 'Course', privacyContext: 'COURSECTX', privacy: 3, contributionPolicy: 2, owner: 'teacher' });
      const student = await userClient('student', 'enableentitlement,privacycontext:COURSECTX');
      const teacher = await userClient('teacher', 'enableentitlement,privacycontext:COURSECTX');
      const studentEntry = await addEntry(student);
      const teacherEntry = await addEntry(teacher);
      // The owner of the entry may contribute it; a non-member may not contribute someone else's.
      expect(await link(student, course.id, studentEntry.id)).toMatchObject({ status: 2 });
      expect(await failure(student, CE.add(new O.CategoryEntry({ categoryId: course.id, entryId: teacherEntry.id })))).toMatchObject({ code: 'CANNOT_ASSIGN_ENTRY_TO_CATEGORY' });
      expect(await link(teacher, course.id, teacherEntry.id)).toMatchObject({ status: 2 });
      // The manager removes anyone's entry; the student cannot remove the teacher's.
      expect(await failure(student, CE.deleteAction(teacherEntry.id, course.id))).toMatchObject({ code: 'CANNOT_REMOVE_ENTRY_FROM_CATEGORY' });
      expect(await run(teacher, CE.deleteAction(studentEntry.id, course.id))).toBeNull();
      // A session of another context does not see the category.
      const elsewhere = await userClient('teacher', 'enableentitlement,privacycontext:OTHERCTX');
      expect(await failure(elsewhere, CE.listAction(new O.CategoryEntryFilter({ categoryIdEqual: course.id })))).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
      expect((await links({ categoryIdEqual: course.id }, teacher)).totalCount).toBe(1);
    });
  });
}
