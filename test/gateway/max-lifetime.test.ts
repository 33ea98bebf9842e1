/**
 * GATEHOUSE_CONSUMER_JWT_MAX_LIFETIME (Kong's maximum_expiration): when set, consumer JWTs must
 * carry `exp`, at most that far ahead; Sunbird's bare `{"iss": key}` tokens are then refused. A
 * partner's `consumerJwtMaxLifetime` setting can require or shorten it, never lift it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken } from '../support/rest.js';
import { authz, createConsumer, createService, expectKong, grant, hs256, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`consumer JWT maximum lifetime [${dialect}]`, () => {
    let t: TestGatehouse;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-lifetime', { env: { GATEHOUSE_CONSUMER_JWT_MAX_LIFETIME: '3600' } });
    });
    afterAll(() => t?.close());

    async function setup(name: string): Promise<{ secret: string; key: string; partnerId: number }> {
      const p = await registerPartner(t, name);
      const token = await adminToken(t, p);
      await createService(t, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
      const c = await createConsumer(t, token, 'app');
      await grant(t, token, 'app', ['apps']);
      return { ...c, partnerId: p.id };
    }
    const now = () => Math.floor(t.clock.nowMs() / 1000);

    it('exp required and bounded by the installation', async () => {
      const c = await setup('Installation');
      expectKong(await authz(t, { uri: '/api/x', token: sunbirdToken(c.key, c.secret) }), 401, "Bad token; 'exp' is required");
      expect((await authz(t, { uri: '/api/x', token: hs256(c.secret, { iss: c.key, exp: now() + 3600 }) })).status).toBe(200);
      expectKong(await authz(t, { uri: '/api/x', token: hs256(c.secret, { iss: c.key, exp: now() + 3601 }) }), 401, 'exceeds maximum allowed expiration');
    });

    it('a partner setting can shorten the limit, never lift it', async () => {
      const c = await setup('Stricter');
      const setLimit = async (v: number) => {
        await t.store.db.updateTable('partners').set({ settings: JSON.stringify({ consumerJwtMaxLifetime: v }) }).where('id', '=', c.partnerId).execute();
        await t.gh.directory.changed('partner', String(c.partnerId));
      };
      await setLimit(60);
      expectKong(await authz(t, { uri: '/api/x', token: hs256(c.secret, { iss: c.key, exp: now() + 61 }) }), 401, 'exceeds maximum allowed expiration');
      expect((await authz(t, { uri: '/api/x', token: hs256(c.secret, { iss: c.key, exp: now() + 60 }) })).status).toBe(200);
      await setLimit(86400);
      expectKong(await authz(t, { uri: '/api/x', token: hs256(c.secret, { iss: c.key, exp: now() + 7200 }) }), 401, 'exceeds maximum allowed expiration');
    });
  });
}
