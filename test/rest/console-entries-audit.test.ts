/** /api/entries (test entries, profiles and schedules) and /api/audit (filters, newest first, partner isolation). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorToken } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, expectProblem, fromNow, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/entries and /api/audit [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let q: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-console-entries');
      p = await registerPartner(t, 'Alpha');
      q = await registerPartner(t, 'Beta');
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('entries: create, list with search and profile filter, patch profile and schedule, clear them', async () => {
      const profile = (await api(t, 'POST', '/api/access-control-profiles', { token, body: { name: 'Members' } })).json.data.id;
      const a = await api(t, 'POST', '/api/entries', { token, body: { name: 'Lecture 1', description: 'intro' } });
      expect(a.status).toBe(201);
      expect(a.json.data).toMatchObject({ id: expect.stringMatching(/^0_[0-9a-z]{8}$/), name: 'Lecture 1', description: 'intro', userId: p.adminEmail, status: 'ready', accessControlId: expect.any(Number), startDate: null, endDate: null });
      const b = await api(t, 'POST', '/api/entries', { token, body: { name: 'Trailer', accessControlId: profile } });
      expect(b.json.data.accessControlId).toBe(profile);
      expect((await run(client(t, await adminKs(t, p)), kaltura.services.baseEntry.get(b.json.data.id))).accessControlId).toBe(profile);

      const all = await api(t, 'GET', '/api/entries', { token });
      expect(all.json.data.map((e: { name: string }) => e.name).sort()).toEqual(['Lecture 1', 'Trailer']);
      expect(all.json.page).toEqual({ pageIndex: 1, pageSize: 100, totalCount: 2 });
      expect((await api(t, 'GET', '/api/entries', { token, query: { search: 'lect' } })).json.data.map((e: { name: string }) => e.name)).toEqual(['Lecture 1']);
      expect((await api(t, 'GET', '/api/entries', { token, query: { search: b.json.data.id } })).json.data.map((e: { name: string }) => e.name)).toEqual(['Trailer']);
      expect((await api(t, 'GET', '/api/entries', { token, query: { accessControlId: String(profile) } })).json.data.map((e: { name: string }) => e.name)).toEqual(['Trailer']);

      const start = fromNow(t, 1).replace(/\.\d{3}Z$/, '.000Z');
      const end = fromNow(t, 10).replace(/\.\d{3}Z$/, '.000Z');
      const patched = await api(t, 'PATCH', `/api/entries/${a.json.data.id}`, { token, body: { name: 'Lecture 1 (new)', accessControlId: profile, startDate: start, endDate: end } });
      expect(patched.status).toBe(200);
      expect(patched.json.data).toMatchObject({ name: 'Lecture 1 (new)', accessControlId: profile, startDate: start, endDate: end });
      // Not scheduled yet: the simulator says so.
      const sim = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { entryId: a.json.data.id } });
      expect(sim.json.data).toMatchObject({ isScheduledNow: false, allowed: false });
      const cleared = await api(t, 'PATCH', `/api/entries/${a.json.data.id}`, { token, body: { accessControlId: null, startDate: null, endDate: null } });
      expect(cleared.json.data).toMatchObject({ accessControlId: null, startDate: null, endDate: null });
    });

    it('entries: errors and isolation', async () => {
      expectProblem(await api(t, 'POST', '/api/entries', { token, body: { name: 'x', startDate: fromNow(t, 2), endDate: fromNow(t, 1) } }), 400, 'INVALID_ENTRY_SCHEDULE_DATES');
      expectProblem(await api(t, 'POST', '/api/entries', { token, body: { name: 'x', accessControlId: 999999 } }), 404, 'ACCESS_CONTROL_ID_NOT_FOUND');
      expectProblem(await api(t, 'POST', '/api/entries', { token, body: {} }), 400, 'INVALID_REQUEST');
      const theirs = await api(t, 'POST', '/api/entries', { token: await adminToken(t, q), body: { name: 'Beta only' } });
      expectProblem(await api(t, 'PATCH', `/api/entries/${theirs.json.data.id}`, { token, body: { name: 'mine' } }), 404, 'ENTRY_ID_NOT_FOUND');
      expect((await api(t, 'GET', '/api/entries', { token })).json.data.map((e: { name: string }) => e.name)).not.toContain('Beta only');
      const viewer = await userWithPermissions(t, p, '');
      const vt = await accessToken(t, viewer.email, viewer.password);
      expectProblem(await api(t, 'GET', '/api/entries', { token: vt }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await api(t, 'POST', '/api/entries', { token: vt, body: { name: 'x' } }), 403, 'PERMISSION_REQUIRED');
    });

    it('audit: the partner\'s own events, newest first, filtered by action, actor and time', async () => {
      const r = await api(t, 'GET', '/api/audit', { token, query: { action: 'entry.add' } });
      expect(r.status).toBe(200);
      expect(r.json.data.length).toBe(2);
      expect(r.json.data[0]).toEqual({ id: expect.any(Number), at: expect.any(String), partnerId: p.id, actor: p.adminEmail, action: 'entry.add', target: expect.any(String), outcome: 'success', ip: '127.0.0.1', details: expect.any(Object) });
      expect(r.json.data[0].id).toBeGreaterThan(r.json.data[1].id);
      const all = await api(t, 'GET', '/api/audit', { token, query: { pageSize: '500' } });
      expect(all.json.data.every((e: { partnerId: number }) => e.partnerId === p.id)).toBe(true);
      expect(all.json.data.some((e: { action: string }) => e.action === 'entry.update')).toBe(true);
      expect(all.json.page.totalCount).toBe(all.json.data.length);
      const byActor = await api(t, 'GET', '/api/audit', { token, query: { actor: p.adminEmail, action: 'entry.update' } });
      expect(byActor.json.data.length).toBe(2);
      const future = new Date(t.clock.nowMs() + 60_000).toISOString();
      expect((await api(t, 'GET', '/api/audit', { token, query: { from: future } })).json.data).toEqual([]);
      expect((await api(t, 'GET', '/api/audit', { token, query: { to: future, action: 'entry.add' } })).json.data.length).toBe(2);
      expect((await api(t, 'GET', '/api/audit', { token, query: { pageSize: '1', page: '2' } })).json).toMatchObject({ data: [expect.any(Object)], page: { pageIndex: 2, pageSize: 1 } });
      expectProblem(await api(t, 'GET', '/api/audit', { token, query: { from: 'yesterday' } }), 400, 'INVALID_REQUEST');
    });

    it('audit: operators see every partner; users without AUDIT_LOG_READ get 403', async () => {
      const r = await api(t, 'GET', '/api/audit', { token: await operatorToken(t), query: { action: 'entry.add', pageSize: '500' } });
      expect(new Set(r.json.data.map((e: { partnerId: number }) => e.partnerId))).toEqual(new Set([p.id, q.id]));
      const reader = await userWithPermissions(t, p, 'ADMIN_BASE');
      expectProblem(await api(t, 'GET', '/api/audit', { token: await accessToken(t, reader.email, reader.password) }), 403, 'PERMISSION_REQUIRED');
    });
  });
}
