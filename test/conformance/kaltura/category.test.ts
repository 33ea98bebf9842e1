/** category.* through the official client on every dialect: the tree, its rules, filters, counts, moves, deletion and who may call it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const C = kaltura.services.category;
const CE = kaltura.services.categoryEntry;
const CU = kaltura.services.categoryUser;

for (const dialect of DIALECTS) {
  describe(`category service [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let admin: any;
    const add = (fields: Record<string, unknown>) => run(admin, C.add(new O.Category(fields)));
    const list = (fields: Record<string, unknown>, pager?: Record<string, unknown>) => run(admin, C.listAction(new O.CategoryFilter(fields), pager ? new O.FilterPager(pager) : null));
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'category');
      p = await registerPartner(t, 'Category U');
      admin = client(t, await adminKs(t, p, p.adminEmail));
    });
    afterAll(() => t?.close());

    it('add builds the tree: depth, fullName, fullIds, defaults; get answers the same', async () => {
      const root = await add({ name: 'Courses', description: 'all of them' });
      expect(root).toMatchObject({ objectType: 'KalturaCategory', partnerId: p.id, parentId: 0, depth: 0, name: 'Courses', fullName: 'Courses', fullIds: String(root.id), status: 2 });
      expect(root).toMatchObject({ privacy: 1, appearInList: 1, inheritanceType: 2, userJoinPolicy: 3, defaultPermissionLevel: 3, contributionPolicy: 1, membersCount: 0, entriesCount: 0, directSubCategoriesCount: 0 });
      const child = await add({ name: 'Physics', parentId: root.id });
      expect(child).toMatchObject({ parentId: root.id, depth: 1, fullName: 'Courses>Physics', fullIds: `${root.id}>${child.id}` });
      expect(await run(admin, C.get(child.id))).toEqual(child);
      expect((await run(admin, C.get(root.id))).directSubCategoriesCount).toBe(1);
    });

    it('names are trimmed, < > , become _, and are unique among siblings case-insensitively', async () => {
      const odd = await add({ name: '  a<b>c,d  ' });
      expect(odd.name).toBe('a_b_c_d');
      const parent = await add({ name: 'Dept' });
      await add({ name: 'Math', parentId: parent.id });
      expect(await failure(admin, C.add(new O.Category({ name: 'MATH', parentId: parent.id })))).toMatchObject({ code: 'DUPLICATE_CATEGORY', args: { CATEGORY: 'Dept>MATH' }, message: 'The category "Dept>MATH" already exists' });
      // Another parent, or a root, may use the name.
      expect((await add({ name: 'Math' })).fullName).toBe('Math');
      expect(await failure(admin, C.add(new O.Category({ description: 'x' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaCategory::name' } });
      expect(await failure(admin, C.add(new O.Category({ name: '   ' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_MIN_LENGTH' });
      expect(await failure(admin, C.add(new O.Category({ name: 'x'.repeat(201) })))).toMatchObject({ code: 'PROPERTY_VALIDATION_MAX_LENGTH' });
      expect(await failure(admin, C.add(new O.Category({ name: 'x', fullName: 'y' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaCategory::fullName' } });
      expect(await failure(admin, C.add(new O.Category({ name: 'x', privacy: 9 })))).toMatchObject({ code: 'INVALID_ENUM_VALUE' });
    });

    it('an unknown parent: CATEGORY_NOT_FOUND, or PARENT_CATEGORY_NOT_FOUND when the request carries a context', async () => {
      expect(await failure(admin, C.add(new O.Category({ name: 'x', parentId: 987654 })))).toMatchObject({ code: 'CATEGORY_NOT_FOUND', args: { ID: '987654' }, message: 'Category id "987654" not found' });
      expect(await failure(admin, C.add(new O.Category({ name: 'x', parentId: 987654, privacyContext: 'MEDIASPACE' })))).toMatchObject({ code: 'PARENT_CATEGORY_NOT_FOUND', args: { ID: '987654' } });
      expect(await failure(admin, C.get(987654))).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
    });

    it('ids beyond 32 bits find nothing (no fault on PostgreSQL); bad filters and enums answer exceptions', async () => {
      const big = 99_999_999_999;
      expect(await failure(admin, C.get(big))).toMatchObject({ code: 'CATEGORY_NOT_FOUND', args: { ID: String(big) } });
      expect(await failure(admin, C.add(new O.Category({ name: 'x', parentId: big })))).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
      expect(await list({ idIn: `${big},abc`, parentIdEqual: big, membersCountGreaterThanOrEqual: big })).toMatchObject({ totalCount: 0 });
      expect(await run(admin, CE.listAction(new O.CategoryEntryFilter({ categoryIdEqual: big })))).toMatchObject({ totalCount: 0 });
      expect(await run(admin, CU.listAction(new O.CategoryUserFilter({ categoryIdIn: `${big}` })))).toMatchObject({ totalCount: 0 });
      expect((await add({ name: 'Sorted', partnerSortValue: big })).partnerSortValue).toBe(2147483647);
      expect(await failure(admin, C.listAction(new O.CategoryFilter({ orderBy: '+nonsense' })))).toMatchObject({ code: 'INVALID_ENUM_VALUE' });
    });

    it('entitlement fields need a privacy context (checked in the server order); contexts are letters and digits, 4+ long', async () => {
      const bad = (fields: Record<string, unknown>) => failure(admin, C.add(new O.Category({ name: `n${Math.random()}`, ...fields })));
      expect(await bad({ privacy: 3, appearInList: 3 })).toMatchObject({ code: 'CANNOT_SET_APPEAR_IN_LIST_FIELD_WITH_NO_PRIVACY_CONTEXT', message: 'Cannot set appear in list field when privacy context is not set on the categroy' });
      expect(await bad({ privacy: 3 })).toMatchObject({ code: 'CANNOT_SET_PRIVACY_FIELD_WITH_NO_PRIVACY_CONTEXT' });
      expect(await bad({ owner: 'someone' })).toMatchObject({ code: 'CANNOT_SET_OWNER_FIELD_WITH_NO_PRIVACY_CONTEXT' });
      expect(await bad({ contributionPolicy: 2 })).toMatchObject({ code: 'CANNOT_SET_CONTIRUBUTION_POLICY_FIELD_WITH_NO_PRIVACY_CONTEXT' });
      expect(await bad({ privacyContext: 'ab' })).toMatchObject({ code: 'PRIVACY_CONTEXT_INVALID_STRING', args: { CONTEXT: 'ab' } });
      expect(await bad({ privacyContext: 'MEDIA-SPACE' })).toMatchObject({ code: 'PRIVACY_CONTEXT_INVALID_STRING', args: { CONTEXT: 'MEDIA-SPACE' } });
      expect(await bad({ inheritanceType: 1, privacyContext: 'MEDIASPACE' })).toMatchObject({ code: 'CANNOT_INHERIT_MEMBERS_WHEN_PARENT_CATEGORY_IS_NOT_SET' });
    });

    it('a context category: the owner is its MANAGER member; children inherit the contexts and may inherit members', async () => {
      const course = await add({ name: 'Course 101', privacyContext: 'MEDIASPACE', privacy: 3, owner: 'prof' });
      expect(course).toMatchObject({ privacyContext: 'MEDIASPACE', privacyContexts: 'MEDIASPACE', privacy: 3, owner: 'prof', membersCount: 1 });
      expect(await run(admin, CU.get(course.id, 'prof'))).toMatchObject({ permissionLevel: 0, status: 1, permissionNames: 'CATEGORY_EDIT,CATEGORY_MODERATE,CATEGORY_CONTRIBUTE,CATEGORY_VIEW' });
      const week = await add({ name: 'Week 1', parentId: course.id, inheritanceType: 1, privacy: 3 });
      expect(week).toMatchObject({ privacyContexts: 'MEDIASPACE', privacy: 3, inheritanceType: 1, inheritedParentId: course.id, owner: 'prof', membersCount: 1 });
      expect(week.privacyContext).toBeUndefined();
      const canvas = await add({ name: 'Canvas', parentId: course.id, privacyContext: 'CANVAS,MEDIASPACE' });
      expect(canvas.privacyContexts).toBe('MEDIASPACE,CANVAS');
      expect(await failure(admin, C.add(new O.Category({ name: 'Week 2', parentId: course.id, inheritanceType: 1, owner: 'x' })))).toMatchObject({ code: 'CANNOT_SET_OWNER_WHEN_CATEGORY_INHERIT_MEMBERS' });
      // The session's user becomes the owner of a MANUAL context category when none is given, if it exists.
      expect((await add({ name: 'Own', privacyContext: 'MEDIASPACE' })).owner).toBe(p.adminEmail);
      const nobody = client(t, await adminKs(t, p, 'no-such-user'));
      expect((await run(nobody, C.add(new O.Category({ name: 'Unowned', privacyContext: 'MEDIASPACE' })))).owner).toBeUndefined();
    });

    it('update renames and moves subtrees: fullName, fullIds, depth and inherited contexts follow; no cycles', async () => {
      const a = await add({ name: 'A' });
      const b = await add({ name: 'B', parentId: a.id });
      const c = await add({ name: 'C', parentId: b.id });
      const ctx = await add({ name: 'Ctx', privacyContext: 'KALTURA1' });
      await run(admin, C.update(a.id, new O.Category({ name: 'A2' })));
      expect(await run(admin, C.get(c.id))).toMatchObject({ fullName: 'A2>B>C' });
      const moved = await run(admin, C.update(b.id, new O.Category({ parentId: ctx.id })));
      expect(moved).toMatchObject({ parentId: ctx.id, depth: 1, fullName: 'Ctx>B', fullIds: `${ctx.id}>${b.id}`, privacyContexts: 'KALTURA1' });
      expect(await run(admin, C.get(c.id))).toMatchObject({ depth: 2, fullName: 'Ctx>B>C', fullIds: `${ctx.id}>${b.id}>${c.id}`, privacyContexts: 'KALTURA1' });
      expect(await run(admin, C.get(a.id))).toMatchObject({ directSubCategoriesCount: 0 });
      expect(await run(admin, C.get(ctx.id))).toMatchObject({ directSubCategoriesCount: 1 });
      expect(await failure(admin, C.update(ctx.id, new O.Category({ parentId: c.id })))).toMatchObject({ code: 'PARENT_CATEGORY_IS_CHILD', args: { PARENT_CATEGORY: String(c.id), OTHER_CATEGORY: String(ctx.id) } });
      expect(await failure(admin, C.update(b.id, new O.Category({ parentId: b.id })))).toMatchObject({ code: 'PARENT_CATEGORY_IS_CHILD' });
      // Moving back to a root without context: the subtree loses the context and its entitlement fields.
      await run(admin, C.update(c.id, new O.Category({ privacy: 2 })));
      await run(admin, C.update(b.id, new O.Category({ parentId: 0 })));
      expect(await run(admin, C.get(c.id))).toMatchObject({ fullName: 'B>C', depth: 1, privacy: 1 });
      expect((await run(admin, C.get(c.id))).privacyContexts).toBeUndefined();
      expect(await failure(admin, C.update(b.id, new O.Category({ name: 'a2' })))).toMatchObject({ code: 'DUPLICATE_CATEGORY', args: { CATEGORY: 'a2' } });
    });

    it('list: the real server filters (whole-segment prefixes, own contexts, ancestors), order and pager', async () => {
      const top = await add({ name: 'Listing' });
      const kids = [];
      for (const name of ['k1', 'k2', 'k3']) kids.push(await add({ name, parentId: top.id }));
      await add({ name: 'Listing2' });
      const grand = await add({ name: 'g', parentId: kids[0].id, privacyContext: 'LISTCTX' });
      const ids = (r: any) => r.objects.map((o: any) => o.id);
      expect(ids(await list({ fullNameStartsWith: 'listing' }))).toEqual([top.id, ...kids.map((k) => k.id), grand.id]);
      expect(ids(await list({ fullNameStartsWith: 'Listing>' }))).toEqual([...kids.map((k) => k.id), grand.id]);
      expect(ids(await list({ fullIdsStartsWith: `${top.id}>` }))).toEqual([...kids.map((k) => k.id), grand.id]);
      expect(ids(await list({ ancestorIdIn: String(top.id) }))).toEqual([...kids.map((k) => k.id), grand.id]);
      expect(ids(await list({ parentIdEqual: top.id, orderBy: '-name' }))).toEqual(kids.map((k) => k.id).reverse());
      expect(ids(await list({ privacyContextEqual: 'LISTCTX' }))).toEqual([grand.id]);
      expect(ids(await list({ fullNameEqual: 'LISTING>K2' }))).toEqual([kids[1].id]);
      expect(ids(await list({ idIn: `${kids[0].id},${kids[2].id}`, depthEqual: 1 }))).toEqual([kids[0].id, kids[2].id]);
      const paged = await list({ parentIdEqual: top.id }, { pageSize: 2, pageIndex: 2 });
      expect(paged).toMatchObject({ objectType: 'KalturaCategoryListResponse', totalCount: 3 });
      expect(ids(paged)).toEqual([kids[2].id]);
    });

    it('entries counts follow the subtree; delete removes descendants and moves their entries to the parent', async () => {
      const root = await add({ name: 'Counted' });
      const mid = await add({ name: 'mid', parentId: root.id });
      const leaf = await add({ name: 'leaf', parentId: mid.id });
      const e1 = await addEntry(admin);
      const e2 = await addEntry(admin);
      for (const [c, e] of [[leaf, e1], [mid, e1], [leaf, e2]] as const) await run(admin, CE.add(new O.CategoryEntry({ categoryId: c.id, entryId: e.id })));
      expect(await run(admin, C.get(root.id))).toMatchObject({ entriesCount: 2, directEntriesCount: 0 });
      expect(await run(admin, C.get(mid.id))).toMatchObject({ entriesCount: 2, directEntriesCount: 1 });
      expect(await run(admin, C.get(leaf.id))).toMatchObject({ entriesCount: 2, directEntriesCount: 2 });
      expect(await run(admin, C.deleteAction(mid.id))).toBeNull();
      expect(await failure(admin, C.get(mid.id))).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
      expect(await failure(admin, C.get(leaf.id))).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
      expect(await run(admin, C.get(root.id))).toMatchObject({ entriesCount: 2, directEntriesCount: 2, directSubCategoriesCount: 0 });
      const links = await run(admin, CE.listAction(new O.CategoryEntryFilter({ categoryIdEqual: root.id })));
      expect(links.objects.map((l: any) => l.entryId).sort()).toEqual([e1.id, e2.id].sort());
      // Without moving: the links go with the category.
      const other = await add({ name: 'other', parentId: root.id });
      await run(admin, CE.add(new O.CategoryEntry({ categoryId: other.id, entryId: e1.id })));
      await run(admin, C.deleteAction(other.id, 0));
      expect((await run(admin, CE.listAction(new O.CategoryEntryFilter({ entryIdEqual: e1.id })))).totalCount).toBe(1);
      // A deleted name is free again.
      expect((await add({ name: 'mid', parentId: root.id })).fullName).toBe('Counted>mid');
    });

    it('category.add/update/delete need CONTENT_MANAGE_EDIT_CATEGORIES; get and list are open to USER sessions', async () => {
      const cat = await add({ name: 'Guarded' });
      const user = client(t, await run(client(t), kaltura.services.session.start(p.secret, 'student', 0, p.id)));
      expect(await failure(user, C.add(new O.Category({ name: 'mine' })))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'category->add' } });
      expect(await failure(user, C.deleteAction(cat.id))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'category->delete' } });
      const moderator = client(t, await adminKs(t, p, '', 'setrole:CONTENT_MODERATOR'));
      expect(await failure(moderator, C.update(cat.id, new O.Category({ name: 'x' })))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'category->update' } });
      expect((await run(user, C.get(cat.id))).name).toBe('Guarded');
      expect((await run(user, C.listAction(new O.CategoryFilter({ idEqual: cat.id })))).totalCount).toBe(1);
      // A role that edits categories but not their entitlement fields: those are ignored, as the server does.
      const manager = client(t, await adminKs(t, p, '', 'setrole:MANAGER'));
      const plain = await run(manager, C.add(new O.Category({ name: 'by manager', privacyContext: 'MEDIASPACE', privacy: 3 })));
      expect(plain).toMatchObject({ privacy: 1 });
      expect(plain.privacyContext).toBeUndefined();
    });

    it('under entitlement a session sees only the categories of its context, members-only listed ones to members', async () => {
      const open = await add({ name: 'Open ctx', privacyContext: 'ENTCTX' });
      const hidden = await add({ name: 'Hidden ctx', privacyContext: 'ENTCTX', appearInList: 3, privacy: 3 });
      const plain = await add({ name: 'No ctx' });
      const ks = (user: string, privileges: string) => run(client(t), kaltura.services.session.start(p.secret, user, 0, p.id, 3600, privileges));
      const outsider = client(t, await ks('outsider', 'enableentitlement,privacycontext:ENTCTX'));
      const seen = async (c: any) => (await run(c, C.listAction(new O.CategoryFilter({ idIn: `${open.id},${hidden.id},${plain.id}` })))).objects.map((o: any) => o.id);
      expect(await seen(outsider)).toEqual([open.id]);
      expect(await failure(outsider, C.get(hidden.id))).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
      await run(admin, CU.add(new O.CategoryUser({ categoryId: hidden.id, userId: 'insider' })));
      expect((await seen(client(t, await ks('insider', 'enableentitlement,privacycontext:ENTCTX')))).sort()).toEqual([open.id, hidden.id].sort());
      // No context: the default one (categories without any).
      expect(await seen(client(t, await ks('insider', 'enableentitlement')))).toEqual([plain.id]);
      // Not enforced: everything.
      expect((await seen(client(t, await ks('outsider', '')))).length).toBe(3);
    });
  });
}
