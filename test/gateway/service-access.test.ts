/**
 * A service's access beyond shared groups (issue 19, what Kong configurations need): 'public'
 * (no credential, at a location pinned to the partner), 'authenticated' (any consumer, Kong's jwt
 * without acl), acl `deny` groups, and route `methods`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, createKey } from '../support/rest.js';
import { authz, createConsumer, createService, expectKong, grant, sunbirdToken } from '../support/consumer.js';

const DENIED = 'You cannot consume this service';

for (const dialect of DIALECTS) {
  describe(`gateway service access [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    let jwt: string;
    let pin: Record<string, string>;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-access');
      p = await registerPartner(t);
      token = await adminToken(t, p);
      pin = { 'x-gatehouse-partner': String(p.id) };
      await createService(t, token, { name: 'Read', routePrefix: '/content/v1/read', access: 'public' });
      await createService(t, token, { name: 'Any', routePrefix: '/any', access: 'authenticated', deniedGroups: ['banned'] });
      await createService(t, token, { name: 'Denied', routePrefix: '/deny', access: 'groups', allowedGroups: ['contentUser'], deniedGroups: ['banned'] });
      await createService(t, token, { name: 'Posts', routePrefix: '/posts', allowedGroups: ['contentUser'], methods: ['post'] });
      const c = await createConsumer(t, token, 'portal');
      await grant(t, token, 'portal', ['contentUser']);
      jwt = sunbirdToken(c.key, c.secret);
    });
    afterAll(() => t?.close());

    it('the service answers with its access, methods and rate limits', async () => {
      const r = await api(t, 'GET', '/api/services', { token });
      const posts = r.json.data.find((s: { name: string }) => s.name === 'Posts');
      expect(posts).toMatchObject({ access: 'groups', methods: ['POST'], deniedGroups: [], rateLimits: null });
      const bad = await api(t, 'POST', '/api/services', { token, body: { name: 'x', routePrefix: '/x', access: 'everyone' } });
      expect(bad.status).toBe(400);
    });

    it('public: no credential passes at a pinned location, marked anonymous; unpinned it is 401', async () => {
      const open = await authz(t, { uri: '/content/v1/read/do_1', headers: pin });
      expect(open.status).toBe(200);
      expect(open.headers.get('x-anonymous-consumer')).toBe('true');
      expect(open.headers.get('x-consumer-username')).toBeNull();
      expectKong(await authz(t, { uri: '/content/v1/read/do_1' }), 401, 'Unauthorized');
      // Another partner's pin, or a path no public service covers: as without a credential.
      expectKong(await authz(t, { uri: '/content/v1/read/do_1', headers: { 'x-gatehouse-partner': String(p.id + 1) } }), 401, 'Unauthorized');
      expectKong(await authz(t, { uri: '/any/x', headers: pin }), 401, 'Unauthorized');
      // With a credential the consumer is identified (and checked) as anywhere else.
      const withToken = await authz(t, { uri: '/content/v1/read/do_1', token: jwt });
      expect([withToken.status, withToken.headers.get('x-consumer-username')]).toEqual([200, 'portal']);
      expect((await authz(t, { uri: '/content/v1/read/do_1', key: await createKey(t, token) })).status).toBe(200);
    });

    it('authenticated admits every consumer not denied; deny refuses a holder of a denied group', async () => {
      expect((await authz(t, { uri: '/any/x', token: jwt })).status).toBe(200);
      expect((await authz(t, { uri: '/deny/x', token: jwt })).status).toBe(200);
      await grant(t, token, 'portal', ['contentUser', 'banned']);
      expectKong(await authz(t, { uri: '/any/x', token: jwt }), 403, DENIED);
      expectKong(await authz(t, { uri: '/deny/x', token: jwt }), 403, DENIED);
      await grant(t, token, 'portal', ['contentUser']);
    });

    it('methods: a service answers only its methods', async () => {
      expect((await authz(t, { uri: '/posts/1', method: 'POST', token: jwt })).status).toBe(200);
      expectKong(await authz(t, { uri: '/posts/1', method: 'GET', token: jwt }), 403, 'No service matches this request');
    });
  });
}
