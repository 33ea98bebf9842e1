/**
 * Re-registration across nodes (issue 19): two Gatehouse nodes on one database with the production
 * cache-sync interval. A device's token verified (and cached) on node B stops there within one
 * second after the device re-registers through node A, and the new secret works on B.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';
import { authz, createConsumer, createService, expectEnvelope, grant, sunbird, sunbirdToken } from '../support/consumer.js';

const SYNC_MS = 500;
const BOUND_MS = 1000;

for (const dialect of DIALECTS) {
  describe(`device re-registration across nodes [${dialect}]`, () => {
    let a: TestGatehouse;
    let b: TestGatehouse;
    let appToken: string;
    beforeAll(async () => {
      a = await startGatehouse(dialect, 'device-nodes', { syncIntervalMs: SYNC_MS });
      b = await startGatehouse(dialect, 'device-nodes-b', { share: a, syncIntervalMs: SYNC_MS });
      const admin = await adminToken(a, await registerPartner(a));
      await createService(a, admin, { name: 'Content', routePrefix: '/content', allowedGroups: ['contentAccess'] });
      await createConsumer(a, admin, 'mobile_device');
      await grant(a, admin, 'mobile_device', ['contentAccess']);
      expect((await api(a, 'PATCH', '/api/consumers/mobile_device', { token: admin, body: { registrationGroup: 'deviceRegister' } })).status).toBe(200);
      const app = await createConsumer(a, admin, 'mobile_app');
      await grant(a, admin, 'mobile_app', ['deviceRegister']);
      appToken = sunbirdToken(app.key, app.secret);
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('the old device token stops on node B within one second of re-registering on node A', async () => {
      const register = async () => expectEnvelope(await sunbird(a, 'mobile_device/credential/register', { key: 'device-nodes-1' }, { token: appToken }), 200, 'credential.register');
      const first = await register();
      const oldJwt = sunbirdToken('device-nodes-1', first.secret);
      // Node B verifies it and keeps it in its caches.
      for (let i = 0; i < 3; i++) expect((await authz(b, { uri: '/content/x', token: oldJwt })).status).toBe(200);
      const second = await register();
      const started = Date.now();
      for (;;) {
        const r = await authz(b, { uri: '/content/x', token: oldJwt });
        if (r.status === 401) break;
        if (Date.now() - started > 3 * BOUND_MS) throw new Error(`node B still answers ${r.status} for the old device token`);
        await new Promise((res) => setTimeout(res, 25));
      }
      expect(Date.now() - started).toBeLessThanOrEqual(BOUND_MS + SYNC_MS);
      expect((await authz(b, { uri: '/content/x', token: sunbirdToken('device-nodes-1', second.secret) })).status).toBe(200);
    });
  });
}
