/**
 * The delivery decision has two ways to its answer, in one implementation: at once from memory
 * (DeliveryService.decide returns the decision itself when the partner, entry, verified KS, user
 * and compiled profile are all cached) or after reading the database (it returns a promise). Over
 * a real socket, ahead of Fastify (raw-routes.ts), the first request for a fresh entry must read
 * the database and the second must not, and both must answer the same.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeliveryService } from '../../src/services/delivery/delivery-service.js';
import { block, rule, strings } from '../support/access-control.js';
import { DIALECTS } from '../support/dialects.js';
import { startDeliveryWorld, type DeliveryWorld } from '../support/delivery.js';
import { kaltura, run } from '../support/gatehouse.js';

const O = kaltura.objects;

interface Seen {
  status: number;
  body: string;
  identity: Record<string, string | null>;
}

for (const dialect of DIALECTS) {
  describe(`delivery decisions from memory and from the database agree [${dialect}]`, () => {
    let w: DeliveryWorld;
    let base: string;
    beforeAll(async () => {
      w = await startDeliveryWorld(dialect, 'delivery-memory-vs-db');
      // The harness serves on a loopback port already (the official client talks to it).
      base = `http://127.0.0.1:${(w.t.gh.app.server.address() as { port: number }).port}`;
    });
    afterAll(() => w?.close());

    async function ask(headers: Record<string, string>): Promise<Seen> {
      const res = await fetch(`${base}/authz/delivery`, { headers });
      const identity: Record<string, string | null> = {};
      for (const h of ['x-gatehouse-partner', 'x-gatehouse-entry', 'x-gatehouse-user', 'x-gatehouse-preview', 'www-authenticate']) identity[h] = res.headers.get(h);
      return { status: res.status, body: await res.text(), identity };
    }

    /** Asks twice; returns both answers and how many times each asked the database path. */
    async function twice(headers: Record<string, string>): Promise<{ cold: Seen; warm: Seen; coldReads: number; warmReads: number }> {
      // The writes that set the scene come back through the change feed and drop cache entries;
      // take them in now, so they cannot land between the two requests.
      await w.t.gh.sync.tick();
      const spy = vi.spyOn(DeliveryService.prototype, 'decide');
      try {
        // A decision that had to wait for a read is a promise; one answered from memory is not.
        const reads = () => spy.mock.results.filter((r) => r.type === 'return' && r.value instanceof Promise).length;
        const cold = await ask(headers);
        const coldReads = reads();
        const warm = await ask(headers);
        return { cold, warm, coldReads, warmReads: reads() - coldReads };
      } finally {
        spy.mockRestore();
      }
    }

    it('allowed with a KS: the user and entry headers, the second time from memory', async () => {
      const { entry } = await w.entryWith([rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [block()], message: 'Please sign in' })]);
      const ks = await w.userKs('ana@uni.test', `sview:${entry.id}`);
      const r = await twice({ 'x-original-uri': w.playUrl(entry.id, `/ks/${ks}/a.mp4`) });
      expect(r.cold).toEqual(r.warm);
      expect(r.warm.status).toBe(200);
      expect(r.warm.identity).toMatchObject({ 'x-gatehouse-entry': entry.id, 'x-gatehouse-user': 'ana@uni.test', 'x-gatehouse-preview': null });
      expect([r.coldReads, r.warmReads]).toEqual([1, 0]);
    });

    it('an anonymous preview, a site block with its message, and a missing session agree', async () => {
      const preview = await w.entryWith([rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [new O.AccessControlPreviewAction({ limit: 30 })] })]);
      const p = await twice({ 'x-original-uri': w.playUrl(preview.entry.id) });
      expect(p.cold).toEqual(p.warm);
      expect(p.warm.identity['x-gatehouse-preview']).toBe('30');
      expect([p.coldReads, p.warmReads]).toEqual([1, 0]);

      const site = await w.entryWith([rule({ conditions: [new O.SiteCondition({ not: true, values: strings('publisher.example') })], actions: [block()], message: 'Embedding not allowed' })]);
      const s = await twice({ 'x-original-uri': w.playUrl(site.entry.id), referer: 'https://elsewhere.example/page' });
      expect(s.cold).toEqual(s.warm);
      expect(s.warm.status).toBe(403);
      expect(JSON.parse(s.warm.body)).toEqual({ status: 403, reason: 'blocked', message: 'Embedding not allowed' });
      expect([s.coldReads, s.warmReads]).toEqual([1, 0]);

      const signIn = await w.entryWith([rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [block()], message: 'Please sign in' })]);
      const m = await twice({ 'x-original-uri': w.playUrl(signIn.entry.id) });
      expect(m.cold).toEqual(m.warm);
      expect(m.warm.status).toBe(401);
      expect(m.warm.identity['www-authenticate']).toBe('KS realm="gatehouse"');
    });

    it('an unscheduled entry and an unknown entry agree (the unknown one from the negative cache)', async () => {
      const later = await w.entryWith([], { startDate: Math.floor(Date.now() / 1000) + 86400 });
      const u = await twice({ 'x-original-uri': w.playUrl(later.entry.id) });
      expect(u.cold).toEqual(u.warm);
      expect(JSON.parse(u.warm.body)).toMatchObject({ status: 403, reason: 'unscheduled' });
      expect([u.coldReads, u.warmReads]).toEqual([1, 0]);

      const none = await twice({ 'x-original-uri': w.playUrl('0_zz00zz00') });
      expect(none.cold).toEqual(none.warm);
      expect(JSON.parse(none.warm.body)).toMatchObject({ status: 403, reason: 'not_found' });
      expect([none.coldReads, none.warmReads]).toEqual([1, 0]);
    });

    it("a blocked user's KS stops at once, from memory and from the database, and works again when unblocked", async () => {
      const { entry } = await w.entryWith([rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [block()], message: 'Please sign in' })]);
      await run(w.admin, kaltura.services.user.add(new O.User({ id: 'blocked-viewer', firstName: 'B', email: 'b@uni.test' })));
      const ks = await w.userKs('blocked-viewer', `sview:${entry.id}`);
      const headers = { 'x-original-uri': w.playUrl(entry.id, `/ks/${ks}/a.mp4`) };
      const before = await twice(headers);
      expect(before.warm.status).toBe(200);
      await run(w.admin, kaltura.services.user.update('blocked-viewer', new O.User({ status: 0 })));
      const blocked = await twice(headers);
      expect(blocked.cold).toEqual(blocked.warm);
      expect(JSON.parse(blocked.warm.body)).toMatchObject({ status: 401, reason: 'invalid_session' });
      expect(blocked.warmReads).toBe(0);
      await run(w.admin, kaltura.services.user.update('blocked-viewer', new O.User({ status: 1 })));
      expect((await twice(headers)).warm.status).toBe(200);
    });

    it('an invalid KS is never remembered: both times through the full check, same 401', async () => {
      const { entry } = await w.entryWith([]);
      const r = await twice({ 'x-original-uri': w.playUrl(entry.id, '/ks/djJ8MTAwfGJhZA/a.mp4') });
      expect(r.cold).toEqual(r.warm);
      expect(JSON.parse(r.warm.body)).toMatchObject({ status: 401, reason: 'invalid_session' });
      expect([r.coldReads, r.warmReads]).toEqual([1, 1]);
    });

    it('an unknown partner is refused from memory too (the Directory caches the miss)', async () => {
      const { entry } = await w.entryWith([]);
      const other = `/p/${w.p.id + 1000}/sp/${w.p.id + 1000}00/playManifest/entryId/${entry.id}/a.mp4`;
      const r = await twice({ 'x-original-uri': other });
      expect(r.cold).toEqual(r.warm);
      expect(JSON.parse(r.warm.body)).toMatchObject({ status: 403, reason: 'partner_blocked' });
      expect([r.coldReads, r.warmReads]).toEqual([1, 0]);
    });
  });
}
