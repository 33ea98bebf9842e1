/**
 * Device self-registration (issue 19, Sunbird's mobile app): `mobile_device` with
 * `registrationGroup: deviceRegister` accepts `/v1/consumer/mobile_device/credential/register`
 * from a consumer token whose consumer holds `deviceRegister`; re-registering a key rotates its
 * secret (the old token is refused); device consumers have no credential cap; registrations are
 * limited per caller and audited. `/v2/...` answers an RS256 token signed by a pool key, found by
 * `kid` at the gateway and granted as `mobile_device`; retiring the pool key refuses its tokens.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { SecretBox } from '../../src/core/crypto/secret-box.js';
import { keyPoolOn } from '../../src/wiring/key-pool-cli.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';
import { authz, createConsumer, createService, expectEnvelope, expectKong, grant, sunbird, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`device self-registration [${dialect}]`, () => {
    let t: TestGatehouse;
    let admin: string;
    let partnerId: number;
    let partner: Awaited<ReturnType<typeof registerPartner>>;
    let appToken: string;
    let outsiderToken: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'device-register');
      const p = await registerPartner(t);
      partner = p;
      partnerId = p.id;
      admin = await adminToken(t, p);
      await createService(t, admin, { name: 'Content', routePrefix: '/content', allowedGroups: ['contentAccess'] });
      // The device consumer, and the app whose consumer may register devices.
      await createConsumer(t, admin, 'mobile_device');
      await grant(t, admin, 'mobile_device', ['contentAccess']);
      const patched = await api(t, 'PATCH', '/api/consumers/mobile_device', { token: admin, body: { registrationGroup: 'deviceRegister', registrationRateLimit: 500 } });
      expect(patched.status).toBe(200);
      expect(patched.json.data).toMatchObject({ username: 'mobile_device', registrationGroup: 'deviceRegister', credentialLifetime: null, registrationRateLimit: 500 });
      const app = await createConsumer(t, admin, 'mobile_app');
      await grant(t, admin, 'mobile_app', ['deviceRegister']);
      appToken = sunbirdToken(app.key, app.secret);
      const outsider = await createConsumer(t, admin, 'portal');
      await grant(t, admin, 'portal', ['contentAccess']);
      outsiderToken = sunbirdToken(outsider.key, outsider.secret);
    });
    afterAll(() => t?.close());

    const registerV1 = (token: string, request: Record<string, unknown>, username = 'mobile_device') => sunbird(t, `${username}/credential/register`, request, { token });
    const registerV2 = (token: string, request: Record<string, unknown>, username = 'mobile_device') => api(t, 'POST', `/v2/consumer/${username}/credential/register`, { token, body: { id: 'sunbird.api', ver: '2.0', params: { msgid: 'm2' }, request } });

    it('v1: a consumer of the registrationGroup registers a device; its token is granted as mobile_device', async () => {
      const r = expectEnvelope(await registerV1(appToken, { key: 'device-0001' }), 200, 'credential.register');
      expect(r).toEqual({ key: 'device-0001', secret: expect.stringMatching(/^[0-9a-f]{32}$/), username: 'mobile_device', algorithm: 'HS256' });
      const granted = await authz(t, { uri: '/content/v1/read', token: sunbirdToken('device-0001', r.secret) });
      expect(granted.status).toBe(200);
      expect(granted.headers.get('x-consumer-username')).toBe('mobile_device');
      const row = await t.store.db.selectFrom('consumer_credentials').select(['kind', 'secret_enc']).where('key', '=', 'device-0001').executeTakeFirstOrThrow();
      expect(row.kind).toBe('device');
      // Sealed at rest, like every secret.
      expect(row.secret_enc).not.toContain(r.secret);
    });

    it('refused (403 REGISTRATION_NOT_ALLOWED in the envelope) without the group, for a non-device target, or with a bad token', async () => {
      const r = await registerV1(outsiderToken, { key: 'device-x' });
      expectEnvelope(r, 403, 'credential.register', 'REGISTRATION_NOT_ALLOWED');
      expect(r.json.params.errmsg).toBe('THIS CONSUMER MAY NOT REGISTER CREDENTIALS FOR CONSUMER mobile_device');
      // Not a device consumer: even a group member is refused, and cannot tell whether it exists.
      expectEnvelope(await registerV1(appToken, {}, 'portal'), 403, 'credential.register', 'REGISTRATION_NOT_ALLOWED');
      expectEnvelope(await registerV1(appToken, {}, 'nobody'), 403, 'credential.register', 'REGISTRATION_NOT_ALLOWED');
      expectEnvelope(await registerV2(outsiderToken, { key: 'device-x' }), 403, 'credential.register', 'REGISTRATION_NOT_ALLOWED');
      // A token whose signature is wrong is no caller at all.
      const forged = sunbirdToken(decodeJwt(appToken).iss as string, 'f'.repeat(32));
      expect((await registerV1(forged, { key: 'device-x' })).status).toBe(401);
      expect(await t.store.db.selectFrom('consumer_credentials').select('key').where('key', '=', 'device-x').executeTakeFirst()).toBeUndefined();
    });

    it('re-registration rotates the secret: the old device token is refused, the new one granted; audited', async () => {
      const first = expectEnvelope(await registerV1(appToken, { key: 'device-0002' }), 200, 'credential.register');
      const oldJwt = sunbirdToken('device-0002', first.secret);
      expect((await authz(t, { uri: '/content/x', token: oldJwt })).status).toBe(200);
      const second = expectEnvelope(await registerV1(appToken, { key: 'device-0002' }), 200, 'credential.register');
      expect(second.secret).not.toBe(first.secret);
      expectKong(await authz(t, { uri: '/content/x', token: oldJwt }), 401);
      expect((await authz(t, { uri: '/content/x', token: sunbirdToken('device-0002', second.secret) })).status).toBe(200);
      // An admin may register too (and rotate), as before.
      const third = expectEnvelope(await registerV1(admin, { key: 'device-0002' }), 200, 'credential.register');
      expectKong(await authz(t, { uri: '/content/x', token: sunbirdToken('device-0002', second.secret) }), 401);
      expect((await authz(t, { uri: '/content/x', token: sunbirdToken('device-0002', third.secret) })).status).toBe(200);
      // Keys held by another consumer, or made by an admin for this one, never rotate through registration.
      const appKey = decodeJwt(appToken).iss as string;
      expectEnvelope(await registerV1(appToken, { key: appKey }), 409, 'credential.register', 'CREATE_CREDENTIAL_ERROR');
      expect((await authz(t, { uri: '/content/x', token: outsiderToken })).status).toBe(200);
      const audit = await t.store.db.selectFrom('audit_log').select(['actor', 'action', 'detail']).where('action', '=', 'consumer.credential.register').execute();
      const details = audit.map((a) => ({ actor: a.actor, ...(typeof a.detail === 'string' ? JSON.parse(a.detail) : a.detail) }));
      expect(details).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'consumer:mobile_app', key: 'device-0002', rotated: true })]));
      expect(JSON.stringify(audit)).not.toContain(second.secret);
    });

    it('device consumers hold more than 20 credentials; others keep the cap', async () => {
      for (let i = 0; i < 25; i++) expectEnvelope(await registerV1(appToken, { key: `cap-device-${i}` }), 200, 'credential.register');
      for (let i = 0; i < 19; i++) expectEnvelope(await registerV1(admin, {}, 'portal'), 200, 'credential.register');
      const capped = await registerV1(admin, {}, 'portal');
      expectEnvelope(capped, 409, 'credential.register', 'CREATE_CREDENTIAL_ERROR');
      expect(capped.json.params.errmsg).toMatch(/20 CREDENTIALS/);
    });

    it('credentialLifetime gives device credentials an expiry, renewed by re-registration', async () => {
      expect((await api(t, 'PATCH', '/api/consumers/mobile_device', { token: admin, body: { credentialLifetime: 3600 } })).status).toBe(200);
      const r = expectEnvelope(await registerV1(appToken, { key: 'device-life' }), 200, 'credential.register');
      const jwt = sunbirdToken('device-life', r.secret);
      expect((await authz(t, { uri: '/content/x', token: jwt })).status).toBe(200);
      t.clock.advance(3601);
      expectKong(await authz(t, { uri: '/content/x', token: jwt }), 401);
      // The admin's own access token has expired meanwhile.
      admin = await adminToken(t, partner);
      const again = expectEnvelope(await registerV1(appToken, { key: 'device-life' }), 200, 'credential.register');
      expect((await authz(t, { uri: '/content/x', token: sunbirdToken('device-life', again.secret) })).status).toBe(200);
      expect((await api(t, 'PATCH', '/api/consumers/mobile_device', { token: admin, body: { credentialLifetime: null } })).json.data.credentialLifetime).toBeNull();
      expect((await api(t, 'PATCH', '/api/consumers/mobile_device', { token: admin, body: { credentialLifetime: 5 } })).status).toBe(400);
      expect((await api(t, 'PATCH', '/api/consumers/mobile_device', { token: admin, body: { registrationGroup: 'has space' } })).status).toBe(400);
      expect((await api(t, 'PATCH', '/api/consumers/nobody', { token: admin, body: { registrationGroup: 'x' } })).status).toBe(404);
    });

    it('v2: an RS256 token from the pool, kid first at the gateway; retiring the key refuses its tokens', async () => {
      // No pool key yet: a clear refusal, not a fault.
      expectEnvelope(await registerV2(appToken, { key: 'device-v2' }), 409, 'credential.register', 'CREATE_CREDENTIAL_ERROR');
      const { pool, audit } = keyPoolOn(t.store.db, new SecretBox(t.masterKey), t.clock, (s) => {
        throw new Error(s);
      });
      const k1 = await pool.add(partnerId, 'mobile_device', 'mobile_devicev2_key1');
      await audit.flush();
      const r = await registerV2(appToken, { key: 'device-v2' });
      const result = expectEnvelope(r, 200, 'credential.register');
      expect(Object.keys(result)).toEqual(['key', 'token']);
      expect(result.key).toBe('device-v2');
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(decodeProtectedHeader(result.token)).toEqual({ alg: 'RS256', typ: 'JWT', kid: k1.kid });
      const iss = decodeJwt(result.token).iss as string;
      expect(iss).toMatch(new RegExp(`^${k1.kid}-device-v2-\\d{13}$`));
      expect(Number(iss.split('-').pop())).toBe(t.clock.nowMs());
      const granted = await authz(t, { uri: '/content/x', token: result.token });
      expect(granted.status).toBe(200);
      expect(granted.headers.get('x-consumer-username')).toBe('mobile_device');
      // The private key is sealed at rest and never listed.
      const row = await t.store.db.selectFrom('consumer_credentials').select(['private_key_enc', 'public_key']).where('key', '=', k1.kid).executeTakeFirstOrThrow();
      expect(row.private_key_enc).not.toContain('PRIVATE KEY');
      expect(JSON.stringify(await pool.list(partnerId, 'mobile_device'))).not.toContain('PRIVATE');

      // Rotation by adding: a second key; retiring the first refuses its tokens on the server.
      await pool.add(partnerId, 'mobile_device', 'mobile_devicev2_key2');
      await pool.retire(partnerId, 'mobile_device', k1.kid);
      await vi.waitFor(async () => expectKong(await authz(t, { uri: '/content/x', token: result.token }), 401), { timeout: 5000, interval: 50 });
      // Nor can a holder of such a token exchange the pool key for a credential of its own.
      expect([401, 403]).toContain((await sunbird(t, 'mobile_device/credential/rotate', {}, { token: result.token })).status);
      for (let i = 0; i < 5; i++) {
        const next = expectEnvelope(await registerV2(appToken, { key: `device-v2-${i}` }), 200, 'credential.register');
        expect(decodeProtectedHeader(next.token).kid).toBe('mobile_devicev2_key2');
        expect((await authz(t, { uri: '/content/x', token: next.token })).status).toBe(200);
      }
      expect((await pool.list(partnerId, 'mobile_device')).map((k) => [k.kid, k.status])).toEqual([
        ['mobile_devicev2_key1', 'retired'],
        ['mobile_devicev2_key2', 'active'],
      ]);
      expectEnvelope(await registerV2(appToken, {}), 400, 'credential.register', 'BAD_REQUEST');
    });

    it('new groups for a device consumer with thousands of devices are one feed row, and take effect', async () => {
      // 1,200 devices written in bulk in the repository's format (registering them would take minutes).
      const box = new SecretBox(t.masterKey);
      const consumer = await t.store.db.selectFrom('consumers').select('id').where('username', '=', 'mobile_device').executeTakeFirstOrThrow();
      const now = Math.floor(t.clock.nowMs() / 1000);
      const rows = Array.from({ length: 1200 }, (_, i) => {
        const id = randomUUID();
        return { id, partner_id: partnerId, consumer_id: consumer.id, key: `bulk-device-${i}`, algorithm: 'HS256', secret_enc: box.seal(`bulk-secret-${i}`, `consumer_credential:${id}:secret`), public_key: null, created_at: now, deprecated_at: null, expires_at: null, replaced_by: null, kind: 'device', private_key_enc: null };
      });
      for (let i = 0; i < rows.length; i += 200) await t.store.db.insertInto('consumer_credentials').values(rows.slice(i, i + 200)).execute();
      const jwt = sunbirdToken('bulk-device-7', 'bulk-secret-7');
      expect((await authz(t, { uri: '/content/x', token: jwt })).status).toBe(200);
      const before = await t.store.db.selectFrom('change_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      await grant(t, admin, 'mobile_device', ['somethingElse']);
      expect((await authz(t, { uri: '/content/x', token: jwt })).status).toBe(403);
      const after = await t.store.db.selectFrom('change_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n) - Number(before.n)).toBe(1);
      await grant(t, admin, 'mobile_device', ['contentAccess']);
      expect((await authz(t, { uri: '/content/x', token: jwt })).status).toBe(200);

      // The admin's view counts the devices rather than listing them; a device can still be deprecated.
      const detail = await api(t, 'GET', '/api/consumers/mobile_device', { token: admin });
      expect(detail.json.data.deviceCredentials).toBeGreaterThan(1200);
      const kinds = (detail.json.data.credentials as Array<{ kind: string }>).map((c) => c.kind);
      expect(kinds).not.toContain('device');
      expect(kinds).toEqual(expect.arrayContaining(['standard', 'pool']));
      expect((await api(t, 'POST', '/api/consumers/mobile_device/credentials/bulk-device-7/deprecate', { token: admin, body: {} })).status).toBe(200);
      expectKong(await authz(t, { uri: '/content/x', token: jwt }), 401);
      expect((await api(t, 'POST', '/api/consumers/portal/credentials/bulk-device-8/deprecate', { token: admin, body: {} })).status).toBe(404);
    });

    it('registrations are limited per caller (429 with Retry-After in the envelope)', async () => {
      expect((await api(t, 'PATCH', '/api/consumers/mobile_device', { token: admin, body: { registrationRateLimit: 3 } })).status).toBe(200);
      // A fresh minute, so earlier tests' registrations do not count.
      t.clock.advance(60);
      for (let i = 0; i < 3; i++) expectEnvelope(await registerV1(appToken, { key: `rl-${i}` }), 200, 'credential.register');
      const limited = await registerV1(appToken, { key: 'rl-3' });
      expectEnvelope(limited, 429, 'credential.register', 'REGISTRATION_RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another caller has its own budget.
      expectEnvelope(await registerV1(admin, { key: 'rl-admin' }), 200, 'credential.register');
      t.clock.advance(60);
      expectEnvelope(await registerV1(appToken, { key: 'rl-3' }), 200, 'credential.register');
    });
  });
}
