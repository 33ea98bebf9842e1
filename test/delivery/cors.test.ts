/**
 * CORS on the delivery URLs, on every dialect: every /p/... answer (302, 401, 403, 404, 503) carries
 * `Access-Control-Allow-Origin: *` and the exposed headers by default; OPTIONS preflights are 204;
 * a partner's `deliveryAllowedOrigins` echoes only the listed origins with `Vary: Origin`, others
 * get no Allow-Origin; a change reaches another node within its sync interval. Forward-auth, which
 * proxies ask, has no CORS. Both ways in are checked: Fastify's inject and the raw socket.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { block, rule } from '../support/access-control.js';
import { operatorToken } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { counter, ORIGIN, request, startDeliveryWorld, type Answer, type DeliveryWorld } from '../support/delivery.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { api } from '../support/rest.js';

const LMS = 'https://lms.example.edu';
const EVIL = 'https://evil.example';
const EXPOSE = 'X-Gatehouse-Reason, WWW-Authenticate, Retry-After';

/** A request over a real socket (the raw hot path), without following redirects. */
function overSocket(t: TestGatehouse, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(path, t.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function expectAnyOrigin(r: Answer): void {
  expect(r.headers['access-control-allow-origin']).toBe('*');
  expect(r.headers['access-control-expose-headers']).toBe(EXPOSE);
  expect(r.headers.vary).toBeUndefined();
  expect(r.headers['access-control-allow-credentials']).toBeUndefined();
}

for (const dialect of DIALECTS) {
  describe(`delivery CORS [${dialect}]`, () => {
    let w: DeliveryWorld;
    let op: string;
    beforeAll(async () => {
      w = await startDeliveryWorld(dialect, 'delivery-cors');
      op = await operatorToken(w.t);
    });
    afterAll(() => w?.close());

    const setOrigins = async (origins: string[]) => {
      const r = await api(w.t, 'PATCH', `/api/partners/${w.p.id}`, { token: op, body: { settings: { deliveryAllowedOrigins: origins } } });
      expect(r.status, r.text).toBe(200);
    };

    it('by default every answer of /p/... is readable by any origin: 302, 401, 403, 404 and HEAD', async () => {
      const { entry: open } = await w.entryWith([]);
      const { entry: closed } = await w.entryWith([rule({ actions: [block()], message: 'Not for you', code: 'NOPE' })]);
      const cases: Array<[string, number, string | undefined]> = [
        [w.playUrl(open.id), 302, undefined],
        [w.playUrl(open.id, '/ks/not-a-ks/a.m3u8'), 401, 'invalid_session'],
        [w.playUrl(closed.id), 403, 'blocked'],
        [w.playUrl('0_nosuch00'), 404, 'not_found'],
        [`/p/${w.p.id}/sp/${w.p.id}00/somethingElse/entryId/x`, 404, 'bad_request'],
        // An unknown partner: nothing to protect, any origin.
        [`/p/999999/sp/99999900/playManifest/entryId/${open.id}/a.m3u8`, 403, 'partner_blocked'],
      ];
      for (const [url, status, reason] of cases) {
        for (const r of [await request(w.t, url, { headers: { origin: EVIL } }), await overSocket(w.t, url, 'GET', { origin: EVIL }), await request(w.t, url)]) {
          expect(r.status, url).toBe(status);
          expectAnyOrigin(r);
          expect(r.headers['x-gatehouse-reason']).toBe(reason);
        }
        const head = await overSocket(w.t, url, 'HEAD', { origin: EVIL });
        expect(head.status).toBe(status);
        expectAnyOrigin(head);
      }
      const denied = await request(w.t, w.playUrl(closed.id), { headers: { origin: EVIL } });
      expect(denied.json()).toEqual({ status: 403, reason: 'blocked', message: 'Not for you', code: 'NOPE' });
      expect(String((await request(w.t, w.playUrl(open.id))).headers.location).startsWith(ORIGIN)).toBe(true);
    });

    it('OPTIONS preflights are 204 with the methods, the allowed requested headers and a max age; nothing is decided or counted', async () => {
      const { entry } = await w.entryWith([]);
      const before = await counter(w.t, `gatehouse_delivery_decisions_total{context="play",outcome="allowed"}`);
      const ask = { origin: EVIL, 'access-control-request-method': 'GET', 'access-control-request-headers': 'cache-control,range,x-evil,authorization' };
      for (const r of [await request(w.t, w.playUrl(entry.id), { method: 'OPTIONS', headers: ask }), await overSocket(w.t, w.playUrl(entry.id), 'OPTIONS', ask)]) {
        expect(r.status).toBe(204);
        expect(r.body).toBe('');
        expect(r.headers['access-control-allow-origin']).toBe('*');
        expect(r.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
        expect(r.headers['access-control-allow-headers']).toBe('cache-control, range');
        expect(r.headers['access-control-max-age']).toBe('7200');
        expect(r.headers['access-control-allow-credentials']).toBeUndefined();
      }
      // Nothing requested: no Allow-Headers; not a delivery URL, or an unknown partner: still 204 for any origin.
      const plain = await overSocket(w.t, w.playUrl(entry.id), 'OPTIONS', { origin: EVIL, 'access-control-request-method': 'GET' });
      expect(plain.headers['access-control-allow-headers']).toBeUndefined();
      for (const url of [`/p/${w.p.id}/nothing`, `/p/999999/sp/99999900/playManifest/entryId/${entry.id}`]) {
        const r = await overSocket(w.t, url, 'OPTIONS', ask);
        expect(r.status).toBe(204);
        expect(r.headers['access-control-allow-origin']).toBe('*');
      }
      expect(await counter(w.t, `gatehouse_delivery_decisions_total{context="play",outcome="allowed"}`)).toBe(before);
    });

    it("a partner's deliveryAllowedOrigins: listed origins are echoed with Vary: Origin, others get no Allow-Origin", async () => {
      const { entry: open } = await w.entryWith([]);
      const { entry: closed } = await w.entryWith([rule({ actions: [block()], message: 'Not for you' })]);
      await setOrigins([LMS, 'http://127.0.0.1:9999']);
      try {
        const urls: Array<[string, number]> = [
          [w.playUrl(open.id), 302],
          [w.playUrl(open.id, '/ks/not-a-ks/a.m3u8'), 401],
          [w.playUrl(closed.id), 403],
          [w.playUrl('0_nosuch00'), 404],
        ];
        for (const [url, status] of urls) {
          for (const get of [(h: Record<string, string>) => request(w.t, url, { headers: h }), (h: Record<string, string>) => overSocket(w.t, url, 'GET', h)]) {
            const listed = await get({ origin: LMS });
            expect(listed.status).toBe(status);
            expect(listed.headers['access-control-allow-origin']).toBe(LMS);
            expect(listed.headers['access-control-expose-headers']).toBe(EXPOSE);
            expect(listed.headers.vary).toBe('Origin');
            expect((await get({ origin: 'http://127.0.0.1:9999' })).headers['access-control-allow-origin']).toBe('http://127.0.0.1:9999');
            const others: Array<Record<string, string>> = [{ origin: EVIL }, { origin: 'https://LMS.example.edu' }, { origin: `${LMS}, ${EVIL}` }, { origin: 'null' }, {}];
            for (const other of others) {
              const r = await get(other);
              expect(r.status).toBe(status);
              expect(r.headers['access-control-allow-origin']).toBeUndefined();
              expect(r.headers['access-control-expose-headers']).toBeUndefined();
              expect(r.headers.vary).toBe('Origin');
            }
          }
        }
        const pre = await overSocket(w.t, w.playUrl(open.id), 'OPTIONS', { origin: LMS, 'access-control-request-method': 'GET', 'access-control-request-headers': 'range' });
        expect(pre.status).toBe(204);
        expect(pre.headers).toMatchObject({ 'access-control-allow-origin': LMS, vary: 'Origin', 'access-control-allow-headers': 'range' });
        const preOther = await overSocket(w.t, w.playUrl(open.id), 'OPTIONS', { origin: EVIL, 'access-control-request-method': 'GET' });
        expect(preOther.status).toBe(204);
        expect(preOther.headers['access-control-allow-origin']).toBeUndefined();
        // Answers about no partner stay readable by any origin.
        expectAnyOrigin(await overSocket(w.t, `/p/${w.p.id}/sp/${w.p.id}00/somethingElse/entryId/x`, 'GET', { origin: EVIL }));
      } finally {
        await setOrigins([]);
      }
      expectAnyOrigin(await overSocket(w.t, w.playUrl(open.id), 'GET', { origin: EVIL }));
    });

    it('the partner is read from the cache when it is cold too (first request after a change)', async () => {
      const { entry } = await w.entryWith([]);
      await setOrigins([LMS]);
      try {
        // The PATCH dropped the cached partner: the next request loads it, then answers from memory.
        const cold = await overSocket(w.t, w.playUrl(entry.id), 'GET', { origin: EVIL });
        const warm = await overSocket(w.t, w.playUrl(entry.id), 'GET', { origin: LMS });
        expect([cold.status, warm.status]).toEqual([302, 302]);
        expect(cold.headers['access-control-allow-origin']).toBeUndefined();
        expect(warm.headers['access-control-allow-origin']).toBe(LMS);
      } finally {
        await setOrigins([]);
      }
    });

    it('a change reaches another node within its sync interval', async () => {
      const b = await startGatehouse(dialect, 'delivery-cors-b', { share: w.t, syncIntervalMs: 100, env: { GATEHOUSE_DELIVERY_ORIGIN: ORIGIN } });
      try {
        const { entry } = await w.entryWith([]);
        const onB = async () => (await overSocket(b, w.playUrl(entry.id), 'GET', { origin: EVIL })).headers['access-control-allow-origin'];
        expect(await onB()).toBe('*');
        await setOrigins([LMS]);
        const started = Date.now();
        while ((await onB()) !== undefined) {
          if (Date.now() - started > 3000) throw new Error('node B still lets any origin read');
          await new Promise((r) => setTimeout(r, 20));
        }
        expect((await overSocket(b, w.playUrl(entry.id), 'GET', { origin: LMS })).headers['access-control-allow-origin']).toBe(LMS);
      } finally {
        await setOrigins([]);
        await b.close();
      }
    });

    it('forward-auth answers carry no CORS headers', async () => {
      const { entry } = await w.entryWith([]);
      const r = await request(w.t, '/authz/delivery', { headers: { origin: EVIL, 'x-original-uri': w.playUrl(entry.id) } });
      expect(r.status).toBe(200);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
      const refused = await request(w.t, '/authz/delivery', { headers: { origin: EVIL, 'x-original-uri': w.playUrl('0_nosuch00') } });
      expect(refused.status).toBe(403);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
}

describe('delivery CORS without a delivery origin', () => {
  let t: TestGatehouse;
  beforeAll(async () => {
    t = await startGatehouse('sqlite', 'delivery-cors-no-origin', { env: { GATEHOUSE_DELIVERY_ORIGIN: '' } });
  });
  afterAll(() => t?.close());

  it('the 503 is readable by any origin, with its Retry-After exposed', async () => {
    const r = await overSocket(t, '/p/100/sp/10000/playManifest/entryId/0_abc/a.m3u8', 'GET', { origin: EVIL });
    expect(r.status).toBe(503);
    expectAnyOrigin(r);
    expect(r.headers['retry-after']).toBe('3600');
    expect(r.headers['x-gatehouse-reason']).toBe('unavailable');
  });
});
