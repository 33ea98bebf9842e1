/**
 * elasticsearch_esearch.searchEntry through the official client (issue 20: kmc-ng's Content ›
 * Rooms asks it; scripts use it). Gatehouse answers the search trees it can answer exactly from
 * the entries' own filter — with the same entitlement as baseEntry.list — and refuses the others
 * with INVALID_FIELD_VALUE instead of guessing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const S = kaltura.services;
const AND = 1;
const OR = 2;
const NOT = 3;

const item = (fieldName: string, searchTerm: string, itemType = 1) => new O.ESearchEntryItem({ fieldName, searchTerm, itemType });
const op = (operator: number, searchItems: unknown[]) => new O.ESearchEntryOperator({ operator, searchItems });
const search = (searchOperator: unknown, extra: Record<string, unknown> = {}, pager?: unknown) =>
  S.eSearch.searchEntry(new O.ESearchEntryParams({ searchOperator, ...extra }), pager ?? new O.Pager());
const names = (r: { objects: Array<{ object: { name: string } }> }) => r.objects.map((o) => o.object.name);

for (const dialect of DIALECTS) {
  describe(`elasticsearch_esearch.searchEntry [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let c: any;
    let t0: number;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'esearch-entry');
      p = await registerPartner(t, 'Search E');
      c = client(t, await adminKs(t, p));
      t0 = Math.floor(t.clock.nowMs() / 1000);
      for (const [name, tags] of [['Algebra 1', 'math'], ['Algebra 2', 'math'], ['Biology', 'science']]) {
        await run(c, S.media.add(new O.MediaEntry({ name, tags, mediaType: 1 })));
        t.clock.advance(60);
      }
      await run(c, S.baseEntry.add(new O.BaseEntry({ name: 'Algebra notes' })));
    });
    afterAll(() => t?.close());

    it('kmc-ng’s Rooms search (room entries OR admin tag __meeting_room) answers an empty KalturaESearchEntryResponse', async () => {
      const rooms = op(AND, [op(OR, [item('entry_type', 'room.room'), item('admin_tags', '__meeting_room')])]);
      const orderBy = new O.ESearchOrderBy({ orderItems: [new O.ESearchEntryOrderByItem({ sortField: 'created_at', sortOrder: 'desc' })] });
      const r = await run(c, search(rooms, { objectStatuses: '7', orderBy }, new O.Pager({ pageSize: 50, pageIndex: 1 })));
      expect(r).toMatchObject({ objectType: 'KalturaESearchEntryResponse', totalCount: 0, objects: [] });
    });

    it('items Gatehouse stores: name, tags, entry type, created_at range, free text; AND, order and paging', async () => {
      const byName = await run(c, search(op(AND, [item('name', 'Algebra', 2)]), { orderBy: new O.ESearchOrderBy({ orderItems: [new O.ESearchEntryOrderByItem({ sortField: 'name', sortOrder: 'asc' })] }) }));
      expect(byName.objectType).toBe('KalturaESearchEntryResponse');
      expect(byName.objects[0].objectType).toBe('KalturaESearchEntryResult');
      expect(names(byName)).toEqual(['Algebra 1', 'Algebra 2', 'Algebra notes']);
      // Media clips only (entry type 1), tags, and a range on created_at.
      expect(names(await run(c, search(op(AND, [item('name', 'Algebra', 2), item('entry_type', '1')]))))).toEqual(['Algebra 2', 'Algebra 1']);
      expect(names(await run(c, search(op(AND, [item('tags', 'science', 2)]))))).toEqual(['Biology']);
      const range = new O.ESearchEntryItem({ fieldName: 'created_at', itemType: 5, range: new O.ESearchRange({ greaterThanOrEqual: t0 + 60, lessThan: t0 + 120 }) });
      expect(names(await run(c, search(op(AND, [range]))))).toEqual(['Algebra 2']);
      expect(names(await run(c, search(op(AND, [new O.ESearchUnifiedItem({ searchTerm: 'biology', itemType: 2 })]))))).toEqual(['Biology']);
      const paged = await run(c, search(op(AND, [item('name', 'Algebra', 2)]), {}, new O.Pager({ pageSize: 2, pageIndex: 2 })));
      expect([paged.totalCount, paged.objects.length]).toEqual([3, 1]);
      // OR with a branch no entry can match is the other branch; AND with one is nothing.
      expect(names(await run(c, search(op(OR, [item('admin_tags', 'x'), item('tags', 'science', 2)]))))).toEqual(['Biology']);
      expect((await run(c, search(op(AND, [item('admin_tags', 'x'), item('tags', 'science', 2)])))).totalCount).toBe(0);
    });

    it('OR of conditions: kmc-ng’s free-text box (name contains X or id is X), alternatives that are ANDs, and the Rooms box with it', async () => {
      const algebra2 = (await run(c, search(op(AND, [item('name', 'Algebra 2')])))).objects[0].object.id;
      const box = (text: string) => op(OR, [item('name', text, 2), item('id', text)]);
      expect(names(await run(c, search(op(AND, [box('algebra')]))))).toEqual(['Algebra notes', 'Algebra 2', 'Algebra 1']);
      expect(names(await run(c, search(op(AND, [box(algebra2)]))))).toEqual(['Algebra 2']);
      // Each OR group is ANDed with the rest.
      expect(names(await run(c, search(op(AND, [box('algebra'), item('entry_type', '1'), op(OR, [item('tags', 'science', 2), item('name', '1', 2)])]))))).toEqual(['Algebra 1']);
      expect(names(await run(c, search(op(OR, [op(AND, [item('tags', 'math', 2), item('name', '2', 2)]), item('tags', 'science', 2)]))))).toEqual(['Biology', 'Algebra 2']);
      const rooms = op(OR, [item('entry_type', 'room.room'), item('admin_tags', '__meeting_room')]);
      expect((await run(c, search(op(AND, [rooms, box('algebra')])))).totalCount).toBe(0);
    });

    it('what cannot be answered exactly is refused; an anonymous caller is refused', async () => {
      for (const tree of [
        op(OR, [op(AND, [op(OR, [item('name', 'A', 2), item('tags', 'x', 2)]), item('id', 'y')]), item('tags', 'science', 2)]),
        op(AND, [item('description', 'x', 2)]),
        op(NOT, [item('tags', 'math', 2)]),
        op(AND, [item('name', 'Algebra 1'), item('name', 'Biology')]),
      ]) {
        expect(await failure(c, search(tree))).toMatchObject({ code: 'INVALID_FIELD_VALUE' });
      }
      expect(await failure(client(t), search(op(AND, [item('name', 'Algebra', 2)])))).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
    });

    it('entitlement holds as for baseEntry.list: a user session with entitlement sees only what it may', async () => {
      const admin = c;
      const course = await run(admin, S.category.add(new O.Category({ name: 'Course', privacyContext: 'MEDIASPACE', privacy: 3, inheritanceType: 2 })));
      const hidden = (await run(admin, S.media.add(new O.MediaEntry({ name: 'Algebra hidden', mediaType: 1 })))).id;
      await run(admin, S.categoryEntry.add(new O.CategoryEntry({ categoryId: course.id, entryId: hidden })));
      await run(admin, S.user.add(new O.User({ id: 'student', firstName: 'S', email: 'student@uni.test' })));
      const studentKs = await run<string>(client(t), S.session.start(p.secret, 'student', 0, p.id, 3600, 'enableentitlement,privacycontext:MEDIASPACE'));
      const tree = op(AND, [item('name', 'Algebra', 2)]);
      const asStudent = await run(client(t, studentKs), search(tree));
      const asList = await run(client(t, studentKs), S.baseEntry.listAction(new O.BaseEntryFilter({ nameLike: 'Algebra' })));
      expect(names(asStudent).sort()).toEqual(asList.objects.map((e: { name: string }) => e.name).sort());
      expect(names(asStudent)).not.toContain('Algebra hidden');
      expect(names(await run(admin, search(tree)))).toContain('Algebra hidden');
    });
  });
}
