/**
 * Per-credential rate limit (GATEHOUSE_GATEWAY_RATE_LIMIT per minute, a partner's
 * `gatewayRateLimit` replacing it) → 429 `{"message": "API rate limit exceeded"}` with
 * `Retry-After` in seconds until the window reopens; each credential has its own count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, createKey } from '../support/rest.js';
import { authz, createConsumer, createService, expectKong, grant, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`gateway 429 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-429', { env: { GATEHOUSE_GATEWAY_RATE_LIMIT: '3' } });
      // Start at the top of a minute, so the window arithmetic below is exact.
      t.clock.set(Math.ceil(t.clock.nowMs() / 60_000) * 60_000);
      p = await registerPartner(t);
      token = await adminToken(t, p);
      await createService(t, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
    });
    afterAll(() => t?.close());

    it('the fourth request in a minute is refused until the next minute, per credential', async () => {
      const a = await createConsumer(t, token, 'a');
      const b = await createConsumer(t, token, 'b');
      for (const u of ['a', 'b']) await grant(t, token, u, ['apps']);
      const ja = sunbirdToken(a.key, a.secret);
      t.clock.advance(15);
      for (let i = 2; i >= 0; i--) {
        const ok = await authz(t, { uri: '/api/x', token: ja });
        expect(ok.status).toBe(200);
        expect(ok.headers.get('ratelimit-limit')).toBe('3');
        expect(ok.headers.get('ratelimit-remaining')).toBe(String(i));
      }
      const limited = await authz(t, { uri: '/api/x', token: ja });
      expectKong(limited, 429, 'API rate limit exceeded');
      expect(limited.headers.get('retry-after')).toBe('45');
      // Another credential of the same partner has its own budget.
      expect((await authz(t, { uri: '/api/x', token: sunbirdToken(b.key, b.secret) })).status).toBe(200);
      // The window reopens on the minute.
      t.clock.advance(44);
      expect((await authz(t, { uri: '/api/x', token: ja })).headers.get('retry-after')).toBe('1');
      t.clock.advance(1);
      expect((await authz(t, { uri: '/api/x', token: ja })).status).toBe(200);
    });

    it('API keys are limited per key; a partner setting replaces the installation limit', async () => {
      const k = await createKey(t, token);
      for (let i = 0; i < 3; i++) expect((await authz(t, { uri: '/api/x', key: k })).status).toBe(200);
      expect((await authz(t, { uri: '/api/x', key: k })).status).toBe(429);
      await t.store.db.updateTable('partners').set({ settings: JSON.stringify({ gatewayRateLimit: 0 }) }).where('id', '=', p.id).execute();
      await t.gh.directory.changed('partner', String(p.id));
      for (let i = 0; i < 5; i++) {
        const r = await authz(t, { uri: '/api/x', key: k });
        expect(r.status).toBe(200);
        expect(r.headers.get('ratelimit-limit')).toBeNull();
      }
    });
  });
}
