/**
 * Per-partner limits set by the operator through PATCH /api/partners/{id} `limits`: API key
 * validity, consumer JWT lifetime, gateway rate limit and the access-control profile limit each
 * take effect for that partner only; null gives the installation's setting back. Publishers
 * cannot set their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProfile } from '../support/access-control.js';
import { auditRows, operatorToken } from '../support/console.js';
import { authz, createConsumer, createService, expectKong, grant, hs256, sunbirdToken } from '../support/consumer.js';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, createKey, expectProblem } from '../support/rest.js';

const NONE = { apiKeyMaxValidity: null, consumerJwtMaxLifetime: null, gatewayRateLimit: null, accessControlProfileLimit: null };

for (const dialect of DIALECTS) {
  describe(`partner limits [${dialect}]`, () => {
    let t: TestGatehouse;
    let a: TestPartner;
    let b: TestPartner;
    let op: string;
    let tokenA: string;
    let tokenB: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'partner-limits');
      a = await registerPartner(t, 'Limited U');
      b = await registerPartner(t, 'Unlimited U');
      op = await operatorToken(t);
      tokenA = await adminToken(t, a);
      tokenB = await adminToken(t, b);
    });
    afterAll(() => t?.close());

    const limit = (partnerId: number, limits: Record<string, number | null>, token = op) => api(t, 'PATCH', `/api/partners/${partnerId}`, { token, body: { limits } });
    const now = () => Math.floor(t.clock.nowMs() / 1000);
    const inSeconds = (s: number) => new Date(t.clock.nowMs() + s * 1000).toISOString();

    it('read and set by the operator, null restores the default, audited; publishers get 403', async () => {
      expect((await api(t, 'GET', `/api/partners/${a.id}`, { token: op })).json.data.limits).toEqual(NONE);
      const set = await limit(a.id, { apiKeyMaxValidity: 3600, gatewayRateLimit: 2 });
      expect(set.status).toBe(200);
      expect(set.json.data.limits).toEqual({ ...NONE, apiKeyMaxValidity: 3600, gatewayRateLimit: 2 });
      expect((await limit(a.id, { gatewayRateLimit: null })).json.data.limits).toEqual({ ...NONE, apiKeyMaxValidity: 3600 });
      expectProblem(await limit(a.id, { apiKeyMaxValidity: 0 }), 400, 'INVALID_REQUEST');
      expectProblem(await limit(a.id, { unknownLimit: 5 }), 400, 'INVALID_REQUEST');
      expect((await limit(a.id, { apiKeyMaxValidity: 7200 }, tokenA)).status).toBe(403);
      const rows = await auditRows(t, 'partner.update');
      expect(rows.some((r) => r.target === String(a.id) && JSON.parse(r.detail).limits?.gatewayRateLimit === null)).toBe(true);
    });

    it('apiKeyMaxValidity bounds validTo for that partner only', async () => {
      await limit(a.id, { apiKeyMaxValidity: 3600 });
      expectProblem(await api(t, 'POST', '/api/auth/api-key', { token: tokenA, body: { validTo: inSeconds(7200) } }), 400, 'API_KEY_VALIDITY_INVALID');
      expect((await api(t, 'POST', '/api/auth/api-key', { token: tokenA, body: { validTo: inSeconds(3000) } })).status).toBe(201);
      expect((await api(t, 'POST', '/api/auth/api-key', { token: tokenB, body: { validTo: inSeconds(7200) } })).status).toBe(201);
    });

    it('consumerJwtMaxLifetime makes exp required and bounded; gatewayRateLimit answers 429', async () => {
      await createService(t, tokenA, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
      const c = await createConsumer(t, tokenA, 'limited-app');
      await grant(t, tokenA, 'limited-app', ['apps']);
      expect((await authz(t, { uri: '/api/x', token: sunbirdToken(c.key, c.secret) })).status).toBe(200);
      await limit(a.id, { consumerJwtMaxLifetime: 600 });
      expectKong(await authz(t, { uri: '/api/x', token: sunbirdToken(c.key, c.secret) }), 401, "Bad token; 'exp' is required");
      expectKong(await authz(t, { uri: '/api/x', token: hs256(c.secret, { iss: c.key, exp: now() + 601 }) }), 401, 'exceeds maximum allowed expiration');
      expect((await authz(t, { uri: '/api/x', token: hs256(c.secret, { iss: c.key, exp: now() + 600 }) })).status).toBe(200);
      await limit(a.id, { consumerJwtMaxLifetime: null, gatewayRateLimit: 2, apiKeyMaxValidity: null });
      const key = await createKey(t, tokenA);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await authz(t, { uri: '/api/x', key })).status);
      expect(statuses).toEqual([200, 200, 429]);
    });

    it('accessControlProfileLimit', async () => {
      await limit(a.id, { accessControlProfileLimit: 2 });
      const c = client(t, await adminKs(t, a));
      await addProfile(c, 'second', []);
      expect(await failure(c, kaltura.services.accessControlProfile.add(new kaltura.objects.AccessControlProfile({ name: 'third' })))).toMatchObject({ code: 'MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED', args: { MAX_NUM: '2' } });
      await limit(a.id, { accessControlProfileLimit: null });
      expect(await addProfile(c, 'third', [])).toMatchObject({ name: 'third' });
    });
  });
}
