/** /api/services: the protected upstream APIs, per partner, with UUID ids and unique prefixes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, createKey, expectProblem } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/services [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-services');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('create, read, list, change and delete', async () => {
      const body = { name: 'Content API', routePrefix: '/content/v1', allowedGroups: ['contentAdmin', 'contentCreate', 'contentAdmin'], requiredPermissions: ['01968c91-8789-7724-b62d-946b118ce9d6'] };
      const created = await api(t, 'POST', '/api/services', { token, body });
      expect(created.status).toBe(201);
      const s = created.json.data;
      expect(s).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
        name: 'Content API',
        routePrefix: '/content/v1',
        allowedGroups: ['contentAdmin', 'contentCreate'],
        requiredPermissions: expect.arrayContaining(['CONTENT_MANAGE_BASE', 'CUSTOM_DATA_FIELD_ADD']),
        access: 'groups',
        deniedGroups: [],
        methods: [],
        rateLimits: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect((await api(t, 'GET', `/api/services/${s.id}`, { token })).json.data).toEqual(s);
      await api(t, 'POST', '/api/services', { token, body: { name: 'Auth API', routePrefix: '/auth' } });
      const list = await api(t, 'GET', '/api/services', { token, query: { pageSize: '1' } });
      expect(list.json).toMatchObject({ totalCount: 2, data: [{ name: 'Auth API', allowedGroups: [], requiredPermissions: [] }] });

      t.clock.advance(5);
      const patched = await api(t, 'PATCH', `/api/services/${s.id}`, { token, body: { routePrefix: '/content/v2', allowedGroups: [] } });
      expect(patched.status).toBe(200);
      expect(patched.json.data).toMatchObject({ id: s.id, name: 'Content API', routePrefix: '/content/v2', allowedGroups: [] });
      expect(patched.json.data.updatedAt).not.toBe(s.updatedAt);

      expect((await api(t, 'DELETE', `/api/services/${s.id}`, { token })).status).toBe(204);
      expectProblem(await api(t, 'GET', `/api/services/${s.id}`, { token }), 404, 'API_SERVICE_NOT_FOUND');
      expectProblem(await api(t, 'DELETE', `/api/services/${s.id}`, { token }), 404, 'API_SERVICE_NOT_FOUND');

      const audit = await t.store.db.selectFrom('audit_log').select('action').where('target', '=', s.id).execute();
      expect(audit.map((r) => r.action)).toEqual(['apiService.add', 'apiService.update', 'apiService.delete']);
      const changes = await t.store.db.selectFrom('change_log').selectAll().where('topic', '=', 'apiService').execute();
      expect(changes.length).toBe(4);
      expect(changes.every((c) => c.key === String(p.id))).toBe(true);
    });

    it('names and route prefixes are unique per partner (409), not across partners', async () => {
      await api(t, 'POST', '/api/services', { token, body: { name: 'Search', routePrefix: '/search' } });
      const dupPrefix = await api(t, 'POST', '/api/services', { token, body: { name: 'Search 2', routePrefix: '/search' } });
      expectProblem(dupPrefix, 409, 'API_SERVICE_ALREADY_EXISTS');
      expect(dupPrefix.json.detail).toContain('routePrefix');
      const dupName = await api(t, 'POST', '/api/services', { token, body: { name: 'Search', routePrefix: '/search2' } });
      expectProblem(dupName, 409, 'API_SERVICE_ALREADY_EXISTS');
      expect(dupName.json.detail).toContain('name');
      const other = await api(t, 'POST', '/api/services', { token: await adminToken(t, await registerPartner(t, 'Other')), body: { name: 'Search', routePrefix: '/search' } });
      expect(other.status).toBe(201);
      const mine = (await api(t, 'GET', '/api/services', { token })).json.data.find((x: { name: string }) => x.name === 'Search');
      expectProblem(await api(t, 'PATCH', `/api/services/${other.json.data.id}`, { token, body: { name: 'x' } }), 404, 'API_SERVICE_NOT_FOUND');
      await api(t, 'POST', '/api/services', { token, body: { name: 'Other', routePrefix: '/other' } });
      expectProblem(await api(t, 'PATCH', `/api/services/${mine.id}`, { token, body: { routePrefix: '/other' } }), 409, 'API_SERVICE_ALREADY_EXISTS');
      // Two spellings of one path are one prefix: stored in one canonical form, so a duplicate is caught.
      expectProblem(await api(t, 'POST', '/api/services', { token, body: { name: 'Alias', routePrefix: '/%73earch' } }), 409, 'API_SERVICE_ALREADY_EXISTS');
      const cafe = await api(t, 'POST', '/api/services', { token, body: { name: 'Cafe', routePrefix: '/caf%c3%a9/m%65nu' } });
      expect(cafe.json.data.routePrefix).toBe('/caf%C3%A9/menu');
      expectProblem(await api(t, 'POST', '/api/services', { token, body: { name: 'Cafe 2', routePrefix: '/café/menu' } }), 409, 'API_SERVICE_ALREADY_EXISTS');
    });

    it('input is validated: 400, never 5xx', async () => {
      const bad = async (body: unknown, code: string) => expectProblem(await api(t, 'POST', '/api/services', { token, body }), 400, code);
      await bad({ name: 'x', routePrefix: 'no-slash' }, 'INVALID_REQUEST');
      await bad({ name: 'x', routePrefix: '/a b' }, 'PROPERTY_VALIDATION_WRONG_FORMAT');
      await bad({ name: 'x', routePrefix: '/a/../b' }, 'PROPERTY_VALIDATION_WRONG_FORMAT');
      await bad({ name: 'x', routePrefix: '/a?b=1' }, 'PROPERTY_VALIDATION_WRONG_FORMAT');
      // Encoded, these are still a '/', a dot segment, a query, a space, or no valid escape at all.
      for (const routePrefix of ['/a%2Fb', '/a/%2e%2e/b', '/a%3Fb', '/a%20b', '/a%zz', '/a%C3']) await bad({ name: 'x', routePrefix }, 'PROPERTY_VALIDATION_WRONG_FORMAT');
      await bad({ name: '   ', routePrefix: '/spaces' }, 'PROPERTY_VALIDATION_CANNOT_BE_NULL');
      await bad({ name: 'x', routePrefix: '/x', requiredPermissions: ['NOPE'] }, 'PERMISSION_NOT_FOUND');
      await bad({ name: 'x', routePrefix: '/x', allowedGroups: ['has space'] }, 'INVALID_REQUEST');
      await bad({ name: 'x', routePrefix: '/x', id: '00000000-0000-4000-8000-000000000000' }, 'INVALID_REQUEST');
      await bad({ routePrefix: '/x' }, 'INVALID_REQUEST');
      expectProblem(await api(t, 'GET', '/api/services/not-a-uuid', { token }), 400, 'INVALID_REQUEST');
    });

    it('guarded by SERVICE_MANAGE, for tokens and keys alike', async () => {
      expectProblem(await api(t, 'GET', '/api/services'), 401, 'AUTHENTICATION_REQUIRED');
      expectProblem(await api(t, 'GET', '/api/services', { key: await createKey(t, token) }), 403, 'PERMISSION_REQUIRED');
      expect((await api(t, 'GET', '/api/services', { key: await createKey(t, token, { permissions: ['SERVICE_MANAGE'] }) })).status).toBe(200);
    });
  });
}
