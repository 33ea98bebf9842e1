/**
 * Deprecation and rotation (documented by Sunbird, built here): `credential/deprecate {key,
 * expiresIn?}` makes the gateway refuse the credential; the consumer presents it (a JWT it signs)
 * at `{username}/credential/rotate` and gets a new credential, once; after the optional hard
 * expiry the old credential is accepted nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken } from '../support/rest.js';
import { authz, createConsumer, createService, ecPair, expectEnvelope, expectKong, grant, signAsym, sunbird, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`credential deprecate and rotate [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'consumer-rotate');
      token = await adminToken(t, await registerPartner(t));
      await createService(t, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
    });
    afterAll(() => t?.close());

    const deprecate = (request: Record<string, unknown>, tk = token) => sunbird(t, 'credential/deprecate', request, { token: tk });
    const rotate = (username: string, jwt: string | undefined, request: Record<string, unknown> = {}) => sunbird(t, `${username}/credential/rotate`, request, jwt ? { token: jwt } : {});

    it('deprecated: refused at the gateway, exchanged once at the rotation endpoint', async () => {
      const old = await createConsumer(t, token, 'app-one');
      await grant(t, token, 'app-one', ['apps']);
      const oldJwt = sunbirdToken(old.key, old.secret);
      expect((await authz(t, { uri: '/api/x', token: oldJwt })).status).toBe(200);

      const notYet = await rotate('app-one', oldJwt);
      expectEnvelope(notYet, 403, 'credential.rotate', 'ROTATION_NOT_ALLOWED');
      expect(notYet.json.params.errmsg).toMatch(/only a deprecated credential/);

      const dep = await deprecate({ key: old.key });
      expect(expectEnvelope(dep, 200, 'credential.deprecate')).toEqual({ key: old.key, deprecatedAt: expect.any(Number), expiresAt: null });
      expectKong(await authz(t, { uri: '/api/x', token: oldJwt }), 401, 'Credential deprecated; it can only be used to rotate');

      const rotated = await rotate('app-one', oldJwt);
      const fresh = expectEnvelope(rotated, 200, 'credential.rotate');
      expect(fresh).toEqual({ key: expect.stringMatching(/^[0-9a-f]{32}$/), secret: expect.stringMatching(/^[0-9a-f]{32}$/), username: 'app-one', algorithm: 'HS256' });
      expect(rotated.headers.get('cache-control')).toBe('no-store');
      expect((await authz(t, { uri: '/api/x', token: sunbirdToken(fresh.key, fresh.secret) })).status).toBe(200);
      expect((await authz(t, { uri: '/api/x', token: oldJwt })).status).toBe(401);

      const twice = await rotate('app-one', oldJwt);
      expectEnvelope(twice, 403, 'credential.rotate', 'ROTATION_NOT_ALLOWED');
      expect(twice.json.params.errmsg).toMatch(/already rotated/);
      const audit = await t.store.db.selectFrom('audit_log').select(['action', 'actor', 'detail']).where('action', 'in', ['consumer.credential.deprecate', 'consumer.credential.rotate']).execute();
      expect(audit.map((a) => a.action).sort()).toEqual(['consumer.credential.deprecate', 'consumer.credential.rotate']);
      expect(audit.find((a) => a.action === 'consumer.credential.rotate')?.actor).toBe('consumer:app-one');
      expect(JSON.stringify(audit)).not.toContain(fresh.secret);
    });

    it('rotation can move to a public-key credential', async () => {
      const old = await createConsumer(t, token, 'app-two');
      await grant(t, token, 'app-two', ['apps']);
      expectEnvelope(await deprecate({ key: old.key }), 200, 'credential.deprecate');
      const ec = ecPair();
      const r = expectEnvelope(await rotate('app-two', sunbirdToken(old.key, old.secret), { key: 'app-two-es', algorithm: 'ES256', publicKey: ec.publicPem }), 200, 'credential.rotate');
      expect(r).toMatchObject({ key: 'app-two-es', secret: '', algorithm: 'ES256' });
      expect((await authz(t, { uri: '/api/x', token: await signAsym('ES256', ec.privateKey, {}, { kid: 'app-two-es' }) })).status).toBe(200);
    });

    it('the hard expiry ends the deprecated credential everywhere', async () => {
      const old = await createConsumer(t, token, 'app-three');
      expectEnvelope(await deprecate({ key: old.key, expiresIn: 60 }), 200, 'credential.deprecate');
      t.clock.advance(60);
      const r = await rotate('app-three', sunbirdToken(old.key, old.secret));
      expectEnvelope(r, 401, 'credential.rotate', 'INVALID_CONSUMER_CREDENTIAL');
      expect(r.json.params.errmsg).toBe('The consumer credential cannot be used: credential expired');
      expectKong(await authz(t, { uri: '/api/x', token: sunbirdToken(old.key, old.secret) }), 401, 'Credential expired');
      // Deprecating again with a later expiry revives nothing: an expiry only moves earlier.
      const again = expectEnvelope(await deprecate({ key: old.key, expiresIn: 3600 }), 200, 'credential.deprecate');
      expect(again.expiresAt).toBe(Math.floor(t.clock.nowMs() / 1000));
      expectEnvelope(await rotate('app-three', sunbirdToken(old.key, old.secret)), 401, 'credential.rotate', 'INVALID_CONSUMER_CREDENTIAL');
    });

    it('a blocked partner\'s consumers cannot rotate', async () => {
      const q = await registerPartner(t, 'Blocked later');
      const qt = await adminToken(t, q);
      const c = await createConsumer(t, qt, 'app-blocked');
      expectEnvelope(await deprecate({ key: c.key }, qt), 200, 'credential.deprecate');
      await t.store.db.updateTable('partners').set({ status: 2 }).where('id', '=', q.id).execute();
      await t.gh.directory.changed('partner', String(q.id));
      const r = await rotate('app-blocked', sunbirdToken(c.key, c.secret));
      expectEnvelope(r, 401, 'credential.rotate', 'INVALID_CONSUMER_CREDENTIAL');
      expect(r.json.params.errmsg).toBe('The consumer credential cannot be used: partner not active');
    });

    it('rotation needs the consumer\'s own valid token', async () => {
      const mine = await createConsumer(t, token, 'app-four');
      const other = await createConsumer(t, token, 'app-five');
      for (const c of [mine, other]) expectEnvelope(await deprecate({ key: c.key }), 200, 'credential.deprecate');
      expectEnvelope(await rotate('app-four', undefined), 401, 'credential.rotate', 'INVALID_CONSUMER_CREDENTIAL');
      expectEnvelope(await rotate('app-four', sunbirdToken(mine.key, 'wrong-secret')), 401, 'credential.rotate', 'INVALID_CONSUMER_CREDENTIAL');
      // A partner admin's access token is not a consumer credential.
      expectEnvelope(await rotate('app-four', token), 401, 'credential.rotate', 'INVALID_CONSUMER_CREDENTIAL');
      const wrongUser = await rotate('app-four', sunbirdToken(other.key, other.secret));
      expectEnvelope(wrongUser, 401, 'credential.rotate', 'INVALID_CONSUMER_CREDENTIAL');
      expect(wrongUser.json.params.errmsg).toMatch(/another consumer/);
      expectEnvelope(await rotate('app-four', sunbirdToken(mine.key, mine.secret)), 200, 'credential.rotate');
    });

    it('deprecate validation and scope', async () => {
      const c = await createConsumer(t, token, 'app-six');
      expect((await deprecate({})).json.params).toMatchObject({ err: 'BAD_REQUEST', errmsg: 'KEY IS MANDATORY' });
      expectEnvelope(await deprecate({ key: c.key, expiresIn: -1 }), 400, 'credential.deprecate', 'BAD_REQUEST');
      expectEnvelope(await deprecate({ key: c.key, expiresIn: '60' }), 400, 'credential.deprecate', 'BAD_REQUEST');
      const unknown = await deprecate({ key: 'no-such-key' });
      expectEnvelope(unknown, 404, 'credential.deprecate', 'CREDENTIAL_NOT_FOUND');
      // Another partner cannot touch this partner's credentials.
      const other = await adminToken(t, await registerPartner(t, 'Other'));
      expectEnvelope(await deprecate({ key: c.key }, other), 404, 'credential.deprecate', 'CREDENTIAL_NOT_FOUND');
      // Deprecating again keeps the first time; a new expiresIn may shorten the expiry, never extend it.
      const first = expectEnvelope(await deprecate({ key: c.key, expiresIn: 600 }), 200, 'credential.deprecate');
      t.clock.advance(10);
      const longer = expectEnvelope(await deprecate({ key: c.key, expiresIn: 6000 }), 200, 'credential.deprecate');
      expect(longer).toEqual(first);
      const second = expectEnvelope(await deprecate({ key: c.key, expiresIn: 0 }), 200, 'credential.deprecate');
      expect(second.deprecatedAt).toBe(first.deprecatedAt);
      expect(second.expiresAt).toBe(Math.floor(t.clock.nowMs() / 1000));
    });
  });
}
