/**
 * The entry table's prepared steps (services/pipeline/prepared.ts): after a viewer's first allowed
 * request, later requests with the same KS for the same entry reuse what the table concluded from
 * stored state. Each case here is allowed twice (so the second answer came from the prepared
 * steps), then changes one thing the table reads, and the very next request must see the change:
 * nothing prepared may outlive the state it was prepared from, and the request-dependent checks
 * (expiry, iprestrict, revocation, actionslimit, schedule, the rules) still run every time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { block, rule, strings } from '../support/access-control.js';
import { DIALECTS } from '../support/dialects.js';
import { request, startDeliveryWorld, type DeliveryWorld } from '../support/delivery.js';
import { client, kaltura, run } from '../support/gatehouse.js';
import { operatorToken } from '../support/console.js';
import { api } from '../support/rest.js';

const O = kaltura.objects;
const S = kaltura.services;

for (const dialect of DIALECTS) {
  describe(`prepared delivery decisions follow every change [${dialect}]`, () => {
    let w: DeliveryWorld;
    beforeAll(async () => {
      w = await startDeliveryWorld(dialect, 'delivery-prepared');
    });
    afterAll(() => w?.close());

    const ask = (entryId: string, ks: string, headers: Record<string, string> = {}) => request(w.t, '/authz/delivery', { headers: { 'x-original-uri': w.playUrl(entryId, `/ks/${ks}/a.mp4`), ...headers } });
    const allowedTwice = async (entryId: string, ks: string) => {
      for (let i = 0; i < 2; i++) expect((await ask(entryId, ks)).status, `request ${i + 1}`).toBe(200);
    };

    it("the user blocked, then unblocked: the next request is refused, then allowed", async () => {
      const { entry } = await w.entryWith([]);
      await run(w.admin, S.user.add(new O.User({ id: 'prep-user', firstName: 'P', email: 'prep@uni.test' })));
      const ks = await w.userKs('prep-user');
      await allowedTwice(entry.id, ks);
      await run(w.admin, S.user.update('prep-user', new O.User({ status: 0 })));
      expect((await ask(entry.id, ks)).json()).toMatchObject({ status: 401, reason: 'invalid_session' });
      await run(w.admin, S.user.update('prep-user', new O.User({ status: 1 })));
      expect((await ask(entry.id, ks)).status).toBe(200);
    });

    it("the entry moved to a blocking profile, and a profile's rules changed", async () => {
      const { entry } = await w.entryWith([]);
      const { profile: blocking } = await w.entryWith([rule({ actions: [block()], message: 'moved' })]);
      const ks = await w.userKs('viewer-1');
      await allowedTwice(entry.id, ks);
      await run(w.admin, S.baseEntry.update(entry.id, new O.BaseEntry({ accessControlId: blocking.id })));
      expect((await ask(entry.id, ks)).json()).toMatchObject({ status: 403, reason: 'blocked', message: 'moved' });

      const { entry: second, profile } = await w.entryWith([]);
      await allowedTwice(second.id, ks);
      await run(w.admin, S.accessControlProfile.update(profile.id, new O.AccessControlProfile({ rules: [rule({ actions: [block()], message: 'now closed' })] })));
      expect((await ask(second.id, ks)).json()).toMatchObject({ status: 403, reason: 'blocked', message: 'now closed' });
    });

    it('the entry deleted: not found at once', async () => {
      const { entry } = await w.entryWith([]);
      const ks = await w.userKs('viewer-2');
      await allowedTwice(entry.id, ks);
      await run(w.admin, S.baseEntry.deleteAction(entry.id));
      expect((await ask(entry.id, ks)).json()).toMatchObject({ status: 403, reason: 'not_found' });
    });

    it('the partner blocked by the operator: refused at once', async () => {
      const { entry } = await w.entryWith([]);
      const ks = await w.userKs('viewer-3');
      await allowedTwice(entry.id, ks);
      const op = await operatorToken(w.t);
      expect((await api(w.t, 'PATCH', `/api/partners/${w.p.id}`, { token: op, body: { status: 'blocked' } })).status).toBe(200);
      try {
        expect((await ask(entry.id, ks)).json()).toMatchObject({ status: 403, reason: 'partner_blocked' });
      } finally {
        expect((await api(w.t, 'PATCH', `/api/partners/${w.p.id}`, { token: op, body: { status: 'active' } })).status).toBe(200);
      }
      expect((await ask(entry.id, ks)).status).toBe(200);
    });

    it('the KS ended (session.end): refused at once', async () => {
      const { entry } = await w.entryWith([]);
      const ks = await w.userKs('viewer-4');
      await allowedTwice(entry.id, ks);
      await run(client(w.t, ks), S.session.end());
      expect((await ask(entry.id, ks)).json()).toMatchObject({ status: 401, reason: 'invalid_session' });
    });

    it('iprestrict and actionslimit are checked on every request, prepared or not', async () => {
      const { entry } = await w.entryWith([]);
      const pinned = await w.userKs('viewer-5', 'iprestrict:127.0.0.1');
      await allowedTwice(entry.id, pinned);
      // The same KS from another address (the test's socket peer is not a trusted proxy here).
      const elsewhere = await request(w.t, '/authz/delivery', { headers: { 'x-original-uri': w.playUrl(entry.id, `/ks/${pinned}/a.mp4`) }, remoteAddress: '192.0.2.7' });
      expect(elsewhere.json()).toMatchObject({ status: 401, reason: 'invalid_session' });

      const counted = await w.userKs('viewer-6', 'actionslimit:3');
      await allowedTwice(entry.id, counted);
      expect((await ask(entry.id, counted)).status).toBe(200);
      expect((await ask(entry.id, counted)).json()).toMatchObject({ status: 401, reason: 'invalid_session' });
    });

    it("the entry's end date passes while prepared: unscheduled at once; the KS expiring: refused at once", async () => {
      const now = Math.floor(w.t.clock.nowMs() / 1000);
      const { entry } = await w.entryWith([], { endDate: now + 2 });
      const ks = await w.userKs('viewer-7', null, 60);
      await allowedTwice(entry.id, ks);
      w.t.clock.advance(3);
      expect((await ask(entry.id, ks)).json()).toMatchObject({ status: 403, reason: 'unscheduled' });
      const { entry: open } = await w.entryWith([]);
      const ks2 = await w.userKs('viewer-7', null, 3);
      await allowedTwice(open.id, ks2);
      w.t.clock.advance(4);
      expect((await ask(open.id, ks2)).json()).toMatchObject({ status: 401, reason: 'invalid_session' });
    });

    it('the rules still see each request: another referrer or user agent is judged afresh; a header rule is judged every time', async () => {
      const { entry } = await w.entryWith([
        rule({ conditions: [new O.SiteCondition({ not: true, values: strings('partner.example') })], actions: [block()], message: 'wrong site' }),
        rule({ conditions: [new O.UserAgentCondition({ values: strings('.*BadBot.*') })], actions: [block()], message: 'no bots' }),
      ]);
      const ks = await w.userKs('viewer-8');
      const good = { referer: 'https://partner.example/watch', 'user-agent': 'Mozilla/5.0' };
      for (let i = 0; i < 2; i++) expect((await ask(entry.id, ks, good)).status).toBe(200);
      expect((await ask(entry.id, ks, { ...good, referer: 'https://elsewhere.example/' })).json()).toMatchObject({ status: 403, message: 'wrong site' });
      expect((await ask(entry.id, ks, { ...good, 'user-agent': 'BadBot/1.0' })).json()).toMatchObject({ status: 403, message: 'no bots' });
      expect((await ask(entry.id, ks, good)).status).toBe(200);

      // A rule reading a request header is not "client only": each request is judged, header included.
      const { entry: tenant } = await w.entryWith([rule({ conditions: [new O.HttpHeaderCondition({ headerName: 'X-Tenant', values: strings('^acme$') })], actions: [block()], message: 'not for acme' })]);
      for (let i = 0; i < 2; i++) expect((await ask(tenant.id, ks, { ...good, 'x-tenant': 'other' })).status).toBe(200);
      expect((await ask(tenant.id, ks, { ...good, 'x-tenant': 'acme' })).json()).toMatchObject({ status: 403, message: 'not for acme' });
    });

    it("entitlement: the viewer's membership removed, then the category's privacy opened", async () => {
      const CTX = 'PREPCTX';
      const course = await run(w.admin, S.category.add(new O.Category({ name: `Prep ${Math.random()}`, privacyContext: CTX, privacy: 3, inheritanceType: 2 })));
      const { entry } = await w.entryWith([]);
      await run(w.admin, S.categoryEntry.add(new O.CategoryEntry({ categoryId: course.id, entryId: entry.id })));
      await run(w.admin, S.categoryUser.add(new O.CategoryUser({ categoryId: course.id, userId: 'member-9', permissionLevel: 3 })));
      const ks = await w.userKs('member-9', `enableentitlement,privacycontext:${CTX}`);
      await allowedTwice(entry.id, ks);
      await run(w.admin, S.categoryUser.deleteAction(course.id, 'member-9'));
      expect((await ask(entry.id, ks)).json()).toMatchObject({ status: 403, reason: 'entitlement' });
      await run(w.admin, S.category.update(course.id, new O.Category({ privacy: 1 })));
      expect((await ask(entry.id, ks)).status).toBe(200);
    });
  });
}
