/** OpenAPI generated from the route schemas: /docs/json and the UI at /docs; GET /api/permissions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { api } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`OpenAPI and the permission catalogue [${dialect}]`, () => {
    let t: TestGatehouse;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-openapi');
    });
    afterAll(() => t?.close());

    it('documents every REST route, its security and problem responses, and nothing else', async () => {
      const doc = (await api(t, 'GET', '/docs/json')).json;
      expect(doc.openapi).toMatch(/^3\.1/);
      expect(Object.keys(doc.paths).sort()).toEqual([
        '/.well-known/jwks.json',
        '/api/access-control-profiles',
        '/api/access-control-profiles/simulate',
        '/api/access-control-profiles/{id}',
        '/api/app-tokens',
        '/api/app-tokens/{id}',
        '/api/audit',
        '/api/auth/access-token',
        '/api/auth/api-key',
        '/api/auth/api-keys',
        '/api/auth/api-keys/{id}',
        '/api/auth/jwks.json',
        '/api/auth/sso/callback',
        '/api/auth/sso/providers',
        '/api/auth/sso/start',
        '/api/auth/sso/token',
        '/api/auth/switch-partner',
        '/api/categories',
        '/api/categories/{id}',
        '/api/categories/{id}/entries',
        '/api/categories/{id}/entries/{entryId}',
        '/api/categories/{id}/members',
        '/api/categories/{id}/members/{userId}',
        '/api/consumers',
        '/api/consumers/{username}',
        '/api/consumers/{username}/credentials',
        '/api/consumers/{username}/credentials/{key}/deprecate',
        '/api/consumers/{username}/groups',
        '/api/entries',
        '/api/entries/{id}',
        '/api/entries/{id}/categories',
        '/api/identity-providers',
        '/api/identity-providers/{id}',
        '/api/import/kong',
        '/api/me',
        '/api/me/password',
        '/api/me/password-policy',
        '/api/me/sign-ins',
        '/api/me/two-factor',
        '/api/me/two-factor/confirm',
        '/api/partners',
        '/api/partners/{id}',
        '/api/permissions',
        '/api/roles',
        '/api/roles/{id}',
        '/api/services',
        '/api/services/{id}',
        '/api/users',
        '/api/users/{id}',
        '/api/users/{id}/password',
        '/api/users/{id}/two-factor',
      ]);
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKeyHeader', 'apiKeyQuery', 'bearer']);
      const create = doc.paths['/api/auth/api-key'].post;
      expect(create.security).toEqual([{ bearer: [] }]);
      expect(create.requestBody.content['application/json'].schema).toMatchObject({ required: ['validTo'], additionalProperties: false });
      expect(create.responses['403'].content['application/problem+json'].schema.properties).toHaveProperty('code');
      // The key listing documents no secret fields.
      const meta = doc.paths['/api/auth/api-keys'].get.responses['200'].content['application/json'].schema.properties.data.items.properties;
      expect(Object.keys(meta)).not.toContain('hash');
      expect(JSON.stringify(doc)).not.toContain('api_v3');
    });

    it('serves the UI at /docs', async () => {
      const res = await fetch(`${t.url}/docs/`, { redirect: 'follow' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('swagger');
    });

    it('GET /api/permissions lists our names and Kala\'s two UUIDs mapped onto them', async () => {
      const r = await api(t, 'GET', '/api/permissions');
      expect(r.status).toBe(200);
      const byId = new Map(r.json.data.map((p: { id: string }) => [p.id, p]));
      expect(byId.get('01968c91-8789-7288-a337-f0e398711aac')).toEqual({
        id: '01968c91-8789-7288-a337-f0e398711aac',
        name: 'User Management',
        description: 'Create, read, update, and delete users.',
        includes: ['ADMIN_BASE', 'ADMIN_USER_ADD', 'ADMIN_USER_UPDATE', 'ADMIN_USER_DELETE'],
      });
      expect(byId.get('01968c91-8789-7724-b62d-946b118ce9d6')).toMatchObject({ name: 'Data Management', includes: expect.arrayContaining(['CONTENT_MANAGE_BASE', 'CUSTOM_DATA_FIELD_ADD']) });
      for (const name of ['API_KEY_MANAGE', 'SERVICE_MANAGE', 'CONSUMER_MANAGE', 'ADMIN_BASE']) expect(byId.get(name)).toMatchObject({ id: name, includes: [name] });
      // A partner feature is no role's to grant: not offered.
      expect(byId.has('FEATURE_ENTITLEMENT')).toBe(false);
    });
  });
}
