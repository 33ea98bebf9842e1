/**
 * The delivery door's redirect URLs on every dialect: playManifest / raw / thumbnail → 302 to the
 * origin with a verifiable gh_token, or 401 / 403 / 404 with a JSON reason; 503 without an origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { block, rule, strings } from '../support/access-control.js';
import { DIALECTS } from '../support/dialects.js';
import { ORIGIN, request, startDeliveryWorld, tokenOf, type DeliveryWorld } from '../support/delivery.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';

const O = kaltura.objects;
const C = kaltura.enums.ContextType;
const holder = (type: string) => new O.AccessControlContextTypeHolder({ type });
/** "Block unless the KS has sview" (Kaltura's default authenticated privileges). */
const requireSession = () => rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [block()], message: 'Please sign in' });

for (const dialect of DIALECTS) {
  describe(`delivery redirects [${dialect}]`, () => {
    let w: DeliveryWorld;
    const now = () => Math.floor(w.t.clock.nowMs() / 1000);
    beforeAll(async () => {
      w = await startDeliveryWorld(dialect, 'delivery-redirect');
    });
    afterAll(() => w?.close());

    it('an allowed playManifest request is a 302 to the origin with the original path and a signed token', async () => {
      const { entry } = await w.entryWith([]);
      const r = await request(w.t, `${w.playUrl(entry.id)}?referrer=abc`);
      expect(r.status).toBe(302);
      expect(r.headers['cache-control']).toBe('no-store');
      const location = String(r.headers.location);
      expect(location.startsWith(`${ORIGIN}/p/${w.p.id}/sp/${w.p.id}00/playManifest/entryId/${entry.id}/format/url/protocol/https/a.mp4?referrer=abc&gh_token=`)).toBe(true);
      expect(location).not.toContain('gh_preview');
      expect(tokenOf(w.t, location)).toEqual({ partnerId: w.p.id, entryId: entry.id, context: 'play', expiresAt: now() + 60, ip: '127.0.0.1' });
      // HEAD is answered like GET (players probe with it).
      expect((await request(w.t, w.playUrl(entry.id), { method: 'HEAD' })).status).toBe(302);
    });

    it('the KS may be a path pair or a query parameter; it never travels on to the origin', async () => {
      const { entry } = await w.entryWith([requireSession()]);
      const ks = await w.userKs('viewer', `sview:${entry.id}`);
      const inPath = await request(w.t, w.playUrl(entry.id, `/ks/${ks}/format/url/a.mp4`));
      expect(inPath.status).toBe(302);
      expect(String(inPath.headers.location)).toMatch(new RegExp(`^${ORIGIN}/p/${w.p.id}/sp/${w.p.id}00/playManifest/entryId/${entry.id}/format/url/a\\.mp4\\?gh_token=`));
      const inQuery = await request(w.t, `${w.playUrl(entry.id)}?a=1&ks=${encodeURIComponent(ks)}&b=2`);
      expect(inQuery.status).toBe(302);
      expect(String(inQuery.headers.location)).toContain('/a.mp4?a=1&b=2&gh_token=');
      for (const r of [inPath, inQuery]) expect(String(r.headers.location)).not.toContain(ks.slice(0, 40));
      // A gh_token sent by the client is dropped: only ours reaches the origin.
      const forged = await request(w.t, `${w.playUrl(entry.id)}?gh_token=forged.sig&gh_preview=0&ks=${encodeURIComponent(ks)}`);
      expect(String(forged.headers.location)).not.toContain('forged');
    });

    it("no KS where a rule needs one is a 403 with the rule's message; an invalid, expired or foreign KS is 401; a KS without the privilege is 403", async () => {
      const { entry } = await w.entryWith([requireSession()]);
      const missing = await request(w.t, w.playUrl(entry.id));
      expect(missing.status).toBe(403);
      expect(missing.headers['www-authenticate']).toBeUndefined();
      expect(missing.json()).toEqual({ status: 403, reason: 'session_required', message: 'Please sign in' });
      const invalid = await request(w.t, w.playUrl(entry.id, '/ks/not-a-ks/a.mp4'));
      expect(invalid.headers['www-authenticate']).toBe('KS realm="gatehouse"');
      expect((await request(w.t, w.playUrl(entry.id, '/ks/not-a-ks/a.mp4'))).json()).toEqual({ status: 401, reason: 'invalid_session', message: 'Invalid KS' });
      const short = await w.userKs('viewer', `sview:${entry.id}`, 10);
      w.t.clock.advance(11);
      expect((await request(w.t, w.playUrl(entry.id, `/ks/${short}/a.mp4`))).status).toBe(401);
      const other = await registerPartner(w.t, 'Other U');
      const foreign = await adminKs(w.t, other);
      expect((await request(w.t, w.playUrl(entry.id, `/ks/${foreign}/a.mp4`))).json()).toMatchObject({ status: 401, reason: 'invalid_session' });
      const noPrivilege = await w.userKs('viewer', 'sview:0_zzzzzzzz');
      expect((await request(w.t, w.playUrl(entry.id, `/ks/${noPrivilege}/a.mp4`))).json()).toEqual({ status: 403, reason: 'blocked', message: 'Please sign in' });
    });

    it('a blocking rule answers 403 with its message and code; an ADMIN KS skips ordinary rules', async () => {
      const { entry } = await w.entryWith([
        rule({ conditions: [new O.CountryCondition({ values: strings('FR') })], actions: [block()], message: 'not here' }),
        rule({ conditions: [new O.CountryCondition({ not: true, values: strings('US') })], actions: [block()], message: 'Content not available in your region', code: 'GEO' }),
      ]);
      const r = await request(w.t, w.playUrl(entry.id));
      expect(r.status).toBe(403);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.json()).toEqual({ status: 403, reason: 'blocked', message: 'Content not available in your region', code: 'GEO' });
      expect((await request(w.t, w.playUrl(entry.id, `/ks/${w.adminKs}/a.mp4`))).status).toBe(302);
    });

    it('a preview action allows with gh_preview and the signed preview length; a KS with sview gets the full entry', async () => {
      const { entry } = await w.entryWith([
        rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [new O.AccessControlPreviewAction({ limit: 45 })] }),
        rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [new O.AccessControlPreviewAction({ limit: 30 })] }),
      ]);
      const anon = await request(w.t, w.playUrl(entry.id));
      expect(anon.status).toBe(302);
      const location = String(anon.headers.location);
      expect(location).toContain('?gh_preview=30&gh_token=');
      expect(tokenOf(w.t, location)).toMatchObject({ previewSeconds: 30 });
      const full = await request(w.t, w.playUrl(entry.id, `/ks/${await w.userKs('subscriber', `sview:${entry.id}`)}/a.mp4`));
      expect(String(full.headers.location)).not.toContain('gh_preview');
      expect(tokenOf(w.t, String(full.headers.location)).previewSeconds).toBeUndefined();
    });

    it('raw and thumbnail URLs decide in the DOWNLOAD and THUMBNAIL contexts', async () => {
      const { entry } = await w.entryWith([rule({ actions: [block()], contexts: [holder(C.DOWNLOAD)], message: 'no downloads' })]);
      const raw = await request(w.t, `/p/${w.p.id}/sp/${w.p.id}00/raw/entry_id/${entry.id}/direct_serve/1/clip.mp4`);
      expect(raw.json()).toEqual({ status: 403, reason: 'blocked', message: 'no downloads' });
      expect((await request(w.t, w.playUrl(entry.id))).status).toBe(302);
      for (const path of [`/p/${w.p.id}/thumbnail/entry_id/${entry.id}/width/120`, `/p/${w.p.id}/sp/${w.p.id}00/thumbnail/entry_id/${entry.id}/width/120`]) {
        const thumb = await request(w.t, path);
        expect(thumb.status).toBe(302);
        expect(String(thumb.headers.location).startsWith(`${ORIGIN}${path}?gh_token=`)).toBe(true);
        expect(tokenOf(w.t, String(thumb.headers.location)).context).toBe('thumbnail');
      }
    });

    it('an entry outside its dates is 403 unless the KS has sview for it or is ADMIN', async () => {
      const { entry: future } = await w.entryWith([], { startDate: now() + 3600 });
      expect((await request(w.t, w.playUrl(future.id))).json()).toEqual({ status: 403, reason: 'unscheduled', message: 'Entry is not scheduled now' });
      expect((await request(w.t, w.playUrl(future.id, `/ks/${await w.userKs('v', `sview:${future.id}`)}/a.mp4`))).status).toBe(302);
      expect((await request(w.t, w.playUrl(future.id, `/ks/${await w.userKs('v', 'sview:*')}/a.mp4`))).status).toBe(302);
      expect((await request(w.t, w.playUrl(future.id, `/ks/${await w.userKs('v', 'sview:0_other000')}/a.mp4`))).status).toBe(403);
      expect((await request(w.t, w.playUrl(future.id, `/ks/${w.adminKs}/a.mp4`))).status).toBe(302);
      const { entry: past } = await w.entryWith([], { startDate: now() - 7200, endDate: now() - 3600 });
      expect((await request(w.t, w.playUrl(past.id))).json()).toMatchObject({ reason: 'unscheduled' });
    });

    it('unknown entries, other partners\' entries and non-delivery paths are 404', async () => {
      expect((await request(w.t, w.playUrl('0_nosuch00'))).json()).toEqual({ status: 404, reason: 'not_found', message: 'Entry not found' });
      const other = await registerPartner(w.t, 'Neighbour U');
      const foreignEntry = await run(client(w.t, await adminKs(w.t, other)), kaltura.services.media.add(new O.MediaEntry({ name: 'x', mediaType: 1 })));
      expect((await request(w.t, w.playUrl(foreignEntry.id))).status).toBe(404);
      expect((await request(w.t, `/p/${w.p.id}/sp/${w.p.id}00/somethingElse/entryId/x`)).json()).toMatchObject({ status: 404, reason: 'bad_request' });
      expect((await request(w.t, `/p/${w.p.id}/sp/${w.p.id}00/playManifest/format/url`)).status).toBe(404);
      expect((await request(w.t, `/p/abc/sp/1/playManifest/entryId/0_x`)).status).toBe(404);
      // An unknown partner is refused like a blocked one.
      expect((await request(w.t, `/p/99999/sp/9999900/playManifest/entryId/0_abcdefgh`)).json()).toMatchObject({ status: 403, reason: 'partner_blocked' });
    });

    it('writes to entries and profiles change the next decision at once (entry cache invalidation)', async () => {
      const { profile, entry } = await w.entryWith([]);
      expect((await request(w.t, w.playUrl(entry.id))).status).toBe(302);
      await run(w.admin, kaltura.services.media.update(entry.id, new O.MediaEntry({ endDate: now() - 10, startDate: now() - 100 })));
      expect((await request(w.t, w.playUrl(entry.id))).json()).toMatchObject({ reason: 'unscheduled' });
      await run(w.admin, kaltura.services.media.update(entry.id, new O.MediaEntry({ endDate: -1, startDate: -1 })));
      expect((await request(w.t, w.playUrl(entry.id))).status).toBe(302);
      await run(w.admin, kaltura.services.accessControlProfile.update(profile.id, new O.AccessControlProfile({ rules: [rule({ actions: [block()], message: 'closed' })] })));
      expect((await request(w.t, w.playUrl(entry.id))).json()).toMatchObject({ reason: 'blocked', message: 'closed' });
      // Deleting the profile re-points the entry to the partner default (no rules): allowed again,
      // though the cached entry still names the deleted profile.
      await run(w.admin, kaltura.services.accessControlProfile.deleteAction(profile.id));
      expect((await request(w.t, w.playUrl(entry.id))).status).toBe(302);
      await run(w.admin, kaltura.services.media.deleteAction(entry.id));
      expect((await request(w.t, w.playUrl(entry.id))).status).toBe(404);
    });

    it('another node drops its cached entry by its next change-feed poll', async () => {
      const { entry } = await w.entryWith([]);
      const second = await startGatehouse(dialect, 'delivery-node2', { share: w.t, syncIntervalMs: 60_000, env: { GATEHOUSE_DELIVERY_ORIGIN: ORIGIN } });
      try {
        expect((await request(second, w.playUrl(entry.id))).status).toBe(302);
        await run(w.admin, kaltura.services.media.update(entry.id, new O.MediaEntry({ startDate: now() + 3600 })));
        // Seen at the latest after the second node's next change-feed read (PostgreSQL may notify it sooner).
        await second.gh.sync.tick();
        expect((await request(second, w.playUrl(entry.id))).json()).toMatchObject({ reason: 'unscheduled' });
      } finally {
        await second.close();
      }
    });

    it('a hostile 8 KB user agent against a backtracking-prone pattern is decided in milliseconds', async () => {
      const { entry } = await w.entryWith([rule({ conditions: [new O.UserAgentCondition({ values: strings('(a+)+b', '(a|aa)+c') })], actions: [block()], message: 'bot' })]);
      // Exponential for a backtracking engine; linear under RE2 (and the engine caps the UA length).
      const ua = 'a'.repeat(8 * 1024);
      await request(w.t, w.playUrl(entry.id), { headers: { 'user-agent': ua } });
      const started = performance.now();
      const r = await request(w.t, w.playUrl(entry.id), { headers: { 'user-agent': ua } });
      const ms = performance.now() - started;
      expect(r.status).toBe(302);
      expect(ms).toBeLessThan(50);
      expect((await request(w.t, w.playUrl(entry.id), { headers: { 'user-agent': 'aaab' } })).json()).toMatchObject({ message: 'bot' });
    });
  });

  describe(`delivery without an origin [${dialect}]`, () => {
    let t: TestGatehouse;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'delivery-no-origin', { env: { GATEHOUSE_DELIVERY_ORIGIN: '' } });
    });
    afterAll(() => t?.close());

    it('delivery URLs answer 503 with a clear message; forward-auth still decides', async () => {
      const p = await registerPartner(t, 'No Origin U');
      const e = await run(client(t, await adminKs(t, p)), kaltura.services.media.add(new O.MediaEntry({ name: 'x', mediaType: 1 })));
      const r = await request(t, `/p/${p.id}/sp/${p.id}00/playManifest/entryId/${e.id}/a.mp4`);
      expect(r.status).toBe(503);
      expect(r.json()).toMatchObject({ status: 503, reason: 'unavailable' });
      expect(r.json().message).toContain('GATEHOUSE_DELIVERY_ORIGIN');
      const fa = await request(t, '/authz/delivery', { headers: { 'x-original-uri': `/p/${p.id}/sp/${p.id}00/playManifest/entryId/${e.id}/a.mp4` } });
      expect(fa.status).toBe(200);
      expect(fa.headers['x-gatehouse-entry']).toBe(e.id);
    });
  });
}
