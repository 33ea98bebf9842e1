/**
 * /api/consumers: the consumer door's service as plain JSON. The same consumers and credentials
 * as /v1/consumer, secrets shown once, and what the console changes is what the gateway enforces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../support/console.js';
import { authz, createService, ecPair, expectEnvelope, expectKong, signAsym, sunbird, sunbirdToken } from '../support/consumer.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, expectProblem, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`/api/consumers [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-console-consumers');
      p = await registerPartner(t);
      token = await adminToken(t, p);
      await createService(t, token, { name: 'content', routePrefix: '/content', allowedGroups: ['readers'] });
    });
    afterAll(() => t?.close());

    it('create (secret once) → groups → the gateway admits the consumer; the Sunbird door sees the same consumer', async () => {
      const r = await api(t, 'POST', '/api/consumers', { token, body: { username: 'lms' } });
      expect(r.status).toBe(201);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.json.data).toEqual({ username: 'lms', key: expect.stringMatching(/^[0-9a-f]{32}$/), secret: expect.stringMatching(/^[0-9a-f]{32}$/) });
      const { key, secret } = r.json.data;
      const jwt = sunbirdToken(key, secret);
      expectKong(await authz(t, { uri: '/content/1', token: jwt }), 403);
      const g = await api(t, 'PUT', '/api/consumers/lms/groups', { token, body: { groups: ['readers'] } });
      expect(g.status).toBe(200);
      expect(g.json.data).toMatchObject({ username: 'lms', groups: ['readers'] });
      expect((await authz(t, { uri: '/content/1', token: jwt })).status).toBe(200);

      const one = await api(t, 'GET', '/api/consumers/lms', { token });
      expect(one.json.data).toEqual({ username: 'lms', groups: ['readers'], credentials: [{ key, algorithm: 'HS256', status: 'active', deprecatedAt: null, expiresAt: null, createdAt: expect.any(String), kind: 'standard' }], deviceCredentials: 0 });
      expect(one.text).not.toContain(secret);
      const list = await api(t, 'GET', '/api/consumers', { token });
      expect(list.json).toMatchObject({ data: [{ username: 'lms', groups: ['readers'] }], page: { totalCount: 1 } });
      expect(list.text).not.toContain(secret);
      expect(expectEnvelope(await sunbird(t, 'lms/read', {}, { token }), 200, 'consumer.read')).toEqual({ username: 'lms', groups: ['readers'] });
      expect(JSON.stringify(await auditRows(t, 'consumer.create'))).not.toContain(secret);
    });

    it('credentials: an ES256 one around a public key, deprecation stops it at the gateway', async () => {
      const pair = ecPair();
      const r = await api(t, 'POST', '/api/consumers/lms/credentials', { token, body: { algorithm: 'ES256', publicKey: pair.publicPem, key: 'lms-es' } });
      expect(r.status).toBe(201);
      expect(r.json.data).toEqual({ username: 'lms', key: 'lms-es', secret: null, algorithm: 'ES256' });
      const jwt = await signAsym('ES256', pair.privateKey, { iss: 'lms-es' });
      expect((await authz(t, { uri: '/content/1', token: jwt })).status).toBe(200);
      const dep = await api(t, 'POST', '/api/consumers/lms/credentials/lms-es/deprecate', { token, body: { expiresIn: 3600 } });
      expect(dep.status).toBe(200);
      expect(dep.json.data).toMatchObject({ key: 'lms-es', status: 'deprecated', deprecatedAt: expect.any(String), expiresAt: expect.any(String) });
      expect((await authz(t, { uri: '/content/1', token: jwt })).status).toBe(401);
      const creds = (await api(t, 'GET', '/api/consumers/lms', { token })).json.data.credentials;
      // Both were created within the same second: compare as a set, not in creation order.
      const byStatus = creds.map((c: { key: string; status: string }) => [c.key, c.status]).sort((x: string[], y: string[]) => (x[1] as string).localeCompare(y[1] as string));
      expect(byStatus).toEqual([[expect.any(String), 'active'], ['lms-es', 'deprecated']]);
      expect((await auditRows(t, 'consumer.credential.deprecate')).length).toBe(1);
    });

    it('errors are problems: duplicates 409, unknown 404, bad input 400, a key of another consumer 404', async () => {
      expectProblem(await api(t, 'POST', '/api/consumers', { token, body: { username: 'lms' } }), 409, 'CONSUMER_ALREADY_EXISTS');
      expectProblem(await api(t, 'POST', '/api/consumers', { token, body: { username: 'has space' } }), 400, 'BAD_REQUEST');
      expectProblem(await api(t, 'GET', '/api/consumers/ghost', { token }), 404, 'CONSUMER_GET_ERROR');
      expectProblem(await api(t, 'POST', '/api/consumers/lms/credentials', { token, body: { algorithm: 'RS256' } }), 400, 'BAD_REQUEST');
      await api(t, 'POST', '/api/consumers', { token, body: { username: 'other' } });
      expectProblem(await api(t, 'POST', '/api/consumers/other/credentials/lms-es/deprecate', { token, body: {} }), 404, 'CREDENTIAL_NOT_FOUND');
    });

    it('DELETE removes the consumer and its credentials; the gateway stops it; CONSUMER_MANAGE required', async () => {
      const r = await api(t, 'POST', '/api/consumers', { token, body: { username: 'temp' } });
      await api(t, 'PUT', '/api/consumers/temp/groups', { token, body: { groups: ['readers'] } });
      const jwt = sunbirdToken(r.json.data.key, r.json.data.secret);
      expect((await authz(t, { uri: '/content/x', token: jwt })).status).toBe(200);
      expect((await api(t, 'DELETE', '/api/consumers/temp', { token })).status).toBe(204);
      expect((await authz(t, { uri: '/content/x', token: jwt })).status).toBe(401);
      expectProblem(await api(t, 'GET', '/api/consumers/temp', { token }), 404, 'CONSUMER_GET_ERROR');
      const reader = await userWithPermissions(t, p, 'ADMIN_BASE');
      expectProblem(await api(t, 'GET', '/api/consumers', { token: await accessToken(t, reader.email, reader.password) }), 403, 'PERMISSION_REQUIRED');
    });
  });
}
