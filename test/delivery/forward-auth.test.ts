/**
 * /authz/delivery on every dialect, for the header sets of nginx auth_request, Traefik ForwardAuth
 * and Envoy ext_authz: 200 with identity headers, 401 vs 403, conflicting headers refused, the
 * decisions counted in /metrics and each denial logged once, without the KS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { block, rule, strings } from '../support/access-control.js';
import { DIALECTS } from '../support/dialects.js';
import { counter, request, startDeliveryWorld, type DeliveryWorld } from '../support/delivery.js';
import { getWithRepeatedHeader } from '../support/repeated-header.js';
import { kaltura } from '../support/gatehouse.js';

const O = kaltura.objects;
const requireSession = () => rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [block()], message: 'Please sign in' });
const authz = (w: DeliveryWorld, headers: Record<string, string>, o: { url?: string; method?: string } = {}) => request(w.t, o.url ?? '/authz/delivery', { headers, ...(o.method ? { method: o.method } : {}) });

for (const dialect of DIALECTS) {
  describe(`forward-auth /authz/delivery [${dialect}]`, () => {
    let w: DeliveryWorld;
    beforeAll(async () => {
      w = await startDeliveryWorld(dialect, 'delivery-forward-auth', { captureLogs: true });
    });
    afterAll(() => w?.close());

    it('nginx auth_request (X-Original-URI / X-Original-Method): 200 with partner, entry and user', async () => {
      const { entry } = await w.entryWith([requireSession()]);
      const ks = await w.userKs('ana@uni.test', `sview:${entry.id}`);
      const r = await authz(w, { 'x-original-uri': w.playUrl(entry.id, `/ks/${ks}/a.mp4`), 'x-original-method': 'GET' });
      expect(r.status).toBe(200);
      expect(r.body).toBe('');
      expect(r.headers).toMatchObject({ 'x-gatehouse-partner': String(w.p.id), 'x-gatehouse-entry': entry.id, 'x-gatehouse-user': 'ana@uni.test' });
      expect(r.headers).not.toHaveProperty('x-gatehouse-preview');
      // The KS as a query parameter of the original URI works the same.
      expect((await authz(w, { 'x-original-uri': `${w.playUrl(entry.id)}?ks=${encodeURIComponent(ks)}` })).status).toBe(200);
    });

    it('Traefik ForwardAuth (X-Forwarded-Method/-Proto/-Host/-Uri): 200, preview seconds when a preview applies', async () => {
      const { entry } = await w.entryWith([rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [new O.AccessControlPreviewAction({ limit: 30 })] })]);
      const r = await authz(w, { 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'media.uni.test', 'x-forwarded-uri': w.playUrl(entry.id) });
      expect(r.status).toBe(200);
      expect(r.headers).toMatchObject({ 'x-gatehouse-entry': entry.id, 'x-gatehouse-preview': '30' });
      expect(r.headers).not.toHaveProperty('x-gatehouse-user');
    });

    it('Envoy ext_authz (original path under /authz/delivery, original method, body ignored)', async () => {
      const { entry } = await w.entryWith([]);
      for (const method of ['GET', 'HEAD', 'POST', 'OPTIONS']) {
        const r = await request(w.t, `/authz/delivery${w.playUrl(entry.id)}?x=1`, { method, headers: { 'content-type': 'application/json', 'content-length': '0' } });
        expect(r.status, method).toBe(200);
        expect(r.headers['x-gatehouse-entry']).toBe(entry.id);
      }
      // Envoy configured to send a body: not parsed, even when it is not JSON.
      const res = await w.t.gh.app.inject({ method: 'POST', url: `/authz/delivery${w.playUrl(entry.id)}`, headers: { 'content-type': 'application/json' }, payload: '{not json', remoteAddress: '127.0.0.1' });
      expect(res.statusCode).toBe(200);
    });

    it('a generic original URI names the entry with ?partnerId=&entryId=[&context=][&ks=]', async () => {
      const { entry } = await w.entryWith([rule({ actions: [block()], contexts: [new O.AccessControlContextTypeHolder({ type: kaltura.enums.ContextType.DOWNLOAD })], message: 'no downloads' })]);
      expect((await authz(w, { 'x-original-uri': `/videos/intro.mp4?partnerId=${w.p.id}&entryId=${entry.id}` })).status).toBe(200);
      const dl = await authz(w, { 'x-original-uri': `/files/intro.mp4?partnerId=${w.p.id}&entryId=${entry.id}&context=download` });
      expect(dl.status).toBe(403);
      expect(dl.json()).toEqual({ status: 403, reason: 'blocked', message: 'no downloads' });
      // Without any proxy header, the check request's own query.
      expect((await authz(w, {}, { url: `/authz/delivery?partnerId=${w.p.id}&entryId=${entry.id}` })).status).toBe(200);
    });

    it('401 for a missing required session or an invalid KS; 403 for every other refusal (only 200/401/403 for proxies)', async () => {
      const { entry } = await w.entryWith([requireSession()]);
      const missing = await authz(w, { 'x-original-uri': w.playUrl(entry.id) });
      expect(missing.status).toBe(401);
      expect(missing.headers['www-authenticate']).toBe('KS realm="gatehouse"');
      expect(missing.json()).toMatchObject({ reason: 'session_required' });
      expect((await authz(w, { 'x-original-uri': w.playUrl(entry.id, '/ks/djJ8MTAwfGJhZA/a.mp4') })).json()).toMatchObject({ status: 401, reason: 'invalid_session' });
      const noPrivilege = await w.userKs('viewer', 'sview:0_zzzzzzzz');
      expect((await authz(w, { 'x-original-uri': w.playUrl(entry.id, `/ks/${noPrivilege}/a.mp4`) })).json()).toMatchObject({ status: 403, reason: 'blocked', message: 'Please sign in' });
      // Unknown entry and unreadable URIs: 403 here (nginx would turn a 404 into a 500).
      expect((await authz(w, { 'x-original-uri': w.playUrl('0_nosuch00') })).json()).toMatchObject({ status: 403, reason: 'not_found' });
      expect((await authz(w, { 'x-original-uri': '/index.html' })).json()).toMatchObject({ status: 403, reason: 'bad_request' });
    });

    it('a client-added header naming another URI than the proxy\'s is refused', async () => {
      const { entry: open } = await w.entryWith([]);
      const { entry: closed } = await w.entryWith([rule({ actions: [block()] })]);
      // Behind Traefik: the client adds X-Original-URI for an open entry; Traefik sets X-Forwarded-Uri.
      const r = await authz(w, { 'x-original-uri': w.playUrl(open.id), 'x-forwarded-uri': w.playUrl(closed.id) });
      expect(r.status).toBe(403);
      expect(r.json()).toMatchObject({ reason: 'bad_request' });
      expect((await request(w.t, `/authz/delivery${w.playUrl(closed.id)}`, { headers: { 'x-original-uri': w.playUrl(open.id) } })).status).toBe(403);
      // Agreeing sources (nginx in front of Traefik) are fine.
      expect((await authz(w, { 'x-original-uri': w.playUrl(open.id), 'x-forwarded-uri': w.playUrl(open.id) })).status).toBe(200);
    });

    it('an original-request header sent twice is refused, even with equal copies (Node would join them)', async () => {
      const { entry: open } = await w.entryWith([]);
      const twice = (name: string, values: readonly string[], headers: Record<string, string> = {}) => getWithRepeatedHeader(`${w.t.url}/authz/delivery`, name, values, headers);
      for (const [name, values, headers] of [
        ['X-Original-URI', [w.playUrl(open.id), w.playUrl(open.id)], {}],
        ['x-forwarded-uri', [w.playUrl(open.id), w.playUrl(open.id)], {}],
        ['x-original-method', ['GET', 'GET'], { 'x-original-uri': w.playUrl(open.id) }],
      ] as const) {
        const r = await twice(name, values, headers);
        expect(r.status, `${name} twice`).toBe(403);
        expect(JSON.parse(r.body)).toMatchObject({ reason: 'bad_request' });
      }
      // Once each, in any case, the same request is allowed.
      expect((await twice('X-Original-URI', [w.playUrl(open.id)], { 'X-Original-Method': 'GET' })).status).toBe(200);
    });

    it('counts decisions by context and outcome in /metrics', async () => {
      const series = (context: string, outcome: string) => `gatehouse_delivery_decisions_total{context="${context}",outcome="${outcome}"}`;
      const { entry: open } = await w.entryWith([]);
      const { entry: closed } = await w.entryWith([rule({ actions: [block()] })]);
      const before = await Promise.all([counter(w.t, series('play', 'allowed')), counter(w.t, series('play', 'blocked')), counter(w.t, series('download', 'allowed'))]);
      await authz(w, { 'x-original-uri': w.playUrl(open.id) });
      await authz(w, { 'x-original-uri': w.playUrl(open.id) });
      await request(w.t, w.playUrl(open.id));
      await authz(w, { 'x-original-uri': w.playUrl(closed.id) });
      await request(w.t, `/p/${w.p.id}/sp/${w.p.id}00/raw/entry_id/${open.id}/a.mp4`);
      const after = await Promise.all([counter(w.t, series('play', 'allowed')), counter(w.t, series('play', 'blocked')), counter(w.t, series('download', 'allowed'))]);
      expect(after.map((v, i) => v - (before[i] as number))).toEqual([3, 1, 1]);
      // Every series exists from the start, at zero.
      expect(await counter(w.t, series('thumbnail', 'unscheduled'))).toBe(0);
      expect((await w.t.gh.app.inject({ method: 'GET', url: '/metrics' })).body).toContain(series('thumbnail', 'unscheduled'));
    });

    it('each denial is one structured log event with reason, rule, partner and entry; no KS in any log line', async () => {
      const { entry } = await w.entryWith([
        rule({ conditions: [new O.CountryCondition({ values: strings('FR') })], actions: [block()] }),
        rule({ conditions: [new O.AuthenticatedCondition({ not: true, privileges: strings('sview:0_other000') })], actions: [block()], message: 'subscribers only', code: 'SUBS' }),
      ]);
      const ks = await w.userKs('viewer', 'sview:0_zzzzzzzz');
      const start = w.logs.length;
      await authz(w, { 'x-original-uri': `${w.playUrl(entry.id, `/ks/${ks}/a.mp4`)}?ks=${encodeURIComponent(ks)}` });
      await request(w.t, w.playUrl(entry.id, `/ks/${ks}/a.mp4`));
      const events = w.logs.slice(start).filter((l) => l.event === 'delivery.decision');
      expect(events).toHaveLength(2);
      expect(events[0]).toMatchObject({ level: 'debug', granted: false, reason: 'blocked', rule: 1, code: 'SUBS', partnerId: w.p.id, entryId: entry.id, context: 'play', door: 'forward-auth', via: 'nginx', clientIp: '127.0.0.1', status: 403, msg: 'delivery denied' });
      expect(events[1]).toMatchObject({ granted: false, reason: 'blocked', rule: 1, door: 'redirect', status: 403 });
      const allLines = JSON.stringify(w.logs);
      expect(allLines).not.toContain(ks.slice(0, 30));
      expect(allLines).not.toContain(encodeURIComponent(ks).slice(0, 30));
      // Grants are counted, not logged as decisions.
      const { entry: open } = await w.entryWith([]);
      const mark = w.logs.length;
      await authz(w, { 'x-original-uri': w.playUrl(open.id) });
      expect(w.logs.slice(mark).filter((l) => l.event === 'delivery.decision')).toEqual([]);
    });

    it('a user id outside printable ASCII is percent-encoded in X-Gatehouse-User', async () => {
      const { entry } = await w.entryWith([]);
      const ks = await w.userKs('zoë', null);
      const r = await authz(w, { 'x-original-uri': w.playUrl(entry.id, `/ks/${ks}/a.mp4`) });
      expect(r.status).toBe(200);
      expect(r.headers['x-gatehouse-user']).toBe('zo%C3%AB');
    });
  });
}
