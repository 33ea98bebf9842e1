/** baseEntry.* and media.* (metadata-only entries) through the official client, on every dialect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry, addProfile } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const media = kaltura.services.media;
const base = kaltura.services.baseEntry;

for (const dialect of DIALECTS) {
  describe(`baseEntry and media services [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let admin: any;
    let defaultAcp: number;
    const userClient = async (userId: string, privileges: string | null = null) =>
      client(t, await run<string>(client(t), kaltura.services.session.start(p.secret, userId, 0, p.id, 86400, privileges)));
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'entries');
      p = await registerPartner(t, 'Entries U');
      admin = client(t, await adminKs(t, p, 'editor'));
      defaultAcp = (await run(admin, kaltura.services.partner.getInfo())).defaultAccessControlId;
    });
    afterAll(() => t?.close());

    it('media.add creates a READY media entry with an id like 0_xxxxxxxx and the partner default profile', async () => {
      const now = Math.floor(t.clock.nowMs() / 1000);
      const e = await addEntry(admin, { name: 'Lecture 1', description: 'intro', tags: 'math,week1', flavorParamsIds: '0,487041' });
      expect(e).toMatchObject({
        objectType: 'KalturaMediaEntry',
        name: 'Lecture 1',
        description: 'intro',
        tags: 'math,week1',
        partnerId: p.id,
        userId: 'editor',
        creatorId: 'editor',
        status: 2,
        type: 1,
        mediaType: 1,
        flavorParamsIds: '0,487041',
        accessControlId: defaultAcp,
        createdAt: now,
      });
      expect(e.id).toMatch(/^0_[0-9a-z]{8}$/);
      expect(e).not.toHaveProperty('startDate');
      expect(await run(admin, media.get(e.id))).toEqual(e);
      // baseEntry.get answers with the concrete class.
      expect(await run(admin, base.get(e.id))).toEqual(e);
    });

    it('baseEntry.add makes a base entry (unless sent a KalturaMediaEntry); media.* does not see base entries', async () => {
      const b = await run(admin, base.add(new O.BaseEntry({ name: 'doc' })));
      expect(b).toMatchObject({ objectType: 'KalturaBaseEntry', name: 'doc' });
      expect(b).not.toHaveProperty('mediaType');
      expect(await failure(admin, media.get(b.id))).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND', args: { ENTRY_ID: b.id } });
      const m = await run(admin, base.add(new O.MediaEntry({ name: 'via base', mediaType: 5 })));
      expect(m).toMatchObject({ objectType: 'KalturaMediaEntry', mediaType: 5 });
      const list = await run(admin, media.listAction(new O.MediaEntryFilter({ idIn: `${b.id},${m.id}` })));
      expect(list).toMatchObject({ objectType: 'KalturaMediaListResponse', totalCount: 1, objects: [{ id: m.id }] });
      const all = await run(admin, base.listAction(new O.BaseEntryFilter({ idIn: `${b.id},${m.id}` })));
      expect(all).toMatchObject({ objectType: 'KalturaBaseEntryListResponse', totalCount: 2 });
    });

    it('dates: relative times, 0/-1 clear, start must precede end', async () => {
      const now = Math.floor(t.clock.nowMs() / 1000);
      const e = await addEntry(admin, { startDate: 3600, endDate: now + 86400 * 365 * 20 });
      expect(e.startDate).toBe(now + 3600);
      expect(e.endDate).toBe(now + 86400 * 365 * 20);
      expect(await failure(admin, media.add(new O.MediaEntry({ startDate: now + 100, endDate: now + 50 })))).toMatchObject({ code: 'INVALID_ENTRY_SCHEDULE_DATES', args: [] });
      expect(await failure(admin, media.update(e.id, new O.MediaEntry({ endDate: now + 10 })))).toMatchObject({ code: 'INVALID_ENTRY_SCHEDULE_DATES' });
      const cleared = await run(admin, media.update(e.id, new O.MediaEntry({ startDate: -1 })));
      expect(cleared).not.toHaveProperty('startDate');
      expect(cleared.endDate).toBe(e.endDate);
    });

    it('accessControlId: must be a live profile of the partner', async () => {
      const prof = await addProfile(admin, 'entries profile', []);
      const e = await addEntry(admin, { accessControlId: prof.id });
      expect(e.accessControlId).toBe(prof.id);
      expect(await failure(admin, media.add(new O.MediaEntry({ accessControlId: 999999 })))).toMatchObject({ code: 'ACCESS_CONTROL_ID_NOT_FOUND', args: { ID: '999999' } });
      const other = await registerPartner(t, 'Entries Other');
      const foreign = (await run(client(t, await adminKs(t, other)), kaltura.services.accessControlProfile.listAction())).objects[0];
      expect(await failure(admin, media.update(e.id, new O.MediaEntry({ accessControlId: foreign.id })))).toMatchObject({ code: 'ACCESS_CONTROL_ID_NOT_FOUND' });
      const list = await run(admin, media.listAction(new O.MediaEntryFilter({ accessControlIdEqual: prof.id })));
      expect(list.objects.map((o: any) => o.id)).toEqual([e.id]);
    });

    it('update changes only what was sent; readonly properties are refused', async () => {
      const e = await addEntry(admin, { name: 'before', tags: 't' });
      t.clock.advance(5);
      const u = await run(admin, media.update(e.id, new O.MediaEntry({ name: 'after' })));
      expect(u).toMatchObject({ name: 'after', tags: 't', updatedAt: e.updatedAt + 5, createdAt: e.createdAt });
      expect(await failure(admin, media.update(e.id, new O.MediaEntry({ status: '7' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaMediaEntry::status' } });
      expect(await failure(admin, media.add(new O.MediaEntry({ id: '0_forged00' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaMediaEntry::id' } });
      // Sending back what get returned is accepted.
      expect(await run(admin, media.update(e.id, new O.MediaEntry(await run(admin, media.get(e.id)))))).toMatchObject({ name: 'after' });
    });

    it('delete removes the entry for good (soft delete); unknown ids are ENTRY_ID_NOT_FOUND', async () => {
      const e = await addEntry(admin);
      expect(await run(admin, media.deleteAction(e.id))).toBeNull();
      for (const req of [media.get(e.id), base.get(e.id), media.update(e.id, new O.MediaEntry({ name: 'x' })), media.deleteAction(e.id)]) {
        expect(await failure(admin, req)).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND', args: { ENTRY_ID: e.id }, message: `Entry id "${e.id}" not found` });
      }
      expect((await run(admin, base.listAction(new O.BaseEntryFilter({ idEqual: e.id })))).totalCount).toBe(0);
      expect((await run(admin, base.listAction(new O.BaseEntryFilter({ idEqual: e.id, statusEqual: '3' })))).totalCount).toBe(0);
      const row = await t.store.db.selectFrom('entries').select(['status', 'deleted_at']).where('id', '=', e.id).executeTakeFirstOrThrow();
      expect(row.status).toBe(3);
    });

    it("other partners' entries do not exist for a caller", async () => {
      const e = await addEntry(admin);
      const other = await registerPartner(t, 'Entries Other 2');
      const c = client(t, await adminKs(t, other));
      expect(await failure(c, media.get(e.id))).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND' });
      expect(await failure(c, media.deleteAction(e.id))).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND' });
      expect((await run(c, media.listAction(new O.MediaEntryFilter({ idEqual: e.id })))).totalCount).toBe(0);
    });

    it('USER sessions own what they add, change only their own entries, and set no admin-only property', async () => {
      const alice = await userClient('alice');
      const bob = await userClient('bob');
      const mine = await addEntry(alice, { name: 'alice clip' });
      expect(mine.userId).toBe('alice');
      const notOwner = { code: 'INVALID_KS', args: { KSID: '', ERR_CODE: '-4', ERR_DESC: 'INVALID_TYPE' } };
      expect(await failure(alice, media.add(new O.MediaEntry({ userId: 'bob' })))).toMatchObject(notOwner);
      expect(await addEntry(alice, { userId: 'ALICE' })).toMatchObject({ userId: 'ALICE' });
      expect(await run(alice, media.update(mine.id, new O.MediaEntry({ name: 'renamed' })))).toMatchObject({ name: 'renamed' });
      expect(await failure(bob, media.update(mine.id, new O.MediaEntry({ name: 'stolen' })))).toMatchObject(notOwner);
      expect(await failure(bob, media.deleteAction(mine.id))).toMatchObject(notOwner);
      expect(await failure(alice, media.update(mine.id, new O.MediaEntry({ userId: 'bob' })))).toMatchObject(notOwner);
      for (const [prop, value] of [['accessControlId', defaultAcp], ['startDate', 3600], ['endDate', 3600]] as const) {
        expect(await failure(alice, media.update(mine.id, new O.MediaEntry({ [prop]: value })))).toMatchObject({ code: 'PROPERTY_VALIDATION_ADMIN_PROPERTY', args: { PROP_NAME: prop } });
        expect(await failure(alice, media.add(new O.MediaEntry({ [prop]: value })))).toMatchObject({ code: 'PROPERTY_VALIDATION_ADMIN_PROPERTY' });
      }
      // Reading another user's entry is allowed, as on the server.
      expect(await run(bob, media.get(mine.id))).toMatchObject({ id: mine.id });
      // The edit privilege opens one entry (or all with edit:*) to a session that does not own it.
      const editOne = await userClient('bob', `edit:${mine.id}`);
      expect(await run(editOne, media.update(mine.id, new O.MediaEntry({ name: 'edited by bob' })))).toMatchObject({ name: 'edited by bob', userId: 'alice' });
      const other = await addEntry(alice);
      expect(await failure(editOne, media.update(other.id, new O.MediaEntry({ name: 'x' })))).toMatchObject(notOwner);
      const editAll = await userClient('bob', 'edit:*');
      expect(await run(editAll, media.update(other.id, new O.MediaEntry({ tags: 'bob was here' })))).toMatchObject({ tags: 'bob was here' });
      expect(await run(editAll, media.deleteAction(other.id))).toBeNull();
      // An ADMIN session may hand an entry to another owner.
      expect(await run(admin, media.update(mine.id, new O.MediaEntry({ userId: 'bob' })))).toMatchObject({ userId: 'bob' });
      expect(await run(bob, media.update(mine.id, new O.MediaEntry({ name: 'now bob' })))).toMatchObject({ name: 'now bob' });
    });

    it('list: a USER session sees only its own entries unless its KS has list:*', async () => {
      const q = await registerPartner(t, 'Listing U');
      const a = client(t, await adminKs(t, q));
      const carol = client(t, await run<string>(client(t), kaltura.services.session.start(q.secret, 'carol', 0, q.id)));
      const lister = client(t, await run<string>(client(t), kaltura.services.session.start(q.secret, 'dave', 0, q.id, 86400, 'list:*')));
      const own = await addEntry(carol, { name: 'c1' });
      t.clock.advance(1);
      await addEntry(a, { name: 'a1', userId: 'erin' });
      t.clock.advance(1);
      await addEntry(a, { name: 'a2' });
      expect((await run(carol, media.listAction())).objects.map((o: any) => o.id)).toEqual([own.id]);
      // The owner filter is the session's, whatever the caller asks for.
      expect((await run(carol, base.listAction(new O.BaseEntryFilter({ userIdEqual: 'erin' })))).objects.map((o: any) => o.id)).toEqual([own.id]);
      expect((await run(lister, media.listAction())).totalCount).toBe(3);
      const all = await run(a, media.listAction(new O.MediaEntryFilter({ orderBy: '+createdAt' }), new O.FilterPager({ pageSize: 2, pageIndex: 1 })));
      expect(all.totalCount).toBe(3);
      expect(all.objects.map((o: any) => o.name)).toEqual(['c1', 'a1']);
      expect((await run(a, media.listAction(new O.MediaEntryFilter({ userIdEqual: 'erin' })))).objects.map((o: any) => o.name)).toEqual(['a1']);
      expect((await run(a, media.listAction(new O.MediaEntryFilter({ nameLike: 'A' })))).totalCount).toBe(2);
    });

    it('permissions and audit: a widget session cannot add; every change is audited', async () => {
      const widget = await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`));
      expect(await failure(client(t, widget.ks), media.add(new O.MediaEntry({ name: 'w' })))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'media->add' } });
      const e = await addEntry(admin);
      await run(admin, media.update(e.id, new O.MediaEntry({ name: 'x' })));
      await run(admin, base.deleteAction(e.id));
      const rows = await t.store.db.selectFrom('audit_log').select(['action', 'actor']).where('target', '=', e.id).execute();
      expect(rows).toEqual([
        { action: 'entry.add', actor: 'editor' },
        { action: 'entry.update', actor: 'editor' },
        { action: 'entry.delete', actor: 'editor' },
      ]);
    });
  });
}
