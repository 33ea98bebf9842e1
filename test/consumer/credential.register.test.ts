/**
 * `{username}/credential/register`: a new HS256 credential (generated or chosen key, `kid` as an
 * alias), or an RS256/ES256 one around the consumer's public key, checked at registration: no
 * private keys, RSA ≥ 2048 bits, EC on P-256 only. Each works at the gateway at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken } from '../support/rest.js';
import { authz, createConsumer, createService, ecPair, expectEnvelope, grant, rsaPair, signAsym, sunbird, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`credential register [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'consumer-register');
      token = await adminToken(t, await registerPartner(t));
      await createService(t, token, { name: 'API', routePrefix: '/api/v1', allowedGroups: ['partner'] });
      await createConsumer(t, token, 'partner-org');
      await grant(t, token, 'partner-org', ['partner']);
    });
    afterAll(() => t?.close());

    const register = (request: Record<string, unknown>) => sunbird(t, 'partner-org/credential/register', request, { token });

    it('HS256 with a generated key, and with a chosen key (or kid)', async () => {
      const gen = expectEnvelope(await register({}), 200, 'credential.register');
      expect(gen).toEqual({ key: expect.stringMatching(/^[0-9a-f]{32}$/), secret: expect.stringMatching(/^[0-9a-f]{32}$/), username: 'partner-org', algorithm: 'HS256' });
      expect((await authz(t, { uri: '/api/v1/x', token: sunbirdToken(gen.key, gen.secret) })).status).toBe(200);
      const chosen = expectEnvelope(await register({ key: 'org-issuer-1' }), 200, 'credential.register');
      expect(chosen.key).toBe('org-issuer-1');
      expect(expectEnvelope(await register({ kid: 'org-kid-1' }), 200, 'credential.register').key).toBe('org-kid-1');
      expectEnvelope(await register({ key: 'a', kid: 'b' }), 400, 'credential.register', 'BAD_REQUEST');
      expectEnvelope(await register({ key: 'has space' }), 400, 'credential.register', 'BAD_REQUEST');
      expectEnvelope(await register({ key: 'x'.repeat(257) }), 400, 'credential.register', 'BAD_REQUEST');
    });

    it('RS256 and ES256 around a public key; the secret is empty', async () => {
      const rsa = rsaPair();
      const rs = expectEnvelope(await register({ key: 'org-rs', algorithm: 'RS256', publicKey: rsa.publicPem }), 200, 'credential.register');
      expect(rs).toEqual({ key: 'org-rs', secret: '', username: 'partner-org', algorithm: 'RS256' });
      expect((await authz(t, { uri: '/api/v1/x', token: await signAsym('RS256', rsa.privateKey, { iss: 'org-rs' }) })).status).toBe(200);
      const ec = ecPair();
      expectEnvelope(await register({ key: 'org-es', algorithm: 'ES256', publicKey: ec.publicPem }), 200, 'credential.register');
      expect((await authz(t, { uri: '/api/v1/x', token: await signAsym('ES256', ec.privateKey, { iss: 'org-es' }) })).status).toBe(200);
      const row = await t.store.db.selectFrom('consumer_credentials').selectAll().where('key', '=', 'org-es').executeTakeFirstOrThrow();
      expect(row).toMatchObject({ algorithm: 'ES256', secret_enc: null });
      expect(row.public_key).toContain('BEGIN PUBLIC KEY');
    });

    it('refuses private keys, weak or wrong keys, and keys where none belongs', async () => {
      const rsa = rsaPair();
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ algorithm: 'RS256' }, /PUBLICKEY IS MANDATORY/],
        [{ algorithm: 'RS256', publicKey: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }, /PEM "PUBLIC KEY"/],
        [{ algorithm: 'RS256', publicKey: rsaPair(1024).publicPem }, /AT LEAST 2048 BITS/],
        [{ algorithm: 'RS256', publicKey: ecPair().publicPem }, /RSA PUBLIC KEY/],
        [{ algorithm: 'ES256', publicKey: ecPair('secp384r1').publicPem }, /P-256/],
        [{ algorithm: 'ES256', publicKey: '-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----' }, /NOT A VALID PEM/],
        [{ publicKey: rsa.publicPem }, /ONLY FOR RS256 AND ES256/],
        [{ algorithm: 'none' }, /ALGORITHM MUST BE ONE OF HS256, RS256, ES256/],
        [{ algorithm: 'HS512' }, /ALGORITHM MUST BE ONE OF/],
      ];
      for (const [request, message] of cases) {
        const r = await register(request);
        expectEnvelope(r, 400, 'credential.register', 'BAD_REQUEST');
        expect(r.json.params.errmsg).toMatch(message);
        // A private key sent by mistake is never echoed.
        expect(r.text).not.toContain('PRIVATE KEY');
      }
    });
  });
}
