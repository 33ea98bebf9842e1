/**
 * `POST /v1/consumer/create` → 200: the Sunbird envelope with `{key, secret, username}`, an HS256
 * credential whose Sunbird-built token works at the gateway, the secret sealed at rest, audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, createKey } from '../support/rest.js';
import { authz, createService, expectEnvelope, grant, sunbird, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`consumer create 200 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'consumer-create');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('answers the Sunbird envelope with key, secret and username, msgid echoed', async () => {
      const r = await sunbird(t, 'create', { username: 'portal_loggedin' }, { token, msgid: 'abc-123' });
      const result = expectEnvelope(r, 200, 'consumer.create');
      expect(r.json.params.msgid).toBe('abc-123');
      expect(result).toEqual({ key: expect.stringMatching(/^[0-9a-f]{32}$/), secret: expect.stringMatching(/^[0-9a-f]{32}$/), username: 'portal_loggedin' });
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(Math.abs(r.json.ets - t.clock.nowMs())).toBeLessThan(1000);
    });

    it('the token Sunbird onboarding prints ({"iss": key}, HS256, PyJWT 1.x and 2.x headers) passes the gateway', async () => {
      const r = await sunbird(t, 'create', { username: 'mobile_device' }, { token });
      const { key, secret } = expectEnvelope(r, 200, 'consumer.create');
      await createService(t, token, { name: 'Content', routePrefix: '/content/v1', allowedGroups: ['contentUser'] });
      await grant(t, token, 'mobile_device', ['contentUser']);
      for (const pyjwt of [1, 2] as const) {
        const ok = await authz(t, { uri: '/content/v1/read/do_123?fields=name', token: sunbirdToken(key, secret, pyjwt) });
        expect(ok.status).toBe(200);
        expect(ok.headers.get('x-consumer-username')).toBe('mobile_device');
        expect(ok.headers.get('x-credential-identifier')).toBe(key);
      }
    });

    it('an API key holding CONSUMER_MANAGE may create consumers too', async () => {
      const key = await createKey(t, token, { permissions: ['CONSUMER_MANAGE'] });
      expectEnvelope(await sunbird(t, 'create', { username: 'by-key' }, { key }), 200, 'consumer.create');
    });

    it('the secret is sealed at rest and the creation is audited without it', async () => {
      const r = await sunbird(t, 'create', { username: 'sealed' }, { token });
      const { key, secret } = expectEnvelope(r, 200, 'consumer.create');
      const row = await t.store.db.selectFrom('consumer_credentials').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
      expect(row.secret_enc).toMatch(/^v1\./);
      expect(row.secret_enc).not.toContain(secret);
      const audit = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'consumer.create').execute();
      const mine = audit.find((a) => a.detail.includes('"sealed"'));
      expect(mine).toMatchObject({ partner_id: p.id, outcome: 'success' });
      expect(JSON.stringify(audit)).not.toContain(secret);
    });
  });
}
