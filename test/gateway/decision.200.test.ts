/**
 * `/authz/api` → 200 with Kong's identity headers, for a consumer JWT and an API key, from each
 * proxy's way of asking (nginx X-Original-*, Traefik X-Forwarded-*, Envoy's path prefix), with the
 * longest matching service prefix and paths normalised before matching.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, createKey } from '../support/rest.js';
import { authz, createConsumer, createService, grant, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`gateway 200 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    let jwt: string;
    let key: string;
    let consumerKey: string;
    const services: Record<string, string> = {};
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-200');
      p = await registerPartner(t);
      token = await adminToken(t, p);
      services.content = await createService(t, token, { name: 'Content', routePrefix: '/content/v1', allowedGroups: ['contentUser'] });
      services.admin = await createService(t, token, { name: 'Content admin', routePrefix: '/content/v1/admin', allowedGroups: ['contentAdmin'] });
      const c = await createConsumer(t, token, 'mobile_device');
      consumerKey = c.key;
      await grant(t, token, 'mobile_device', ['contentUser', 'userAccess']);
      jwt = sunbirdToken(c.key, c.secret);
      key = await createKey(t, token);
    });
    afterAll(() => t?.close());

    it('a consumer JWT: consumer id, username, credential key, groups', async () => {
      const r = await authz(t, { uri: '/content/v1/read/do_1?mode=edit', method: 'POST', token: jwt });
      expect(r.status).toBe(200);
      expect(r.text).toBe('');
      const consumerId = (await t.store.db.selectFrom('consumers').select('id').where('username', '=', 'mobile_device').executeTakeFirstOrThrow()).id;
      expect(Object.fromEntries([...r.headers].filter(([h]) => h.startsWith('x-')))).toEqual({
        'x-consumer-id': consumerId,
        'x-consumer-username': 'mobile_device',
        'x-credential-identifier': consumerKey,
        'x-consumer-groups': 'contentUser, userAccess',
        'x-gatehouse-partner-id': String(p.id),
        'x-gatehouse-service-id': services.content,
      });
      expect(r.headers.get('cache-control')).toBe('no-store');
    });

    it('an API key (header or ?key= in the original URI): the key id as consumer and credential', async () => {
      const id = (await api(t, 'GET', '/api/auth/api-keys', { token })).json.data.find((k: { start: string }) => k.start === key.slice(0, 9)).id;
      for (const r of [await authz(t, { uri: '/content/v1/x', key }), await authz(t, { uri: `/content/v1/x?key=${key}` })]) {
        expect(r.status).toBe(200);
        expect(r.headers.get('x-consumer-id')).toBe(id);
        expect(r.headers.get('x-consumer-username')).toBe(`apikey:${id}`);
        expect(r.headers.get('x-credential-identifier')).toBe(id);
        expect(r.headers.get('x-consumer-groups')).toBe('');
      }
    });

    it('the longest prefix decides, after normalising the path', async () => {
      // contentUser may use /content/v1 but not its /admin sub-service.
      expect((await authz(t, { uri: '/content/v1/admin/purge', token: jwt })).status).toBe(403);
      expect((await authz(t, { uri: '/content/v1/public/../admin/purge', token: jwt })).status).toBe(403);
      expect((await authz(t, { uri: '/content/v1/%61dmin/purge', token: jwt })).status).toBe(403);
      expect((await authz(t, { uri: '//content//v1//admin', token: jwt })).status).toBe(403);
      expect((await authz(t, { uri: '/content/v1/administrators', token: jwt })).headers.get('x-gatehouse-service-id')).toBe(services.content);
    });

    it('Traefik (X-Forwarded-*) and Envoy (path after /authz/api) ask the same question', async () => {
      const traefik = await api(t, 'GET', '/authz/api', { token: jwt, headers: { 'x-forwarded-method': 'DELETE', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.org', 'x-forwarded-uri': '/content/v1/x' } });
      expect(traefik.status).toBe(200);
      const envoy = await api(t, 'PUT', '/authz/api/content/v1/x?y=1', { token: jwt, raw: '{"ignored":true}' });
      expect(envoy.status).toBe(200);
      expect(envoy.headers.get('x-gatehouse-service-id')).toBe(services.content);
      const head = await fetch(`${t.url}/authz/api`, { method: 'HEAD', headers: { authorization: `Bearer ${jwt}`, 'x-original-uri': '/content/v1/x' } });
      expect(head.status).toBe(200);
      // Sources that agree are fine (nginx in front of Traefik).
      expect((await api(t, 'GET', '/authz/api', { token: jwt, headers: { 'x-original-uri': '/content/v1/x', 'x-forwarded-uri': '/content/v1/x' } })).status).toBe(200);
    });

    it('other Authorization schemes are not ours: an API key beside Basic auth still counts', async () => {
      const r = await authz(t, { uri: '/content/v1/x', key, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expect(r.status).toBe(200);
    });
  });
}
