/**
 * `/authz/api` → 400 when the proxy's question cannot be read: no original request, headers that
 * disagree (a client adding the other proxy flavour's header must not change the question),
 * repeated headers, paths that stay ambiguous after normalisation, a bad method.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { getWithRepeatedHeader } from '../support/repeated-header.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, api, createKey } from '../support/rest.js';
import { authz, createService, expectKong } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`gateway 400 [${dialect}]`, () => {
    let t: TestGatehouse;
    let key: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-400');
      const token = await adminToken(t, await registerPartner(t));
      await createService(t, token, { name: 'Public', routePrefix: '/public' });
      key = await createKey(t, token);
    });
    afterAll(() => t?.close());

    it('no original request at all', async () => {
      expectKong(await api(t, 'GET', '/authz/api', { key }), 400);
    });

    it('sources that disagree are refused, not chosen between', async () => {
      expectKong(await api(t, 'GET', '/authz/api', { key, headers: { 'x-original-uri': '/public/x', 'x-forwarded-uri': '/admin/x' } }), 400, 'Bad request: the original-request headers disagree');
      expectKong(await api(t, 'GET', '/authz/api/admin/x', { key, headers: { 'x-original-uri': '/public/x' } }), 400);
      expectKong(await api(t, 'GET', '/authz/api', { key, headers: { 'x-original-uri': '/public/x?a=1', 'x-forwarded-uri': '/public/x?a=2' } }), 400);
      expectKong(await authz(t, { uri: '/public/x', key, headers: { 'x-forwarded-method': 'DELETE' } }), 400, 'Bad request: the original-method headers disagree');
    });

    it('a header sent twice (Node would join the values into one path)', async () => {
      const { status } = await getWithRepeatedHeader(`${t.url}/authz/api`, 'x-original-uri', ['/public/x', '/admin/y'], { 'x-api-key': key });
      expect(status).toBe(400);
      // A single value that merely contains ", " is one path.
      expect((await authz(t, { uri: '/public/a, b', key })).status).toBe(200);
    });

    it('ambiguous paths and malformed headers', async () => {
      for (const uri of ['/public%2F..%2Fadmin', '/public\\..\\admin', '/public/%zz', 'public/x']) expectKong(await authz(t, { uri, key }), 400);
      expectKong(await authz(t, { uri: '/public/x', method: 'GE T', key }), 400, 'Bad request: x-original-method is not an HTTP method');
      // A malformed escape in an Envoy-style path: refused by the door's own decoding on a real
      // socket, and (through inject, where Fastify's router sees it first) before routing; the
      // same shape both ways, without echoing the URL.
      const bad = await api(t, 'GET', `/authz/api/public/%zz?key=${key}`);
      expectKong(bad, 400, 'Bad request: malformed percent-encoding');
      expect(bad.text).not.toContain(key);
      const routed = await t.gh.app.inject({ method: 'GET', url: `/authz/api/public/%zz?key=${key}` });
      expect(routed.statusCode).toBe(400);
      expect(routed.json()).toEqual({ message: 'Bad request: the request URL is not valid (bad percent-encoding)' });
      expect(routed.body).not.toContain(key);
    });
  });
}
