/** Every REST error is RFC 9457 problem+json with a catalogue code; malformed requests never get a 5xx. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, api, expectProblem } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`problem+json [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-problem', { env: { GATEHOUSE_BODY_LIMIT: '2048' } });
      token = await adminToken(t, await registerPartner(t));
    });
    afterAll(() => t?.close());

    it('has exactly type, title, status, detail and code', async () => {
      const r = await api(t, 'GET', '/api/users');
      expect(r.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(r.json).toEqual({
        type: 'urn:gatehouse:error:AUTHENTICATION_REQUIRED',
        title: 'Unauthorized',
        status: 401,
        detail: expect.stringContaining('Authentication required'),
        code: 'AUTHENTICATION_REQUIRED',
      });
    });

    it('unknown routes and methods → 404 without echoing the query', async () => {
      const r = await api(t, 'GET', '/api/nothing-here', { query: { key: 'gh_secret' } });
      expectProblem(r, 404, 'ROUTE_NOT_FOUND');
      expect(r.json.detail).toBe('No route GET /api/nothing-here');
      expectProblem(await api(t, 'PUT', '/api/users'), 404, 'ROUTE_NOT_FOUND');
    });

    it('unreadable bodies: malformed JSON, wrong content type, too large, empty — 4xx, never echoed', async () => {
      const broken = await api(t, 'POST', '/api/auth/access-token', { raw: '{"username":"a","password":"hunter2-secret"', contentType: 'application/json' });
      expectProblem(broken, 400, 'INVALID_REQUEST');
      expect(broken.text).not.toContain('hunter2-secret');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { raw: 'username=a&password=b', contentType: 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { raw: JSON.stringify({ username: 'a', password: 'x'.repeat(4000) }) }), 413, 'REQUEST_TOO_LARGE');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { raw: '', contentType: 'application/json' }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { raw: '[]' }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { raw: 'null' }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/users', { token, raw: '{"id":"x","__proto__":{"isAdmin":true}}' }), 400, 'INVALID_REQUEST');
    });

    it('a broken %-escape in the path is a problem too', async () => {
      const res = await fetch(`${t.url}/api/users/%E0%A4%A`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(((await res.json()) as { code: string }).code).toBe('INVALID_REQUEST');
    });

    it('conflicts and not-found carry their own statuses', async () => {
      expectProblem(await api(t, 'GET', '/api/users/nobody', { token }), 404, 'INVALID_USER_ID');
      await api(t, 'POST', '/api/services', { token, body: { name: 'a', routePrefix: '/a' } });
      expectProblem(await api(t, 'POST', '/api/services', { token, body: { name: 'a', routePrefix: '/b' } }), 409, 'API_SERVICE_ALREADY_EXISTS');
    });
  });
}
