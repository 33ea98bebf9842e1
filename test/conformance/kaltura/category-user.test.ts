/**
 * categoryUser.* through the official client on every dialect: memberships, inheritance, the
 * server's errors, who may manage members; and the entitlement queries of the store over them.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlCategoryRepo } from '../../../src/store/repos/categories.js';
import { entryEntitledSql } from '../../../src/store/repos/entitlement-sql.js';
import { addEntry } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const C = kaltura.services.category;
const CE = kaltura.services.categoryEntry;
const CU = kaltura.services.categoryUser;

for (const dialect of DIALECTS) {
  describe(`categoryUser service [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let admin: any;
    let course: any;
    let week: any;
    const cat = (fields: Record<string, unknown>) => run(admin, C.add(new O.Category(fields)));
    const member = (c: any, categoryId: number, userId: string, fields: Record<string, unknown> = {}) => run(c, CU.add(new O.CategoryUser({ categoryId, userId, ...fields })));
    const userClient = async (userId: string, privileges = '') => client(t, await run(client(t), kaltura.services.session.start(p.secret, userId, 0, p.id, 3600, privileges)));
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'category-user');
      p = await registerPartner(t, 'CategoryUser U');
      admin = client(t, await adminKs(t, p, p.adminEmail));
      course = await cat({ name: 'Courses', privacyContext: 'MEDIASPACE', privacy: 3, owner: 'prof' });
      week = await cat({ name: 'Week 1', parentId: course.id, inheritanceType: 1 });
    });
    afterAll(() => t?.close());

    it('add: the default level and its permission names, ACTIVE, MANUAL; a missing user is created; counts follow', async () => {
      const m = await member(admin, course.id, 'alice');
      expect(m).toMatchObject({ objectType: 'KalturaCategoryUser', categoryId: course.id, userId: 'alice', partnerId: p.id, permissionLevel: 3, status: 1, updateMethod: 0, permissionNames: 'CATEGORY_VIEW', categoryFullIds: String(course.id) });
      expect(await run(admin, kaltura.services.user.get('alice'))).toMatchObject({ id: 'alice' });
      expect(await run(admin, C.get(course.id))).toMatchObject({ membersCount: 2 });
      expect(await run(admin, CU.get(course.id, 'alice'))).toEqual(m);
      expect(await failure(admin, CU.add(new O.CategoryUser({ categoryId: course.id, userId: 'alice' })))).toMatchObject({ code: 'CATEGORY_USER_ALREADY_EXISTS', message: 'CategoryUser already exists' });
      expect(await failure(admin, CU.add(new O.CategoryUser({ categoryId: course.id, userId: '0' })))).toMatchObject({ code: 'INVALID_USER_ID' });
      expect(await failure(admin, CU.add(new O.CategoryUser({ categoryId: 999999, userId: 'alice' })))).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
      expect(await member(admin, course.id, 'mod', { permissionLevel: 1 })).toMatchObject({ permissionLevel: 1, permissionNames: 'CATEGORY_MODERATE,CATEGORY_VIEW' });
    });

    it('an INHERIT category has the members of the category it inherits from', async () => {
      expect(await failure(admin, CU.add(new O.CategoryUser({ categoryId: week.id, userId: 'bob' })))).toMatchObject({ code: 'CATEGORY_INHERIT_MEMBERS', args: { CAT: String(course.id) } });
      expect(await run(admin, CU.get(week.id, 'prof'))).toMatchObject({ categoryId: course.id, permissionLevel: 0 });
      const viaWeek = await run(admin, CU.listAction(new O.CategoryUserFilter({ categoryIdEqual: week.id, userIdEqual: 'prof' })));
      expect(viaWeek.objects.map((m: any) => m.categoryId)).toEqual([course.id]);
      expect(await run(admin, C.get(week.id))).toMatchObject({ owner: 'prof', inheritedParentId: course.id, membersCount: (await run(admin, C.get(course.id))).membersCount });
    });

    it('get and list refuse what the server refuses', async () => {
      expect(await failure(admin, CU.get(course.id, 'nobody-at-all'))).toMatchObject({ code: 'INVALID_USER_ID', message: 'Invalid user id' });
      await run(admin, kaltura.services.user.add(new O.User({ id: 'loner' })));
      expect(await failure(admin, CU.get(course.id, 'loner'))).toMatchObject({ code: 'INVALID_CATEGORY_USER_ID', args: { CAT: String(course.id), USER: 'loner' }, message: `Invalid CategoryUser for category ["${course.id}"] and for user ["loner"]` });
      expect(await failure(admin, CU.listAction(new O.CategoryUserFilter({ statusEqual: 1 })))).toMatchObject({ code: 'MUST_FILTER_USERS_OR_CATEGORY' });
      const byLevel = await run(admin, CU.listAction(new O.CategoryUserFilter({ categoryIdEqual: course.id, permissionLevelIn: '0,1', orderBy: '+createdAt' })));
      expect(byLevel.objects.map((m: any) => m.userId)).toEqual(['prof', 'mod']);
      const byNames = await run(admin, CU.listAction(new O.CategoryUserFilter({ categoryFullIdsStartsWith: String(course.id), permissionNamesMatchAnd: 'CATEGORY_EDIT' })));
      expect(byNames.objects.map((m: any) => m.userId)).toEqual(['prof']);
    });

    it('update needs override for MANUAL memberships; the owner stays a manager; delete, re-add, activate, deactivate', async () => {
      await member(admin, course.id, 'carol');
      expect(await failure(admin, CU.update(course.id, 'carol', new O.CategoryUser({ permissionLevel: 2 })))).toMatchObject({ code: 'CANNOT_OVERRIDE_MANUAL_CHANGES', message: 'Cannot override manual changes' });
      expect(await run(admin, CU.update(course.id, 'carol', new O.CategoryUser({ permissionLevel: 2 }), true))).toMatchObject({ permissionLevel: 2, permissionNames: 'CATEGORY_CONTRIBUTE,CATEGORY_VIEW' });
      expect(await failure(admin, CU.update(course.id, 'prof', new O.CategoryUser({ permissionLevel: 3 }), true))).toMatchObject({ code: 'CANNOT_UPDATE_CATEGORY_USER_OWNER' });
      expect(await failure(admin, CU.deleteAction(course.id, 'prof'))).toMatchObject({ code: 'CANNOT_UPDATE_CATEGORY_USER_OWNER' });
      const before = (await run(admin, C.get(course.id))).membersCount;
      expect(await run(admin, CU.deactivate(course.id, 'carol'))).toMatchObject({ status: 3 });
      expect((await run(admin, C.get(course.id))).membersCount).toBe(before - 1);
      expect(await run(admin, CU.activate(course.id, 'carol'))).toMatchObject({ status: 1 });
      expect(await run(admin, CU.deleteAction(course.id, 'carol'))).toBeNull();
      expect(await failure(admin, CU.get(course.id, 'carol'))).toMatchObject({ code: 'INVALID_CATEGORY_USER_ID' });
      expect((await run(admin, C.get(course.id))).membersCount).toBe(before - 1);
      expect(await member(admin, course.id, 'carol')).toMatchObject({ status: 1 });
      expect(await failure(admin, CU.deleteAction(week.id, 'carol'))).toMatchObject({ code: 'CATEGORY_INHERIT_MEMBERS' });
    });

    it('a category MANAGER (a USER session) manages its members; other users only themselves, under the join policy', async () => {
      const prof = await userClient('prof');
      expect(await member(prof, course.id, 'dave', { permissionLevel: 0 })).toMatchObject({ permissionLevel: 0, status: 1 });
      expect(await run(prof, CU.deactivate(course.id, 'dave'))).toMatchObject({ status: 3 });
      const stranger = await userClient('stranger');
      expect(await failure(stranger, CU.add(new O.CategoryUser({ categoryId: course.id, userId: 'erin' })))).toMatchObject({ code: 'CANNOT_UPDATE_CATEGORY_USER' });
      // Joining oneself: the category's policy is NOT_ALLOWED (the default; the API cannot change it).
      expect(await failure(stranger, CU.add(new O.CategoryUser({ categoryId: course.id, userId: 'stranger', permissionLevel: 0 })))).toMatchObject({ code: 'CATEGORY_USER_JOIN_NOT_ALLOWED', args: { CAT: String(course.id) } });
      expect(await failure(stranger, CU.activate(course.id, 'dave'))).toMatchObject({ code: 'CANNOT_UPDATE_CATEGORY_USER', message: 'cannot update category user' });
      // A member may leave; a plain member may not promote itself.
      const alice = await userClient('alice');
      expect(await failure(alice, CU.update(course.id, 'alice', new O.CategoryUser({ permissionLevel: 0 }), true))).toMatchObject({ code: 'CANNOT_UPDATE_CATEGORY_USER' });
      expect(await run(alice, CU.deactivate(course.id, 'alice'))).toMatchObject({ status: 3 });
      await run(admin, CU.activate(course.id, 'alice'));
    });

    it('under entitlement only the category MANAGER updates it; privacy contexts cannot change; members-only drops NONE members', async () => {
      const enforced = (user: string) => adminKs(t, p, user, 'enableentitlement,privacycontext:MEDIASPACE').then((ks) => client(t, ks));
      expect(await failure(await enforced(p.adminEmail), C.update(course.id, new O.Category({ description: 'x' })))).toMatchObject({ code: 'NOT_ENTITLED_TO_UPDATE_CATEGORY', message: 'Current User is not entitled to update this category' });
      const prof = await enforced('prof');
      expect(await run(prof, C.update(course.id, new O.Category({ description: 'by prof' })))).toMatchObject({ description: 'by prof' });
      expect(await failure(prof, C.update(course.id, new O.Category({ privacyContext: 'CANVAS' })))).toMatchObject({ code: 'CANNOT_UPDATE_CATEGORY_PRIVACY_CONTEXT' });
      const club = await cat({ name: 'Club', privacyContext: 'MEDIASPACE', owner: 'prof' });
      await member(admin, club.id, 'lurker', { permissionLevel: 4 });
      await member(admin, club.id, 'fan');
      expect((await run(admin, C.get(club.id))).membersCount).toBe(3);
      await run(admin, C.update(club.id, new O.Category({ privacy: 3 })));
      expect(await failure(admin, CU.get(club.id, 'lurker'))).toMatchObject({ code: 'INVALID_CATEGORY_USER_ID' });
      expect((await run(admin, C.get(club.id))).membersCount).toBe(2);
    });

    it('the store answers entitled categories in one query and filters entries in SQL, as the pure rule does', async () => {
      const other = await cat({ name: 'Other ctx', privacyContext: 'OTHERCTX' });
      const open = await cat({ name: 'Open', privacyContext: 'MEDIASPACE' });
      const authd = await cat({ name: 'Authd', privacyContext: 'MEDIASPACE', privacy: 2 });
      const none = await cat({ name: 'No context' });
      const repo = new SqlCategoryRepo(t.store.db);
      const ids = (userId: string, privacyContext: string | null) => repo.entitledCategoryIds(p.id, { userId, knownUser: userId !== '', privacyContext });
      // alice: member of Courses (and so of Week 1, which inherits), in MEDIASPACE only.
      expect(await ids('alice', 'MEDIASPACE')).toEqual([course.id, week.id, open.id, authd.id].sort((a, b) => a - b));
      // Week 1 inherits members but kept the default privacy (ALL).
      expect(await ids('', 'MEDIASPACE')).toEqual([week.id, open.id]);
      expect(await ids('alice', 'OTHERCTX')).toEqual([other.id]);
      expect(await ids('alice', null)).toContain(none.id);
      expect(await ids('alice', null)).not.toContain(course.id);

      const ownEntry = await addEntry(client(t, await run(client(t), kaltura.services.session.start(p.secret, 'alice', 0, p.id))));
      const free = await addEntry(admin);
      const inWeek = await addEntry(admin);
      const inOther = await addEntry(admin);
      const inOpen = await addEntry(admin);
      const mine = await addEntry(admin);
      await run(admin, CE.add(new O.CategoryEntry({ categoryId: week.id, entryId: inWeek.id })));
      await run(admin, CE.add(new O.CategoryEntry({ categoryId: other.id, entryId: inOther.id })));
      await run(admin, CE.add(new O.CategoryEntry({ categoryId: open.id, entryId: inOpen.id })));
      await run(admin, CE.add(new O.CategoryEntry({ categoryId: other.id, entryId: ownEntry.id })));
      await run(admin, CE.add(new O.CategoryEntry({ categoryId: course.id, entryId: mine.id })));
      const all = [ownEntry, free, inWeek, inOther, inOpen, mine].map((e) => e.id);
      const visible = async (userId: string, privacyContext: string | null) =>
        (
          await t.store.db
            .selectFrom('entries')
            .select('id')
            .where('id', 'in', all)
            .where(entryEntitledSql('entries.id', 'entries.user_id', { userId, knownUser: userId !== '', privacyContext }))
            .execute()
        )
          .map((r) => r.id)
          .sort();
      expect(await visible('alice', 'MEDIASPACE')).toEqual([ownEntry.id, free.id, inWeek.id, inOpen.id, mine.id].sort());
      expect(await visible('bob', 'MEDIASPACE')).toEqual([free.id, inWeek.id, inOpen.id].sort());
      expect(await visible('alice', null)).toEqual([ownEntry.id, free.id].sort());
      // Index-driven: the probes go through the category_entries and category_users indexes.
      if (dialect === 'sqlite') {
        const plan = await sql<{ detail: string }>`explain query plan select id from entries where id in (${sql.join(all)}) and ${entryEntitledSql('entries.id', 'entries.user_id', { userId: 'alice', knownUser: true, privacyContext: 'MEDIASPACE' })}`.execute(t.store.db);
        const text = plan.rows.map((r) => r.detail).join('\n');
        expect(text).toMatch(/category_entries_entry/);
        expect(text).toMatch(/category_users_(user|live)/);
        expect(text).not.toMatch(/SCAN (c|categories|cu|category_users|ce|category_entries)\b/);
      }
    });
  });
}
