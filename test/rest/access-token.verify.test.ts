/**
 * Access-token verification (ASVS 9.1, 9.2): expiry, tampering, algorithm confusion, keys named by
 * the token itself, and users blocked or deleted after the token was issued.
 */
import { decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, expectProblem, userWithPermissions } from '../support/rest.js';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

for (const dialect of DIALECTS) {
  describe(`access-token verification [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    let claims: Record<string, unknown>;
    const users = (tok: string) => api(t, 'GET', '/api/users', { token: tok });

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-token-verify');
      p = await registerPartner(t);
      token = await adminToken(t, p);
      claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    });
    afterAll(() => t?.close());

    it('a token works until exp, and not a second longer', async () => {
      expect((await users(token)).status).toBe(200);
      t.clock.advance(899);
      expect((await users(token)).status).toBe(200);
      t.clock.advance(1);
      expectProblem(await users(token), 401, 'INVALID_ACCESS_TOKEN');
      token = await adminToken(t, p);
      claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    });

    it('a changed payload or signature is refused', async () => {
      const [h, , s] = token.split('.');
      expectProblem(await users(`${h}.${b64({ ...claims, partnerId: 99 })}.${s}`), 401, 'INVALID_ACCESS_TOKEN');
      expectProblem(await users(`${h}.${b64(claims)}.${s!.slice(0, -4)}AAAA`), 401, 'INVALID_ACCESS_TOKEN');
      expectProblem(await users('not-a-jwt'), 401, 'INVALID_ACCESS_TOKEN');
      expectProblem(await users('x'.repeat(9000)), 401, 'INVALID_ACCESS_TOKEN');
    });

    it('alg none and HS256 signed with our public key are refused before any key lookup', async () => {
      const kid = decodeProtectedHeader(token).kid;
      expectProblem(await users(`${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims)}.`), 401, 'INVALID_ACCESS_TOKEN');
      const jwks = (await api(t, 'GET', '/api/auth/jwks.json')).json;
      const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: kid! }).sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
      expectProblem(await users(hs), 401, 'INVALID_ACCESS_TOKEN');
    });

    it('keys the token brings along (jwk, jku, x5u) or names by a foreign kid are never used', async () => {
      const attacker = await generateKeyPair('ES256', { extractable: true });
      const jwk = await exportJWK(attacker.publicKey);
      const realKid = decodeProtectedHeader(token).kid!;
      for (const header of [
        { alg: 'ES256', typ: 'at+jwt', kid: 'attacker', jwk },
        { alg: 'ES256', typ: 'at+jwt', kid: 'attacker', jku: 'http://127.0.0.1:1/jwks.json' },
        { alg: 'ES256', typ: 'at+jwt', kid: realKid, jwk, x5u: 'http://127.0.0.1:1/cert.pem' },
      ]) {
        const forged = await new SignJWT(claims).setProtectedHeader(header).sign(attacker.privateKey);
        expectProblem(await users(forged), 401, 'INVALID_ACCESS_TOKEN');
      }
    });

    it('the issuer is checked: a node configured for another issuer refuses our tokens, though it shares the keys', async () => {
      const other = await startGatehouse(dialect, 'rest-token-verify-b', { share: t, env: { GATEHOUSE_JWT_ISSUER: 'https://other.example' } });
      try {
        expectProblem(await api(other, 'GET', '/api/users', { token }), 401, 'INVALID_ACCESS_TOKEN');
        expect((await api(other, 'GET', '/api/users', { token: await adminToken(other, p) })).status).toBe(200);
      } finally {
        await other.close();
      }
      expectProblem(await api(t, 'GET', '/api/users', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }), 401, 'AUTHENTICATION_REQUIRED');
    });

    it("a blocked or deleted user's tokens stop at once; role changes apply without a new token", async () => {
      const u = await userWithPermissions(t, p, 'ADMIN_BASE');
      const tok = await accessToken(t, u.email, u.password);
      expect((await users(tok)).status).toBe(200);
      const ks = await adminKs(t, p);
      // Role loses ADMIN_BASE: 403 with the same token.
      await run(client(t, ks), kaltura.services.userRole.update(u.roleId, new kaltura.objects.UserRole({ permissionNames: 'PLAYBACK_BASE_PERMISSION' })));
      expectProblem(await users(tok), 403, 'PERMISSION_REQUIRED');
      await run(client(t, ks), kaltura.services.user.update(u.id, new kaltura.objects.User({ status: 0 })));
      expectProblem(await users(tok), 401, 'INVALID_ACCESS_TOKEN');
      await run(client(t, ks), kaltura.services.user.update(u.id, new kaltura.objects.User({ status: 1 })));
      await run(client(t, ks), kaltura.services.user.deleteAction(u.id));
      expectProblem(await users(tok), 401, 'INVALID_ACCESS_TOKEN');
    });
  });
}
