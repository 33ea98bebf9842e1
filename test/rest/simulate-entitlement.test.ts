/**
 * The console's simulator explains the entitlement step (issue 17): for an entry, a described
 * session with a user and privileges gets the same verdict as a real request, in words — which
 * category let the user in and how (a member via the parent that manages members, an open
 * category), or why not (not a member, another context) — and `allowed` follows it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry } from '../support/access-control.js';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';

const O = kaltura.objects;
const S = kaltura.services;

for (const dialect of DIALECTS) {
  describe(`simulator: entitlement [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    let course = '';
    let open = '';
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'simulate-entitlement');
      p = await registerPartner(t, 'Simulated U');
      token = await adminToken(t, p);
      const admin = client(t, await adminKs(t, p, p.adminEmail));
      const cat = (fields: Record<string, unknown>) => run(admin, S.category.add(new O.Category(fields)));
      const courses = await cat({ name: 'Courses', privacyContext: 'MEDIASPACE', privacy: 3, inheritanceType: 2 });
      const c101 = await cat({ name: 'Course 101', parentId: courses.id, inheritanceType: 1, privacy: 3 });
      const lobby = await cat({ name: 'Lobby', privacyContext: 'MEDIASPACE', privacy: 1 });
      course = (await addEntry(admin)).id;
      open = (await addEntry(admin)).id;
      await run(admin, S.categoryEntry.add(new O.CategoryEntry({ categoryId: c101.id, entryId: course })));
      await run(admin, S.categoryEntry.add(new O.CategoryEntry({ categoryId: lobby.id, entryId: open })));
      await run(admin, S.categoryUser.add(new O.CategoryUser({ categoryId: courses.id, userId: 'ana', permissionLevel: 3 })));
    });
    afterAll(() => t?.close());

    const simulate = async (entryId: string, session: Record<string, unknown>) => {
      const r = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { entryId, session } });
      expect(r.status, r.text).toBe(200);
      return r.json.data as { allowed: boolean; entitlement?: { applies: boolean; entitled: boolean; why: string } };
    };
    const enforced = 'enableentitlement,privacycontext:MEDIASPACE';

    it('a member via the parent that manages members; an open category; and the refusals, each explained', async () => {
      expect(await simulate(course, { type: 'user', userId: 'ana', privileges: enforced })).toMatchObject({
        allowed: true,
        entitlement: { applies: true, entitled: true, why: 'ana is a member of Courses>Course 101 (MEDIASPACE) via parent Courses' },
      });
      const stranger = await simulate(course, { type: 'user', userId: 'bo', privileges: enforced });
      expect(stranger.allowed).toBe(false);
      expect(stranger.entitlement).toMatchObject({ applies: true, entitled: false });
      expect(stranger.entitlement?.why).toContain('bo is not a member');
      expect(await simulate(open, { type: 'user', userId: 'bo', privileges: enforced })).toMatchObject({ allowed: true, entitlement: { entitled: true, why: 'Lobby (MEDIASPACE) is open to everyone in its context' } });
      const otherContext = await simulate(course, { type: 'user', userId: 'ana', privileges: 'enableentitlement,privacycontext:OTHER' });
      expect(otherContext).toMatchObject({ allowed: false, entitlement: { entitled: false } });
      expect(otherContext.entitlement?.why).toContain("session's privacy context OTHER");
    });

    it('not enforced, or lifted for the entry: says so, and does not refuse; no entry: no entitlement', async () => {
      expect(await simulate(course, { type: 'user', userId: 'bo' })).toMatchObject({ allowed: true, entitlement: { applies: false, entitled: true } });
      expect(await simulate(course, { type: 'user', userId: 'bo', privileges: `${enforced},disableentitlementforentry:${course}` })).toMatchObject({ allowed: true, entitlement: { applies: false, why: 'lifted for this entry by disableentitlementforentry' } });
      const rules = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { rules: [], session: { type: 'none' } } });
      expect(rules.json.data).not.toHaveProperty('entitlement');
    });
  });
}
