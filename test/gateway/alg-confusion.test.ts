/**
 * Algorithm confusion and key-selection attacks on consumer JWTs → 401: `alg: none`, an HS256
 * token keyed with an RS256 credential's public key, any algorithm other than the credential's,
 * a `kid` naming no credential (kid is looked up first, as Sunbird's patched Kong does, with no
 * fallback to `iss`), a `kid` naming someone else's credential, embedded `jwk`/`jku` headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK } from 'jose';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken } from '../support/rest.js';
import { authz, createConsumer, createService, ecPair, expectEnvelope, expectKong, grant, hs256, hs256Raw, rsaPair, signAsym, sunbird, type KeyPair } from '../support/consumer.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

for (const dialect of DIALECTS) {
  describe(`gateway algorithm confusion [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    let hs: { key: string; secret: string };
    let rsa: KeyPair;
    let ec: KeyPair;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-alg');
      token = await adminToken(t, await registerPartner(t));
      await createService(t, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
      hs = await createConsumer(t, token, 'app');
      await grant(t, token, 'app', ['apps']);
      rsa = rsaPair();
      ec = ecPair();
      expectEnvelope(await sunbird(t, 'app/credential/register', { key: 'app-rsa', algorithm: 'RS256', publicKey: rsa.publicPem }, { token }), 200, 'credential.register');
      expectEnvelope(await sunbird(t, 'app/credential/register', { key: 'app-ec', algorithm: 'ES256', publicKey: ec.publicPem }, { token }), 200, 'credential.register');
    });
    afterAll(() => t?.close());

    const call = (jwt: string) => authz(t, { uri: '/api/x', token: jwt });

    it('the genuine tokens pass (the baseline for every attack below)', async () => {
      expect((await call(hs256(hs.secret, { iss: hs.key }))).status).toBe(200);
      expect((await call(await signAsym('RS256', rsa.privateKey, { iss: 'app-rsa' }))).status).toBe(200);
      expect((await call(await signAsym('RS256', rsa.privateKey, { iss: 'ignored' }, { kid: 'app-rsa' }))).status).toBe(200);
      expect((await call(await signAsym('ES256', ec.privateKey, { iss: 'app-ec' }))).status).toBe(200);
    });

    it('alg none, with or without a signature, in any spelling', async () => {
      for (const alg of ['none', 'None', 'NONE']) {
        expectKong(await call(`${b64({ alg, typ: 'JWT' })}.${b64({ iss: hs.key })}.`), 401, 'Unrecognizable token');
        expectKong(await call(`${b64({ alg, typ: 'JWT' })}.${b64({ iss: hs.key })}.c2lnbmF0dXJl`), 401, 'Invalid algorithm');
      }
    });

    it('HS256 signed with the RS256 credential\'s public key (the classic confusion)', async () => {
      for (const secret of [rsa.publicPem, rsa.publicPem.trim(), JSON.stringify(await exportJWK(rsa.privateKey))]) {
        expectKong(await call(hs256Raw('{"alg":"HS256","typ":"JWT"}', '{"iss":"app-rsa"}', secret)), 401, 'Invalid algorithm');
        expectKong(await call(hs256(secret, { iss: 'ignored' }, { kid: 'app-rsa' })), 401, 'Invalid algorithm');
      }
    });

    it('any algorithm other than the credential\'s', async () => {
      expectKong(await call(await signAsym('ES256', ec.privateKey, { iss: 'app-rsa' })), 401, 'Invalid algorithm');
      expectKong(await call(await signAsym('RS256', rsa.privateKey, { iss: hs.key })), 401, 'Invalid algorithm');
      for (const alg of ['HS384', 'HS512', 'PS256', 'EdDSA', 'RS512']) {
        expectKong(await call(`${b64({ alg })}.${b64({ iss: hs.key })}.c2ln`), 401, 'Invalid algorithm');
      }
    });

    it('kid first: an unknown kid is not rescued by a valid iss; another credential\'s kid fails the signature', async () => {
      expectKong(await call(hs256(hs.secret, { iss: hs.key }, { kid: 'no-such-kid' })), 401, "No credentials found for given 'iss'");
      expectKong(await call(await signAsym('RS256', rsa.privateKey, { iss: 'app-rsa' }, { kid: 'wrong' })), 401, "No credentials found for given 'iss'");
      const other = await createConsumer(t, token, 'other');
      expectKong(await call(hs256(hs.secret, { iss: hs.key }, { kid: other.key })), 401, 'Invalid signature');
      expectKong(await call(hs256(hs.secret, { iss: hs.key }, { kid: '' })), 401, 'Unrecognizable token');
    });

    it('keys embedded in the token (jwk, jku, x5u) are never used', async () => {
      const attacker = rsaPair();
      const jwk = await exportJWK(attacker.privateKey);
      const pub = { kty: jwk.kty, n: jwk.n, e: jwk.e };
      for (const header of [{ jwk: pub }, { jku: 'https://attacker.example/jwks.json' }, { x5u: 'https://attacker.example/cert.pem' }]) {
        expectKong(await call(await signAsym('RS256', attacker.privateKey, { iss: 'app-rsa' }, header)), 401, 'Invalid signature');
      }
    });
  });
}
