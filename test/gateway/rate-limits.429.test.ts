/**
 * A service's rate limits (Kong's rate-limiting windows, set through /api/services): at
 * /authz/api every grant carries Kong's `X-RateLimit-Limit-<Window>` / `X-RateLimit-Remaining-<Window>`
 * and `RateLimit-*` headers; the request after a window is used up is 429
 * `{"message":"API rate limit exceeded"}` with `Retry-After` until that window reopens, on the
 * clock (fake here). Counted by credential, by client address, and for a public service by
 * address; the limits follow the service when it changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';
import { authz, createConsumer, createService, expectKong, grant, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`service rate limits → 429 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-rate-limits');
      // The top of an hour, so every window's arithmetic below is exact.
      t.clock.set(Math.ceil(t.clock.nowMs() / 3_600_000) * 3_600_000);
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('minute and hour windows per credential: headers on each grant, 429 with Retry-After, reopening on the clock', async () => {
      await createService(t, token, { name: 'Limited', routePrefix: '/limited', allowedGroups: ['apps'], rateLimits: { minute: 3, hour: 5, limitBy: 'credential' } });
      const a = await createConsumer(t, token, 'limited-a');
      const b = await createConsumer(t, token, 'limited-b');
      for (const u of ['limited-a', 'limited-b']) await grant(t, token, u, ['apps']);
      const ja = sunbirdToken(a.key, a.secret);
      t.clock.advance(20);
      for (let i = 2; i >= 0; i--) {
        const ok = await authz(t, { uri: '/limited/x', token: ja });
        expect(ok.status).toBe(200);
        expect(ok.headers.get('x-ratelimit-limit-minute')).toBe('3');
        expect(ok.headers.get('x-ratelimit-remaining-minute')).toBe(String(i));
        expect(ok.headers.get('x-ratelimit-limit-hour')).toBe('5');
        expect(ok.headers.get('x-ratelimit-remaining-hour')).toBe(String(i + 2));
        // The window with the fewest left: the minute; it resets in 40 s.
        expect([ok.headers.get('ratelimit-limit'), ok.headers.get('ratelimit-remaining'), ok.headers.get('ratelimit-reset')]).toEqual(['3', String(i), '40']);
        expect(ok.headers.get('x-ratelimit-limit-second')).toBeNull();
      }
      const limited = await authz(t, { uri: '/limited/x', token: ja });
      expectKong(limited, 429, 'API rate limit exceeded');
      expect(limited.headers.get('retry-after')).toBe('40');
      expect(limited.headers.get('x-ratelimit-remaining-minute')).toBe('0');
      // Refused requests are not counted: the hour still has 2 left.
      expect(limited.headers.get('x-ratelimit-remaining-hour')).toBe('2');
      expect(limited.headers.get('x-gatehouse-reason')).toBe('rate_limited');
      // Another credential has its own count.
      expect((await authz(t, { uri: '/limited/x', token: sunbirdToken(b.key, b.secret) })).status).toBe(200);

      // The next minute: two more, then the hour is used up and Retry-After runs to the hour's end.
      t.clock.advance(40);
      expect((await authz(t, { uri: '/limited/x', token: ja })).status).toBe(200);
      const last = await authz(t, { uri: '/limited/x', token: ja });
      expect(last.status).toBe(200);
      expect(last.headers.get('x-ratelimit-remaining-hour')).toBe('0');
      const hour = await authz(t, { uri: '/limited/x', token: ja });
      expectKong(hour, 429, 'API rate limit exceeded');
      expect(hour.headers.get('retry-after')).toBe(String(3600 - 60));
      expect(hour.headers.get('x-ratelimit-remaining-minute')).toBe('1');
      t.clock.advance(3600 - 60);
      expect((await authz(t, { uri: '/limited/x', token: ja })).status).toBe(200);
    });

    it('limitBy ip: different consumers from one address share the count; a PATCH lifts the limit', async () => {
      token = await adminToken(t, p);
      const id = await createService(t, token, { name: 'By address', routePrefix: '/by-ip', allowedGroups: ['apps'], rateLimits: { second: 2, limitBy: 'ip' } });
      const c = await createConsumer(t, token, 'ip-c');
      const d = await createConsumer(t, token, 'ip-d');
      for (const u of ['ip-c', 'ip-d']) await grant(t, token, u, ['apps']);
      const [jc, jd] = [sunbirdToken(c.key, c.secret), sunbirdToken(d.key, d.secret)];
      t.clock.advance((1000 - (t.clock.nowMs() % 1000)) / 1000);
      expect((await authz(t, { uri: '/by-ip/x', token: jc })).status).toBe(200);
      expect((await authz(t, { uri: '/by-ip/x', token: jd })).status).toBe(200);
      const limited = await authz(t, { uri: '/by-ip/x', token: jc });
      expectKong(limited, 429, 'API rate limit exceeded');
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(limited.headers.get('x-ratelimit-limit-second')).toBe('2');
      t.clock.advance(1);
      expect((await authz(t, { uri: '/by-ip/x', token: jd })).status).toBe(200);

      const patched = await api(t, 'PATCH', `/api/services/${id}`, { token, body: { rateLimits: null } });
      expect(patched.status, patched.text).toBe(200);
      expect(patched.json.data.rateLimits).toBeNull();
      // Applied on this node before the PATCH was answered (other nodes learn it from the change feed).
      for (let i = 0; i < 4; i++) {
        const r = await authz(t, { uri: '/by-ip/x', token: jc });
        expect(r.status).toBe(200);
        expect(r.headers.get('x-ratelimit-limit-second')).toBeNull();
      }
    });

    it('a public service is limited by client address, without a credential', async () => {
      token = await adminToken(t, p);
      await createService(t, token, { name: 'Open', routePrefix: '/open', access: 'public', rateLimits: { minute: 2, limitBy: 'consumer' } });
      t.clock.advance((60_000 - (t.clock.nowMs() % 60_000)) / 1000);
      const pin = { 'x-gatehouse-partner': String(p.id) };
      // The node that answered the write applies it before answering: no wait for the change feed.
      const first = await authz(t, { uri: '/open/x', headers: pin });
      expect(first.status, first.text).toBe(200);
      expect(first.headers.get('x-anonymous-consumer')).toBe('true');
      expect(first.headers.get('x-ratelimit-remaining-minute')).toBe('1');
      expect((await authz(t, { uri: '/open/x', headers: pin })).status).toBe(200);
      const limited = await authz(t, { uri: '/open/x', headers: pin });
      expectKong(limited, 429, 'API rate limit exceeded');
      expect(limited.headers.get('retry-after')).toBe('60');
    });

    it('bad rateLimits are a 400 problem naming the field', async () => {
      token = await adminToken(t, p);
      for (const rateLimits of [{ limitBy: 'credential' }, { minute: 0, limitBy: 'credential' }, { minute: 5, limitBy: 'route' }, { minute: 1.5, limitBy: 'ip' }, { month: 5, limitBy: 'ip' }]) {
        const r = await api(t, 'POST', '/api/services', { token, body: { name: 'Bad', routePrefix: '/bad', rateLimits } });
        expect(r.status, JSON.stringify(rateLimits)).toBe(400);
        expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      }
    });
  });
}
