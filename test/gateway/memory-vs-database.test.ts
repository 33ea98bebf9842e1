/**
 * `/authz/api` has two ways to its answer, in one implementation: at once from memory
 * (GatewayService.decide returns the decision itself when the credential was verified before and
 * it, its partner and the route table are cached) or after the caches' loads (it returns a
 * promise). Over a real socket, ahead of Fastify (raw-routes.ts), a fresh
 * credential's first request takes the second way and the next one the first; both must answer
 * the same, for grants and refusals alike.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayService } from '../../src/services/gateway/gateway-service.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, createKey } from '../support/rest.js';
import { authz, createConsumer, createService, grant, sunbirdToken, type AuthzCall } from '../support/consumer.js';

interface Seen {
  status: number;
  body: string;
  headers: Record<string, string>;
}

for (const dialect of DIALECTS) {
  describe(`gateway decisions from memory and through the caches agree [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-memory-vs-db', { env: { GATEHOUSE_GATEWAY_RATE_LIMIT: '3' } });
      p = await registerPartner(t);
      token = await adminToken(t, p);
      await createService(t, token, { name: 'Content', routePrefix: '/content/v1', allowedGroups: ['contentUser'] });
      await createService(t, token, { name: 'Admin', routePrefix: '/admin', allowedGroups: ['contentAdmin'] });
    });
    afterAll(() => t?.close());

    async function ask(c: AuthzCall): Promise<Seen> {
      const r = await authz(t, c);
      const headers = Object.fromEntries([...r.headers].filter(([h]) => h.startsWith('x-') || h.startsWith('ratelimit') || h === 'www-authenticate' || h === 'retry-after'));
      return { status: r.status, body: r.text, headers };
    }

    /** Asks `n` times; the answers and, per answer, whether it needed the awaited path. */
    async function asks(c: AuthzCall, n: number): Promise<{ seen: Seen[]; slow: number[] }> {
      // Take in the change feed's echo of the set-up writes first (it drops cache entries).
      await t.gh.sync.tick();
      const spy = vi.spyOn(GatewayService.prototype, 'decide');
      try {
        const seen: Seen[] = [];
        const slow: number[] = [];
        for (let i = 0; i < n; i++) {
          // A decision that had to wait is a promise; one answered from memory is not.
          const waited = () => spy.mock.results.filter((r) => r.type === 'return' && r.value instanceof Promise).length;
          const before = waited();
          seen.push(await ask(c));
          slow.push(waited() - before);
        }
        return { seen, slow };
      } finally {
        spy.mockRestore();
      }
    }

    it('a consumer JWT: granted the same twice, the second time from memory', async () => {
      const c = await createConsumer(t, token, 'memory_jwt');
      await grant(t, token, 'memory_jwt', ['contentUser']);
      const { seen, slow } = await asks({ uri: '/content/v1/a', token: sunbirdToken(c.key, c.secret) }, 2);
      expect(seen[0]!.status).toBe(200);
      expect({ ...seen[1]!.headers, 'ratelimit-remaining': '' }).toEqual({ ...seen[0]!.headers, 'ratelimit-remaining': '' });
      expect(seen.map((s) => s.headers['ratelimit-remaining'])).toEqual(['2', '1']);
      expect(slow).toEqual([1, 0]);
    });

    it('an API key: granted, then refused by the rate limit, from memory after the first', async () => {
      const key = await createKey(t, token);
      const { seen, slow } = await asks({ uri: '/content/v1/a', key }, 4);
      expect(seen.map((s) => s.status)).toEqual([200, 200, 200, 429]);
      expect(seen[3]!.headers['retry-after']).toMatch(/^\d+$/);
      expect(JSON.parse(seen[3]!.body)).toEqual({ message: 'API rate limit exceeded' });
      expect(slow).toEqual([1, 0, 0, 0]);
    });

    it('refusals agree: a group the consumer lacks (403), a path no service has (403)', async () => {
      const c = await createConsumer(t, token, 'memory_refused');
      await grant(t, token, 'memory_refused', ['contentUser']);
      const jwt = sunbirdToken(c.key, c.secret);
      // The first refusal verifies the token; the second path is decided from memory throughout.
      for (const [uri, expected] of [['/admin/users', [1, 0]], ['/nowhere', [0, 0]]] as const) {
        const { seen, slow } = await asks({ uri, token: jwt }, 2);
        expect(seen[1]).toEqual(seen[0]);
        expect(seen[0]!.status).toBe(403);
        expect(slow).toEqual(expected);
      }
    });

    it('a token signed with the wrong secret is never remembered: both times verified, same 401', async () => {
      const c = await createConsumer(t, token, 'memory_forged');
      const { seen, slow } = await asks({ uri: '/content/v1/a', token: sunbirdToken(c.key, 'not the secret') }, 2);
      expect(seen[1]).toEqual(seen[0]);
      expect(seen[0]!.status).toBe(401);
      expect(slow).toEqual([1, 1]);
    });

    it('a pinned location refuses another partner’s credential the same way from memory', async () => {
      const c = await createConsumer(t, token, 'memory_pinned');
      await grant(t, token, 'memory_pinned', ['contentUser']);
      const jwt = sunbirdToken(c.key, c.secret);
      await t.gh.sync.tick();
      await ask({ uri: '/content/v1/a', token: jwt }); // verified and cached
      const { seen, slow } = await asks({ uri: '/content/v1/a', token: jwt, headers: { 'x-gatehouse-partner': String(p.id + 1) } }, 2);
      expect(seen[1]).toEqual(seen[0]);
      expect(seen[0]!.status).toBe(401);
      expect(slow).toEqual([0, 0]);
    });
  });
}
