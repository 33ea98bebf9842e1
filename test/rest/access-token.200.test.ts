/** POST /api/auth/access-token → 200: an ES256 JWT that the published JWKS verifies (seed 004). */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { api, userWithPermissions } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`POST /api/auth/access-token 200 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-token-200');
      p = await registerPartner(t);
    });
    afterAll(() => t?.close());

    it('answers {"data":{"access_token"}} with the documented claims, not cacheable', async () => {
      const r = await api(t, 'POST', '/api/auth/access-token', { body: { username: p.adminEmail, password: p.password } });
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.json).toEqual({ data: { access_token: expect.any(String), token_type: 'Bearer', expires_in: 900 } });
      const token = r.json.data.access_token as string;
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt', kid: expect.any(String) });

      const jwks = await api(t, 'GET', '/api/auth/jwks.json');
      expect(jwks.status).toBe(200);
      expect(jwks.json.keys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), kid: expect.any(String), alg: 'ES256', use: 'sig' });
      // No private member ever leaves the server.
      expect(jwks.text).not.toContain('"d"');
      const wellKnown = await api(t, 'GET', '/.well-known/jwks.json');
      expect(wellKnown.json).toEqual(jwks.json);

      const now = Math.floor(t.clock.nowMs() / 1000);
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.json), { issuer: 'urn:gatehouse', audience: 'urn:gatehouse:api', currentDate: new Date(t.clock.nowMs()) });
      expect(payload).toMatchObject({ iss: 'urn:gatehouse', aud: 'urn:gatehouse:api', sub: p.adminEmail, partnerId: p.id, permissions: ['*'], iat: now, exp: now + 900 });
      expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(payload.roles).toEqual([expect.stringMatching(/^\d+$/)]);
    });

    it('the token authenticates REST calls', async () => {
      const r = await api(t, 'POST', '/api/auth/access-token', { body: { username: p.adminEmail, password: p.password, partnerId: p.id } });
      const users = await api(t, 'GET', '/api/users', { token: r.json.data.access_token });
      expect(users.status).toBe(200);
      expect(users.json.data.map((u: { id: string }) => u.id)).toContain(p.adminEmail);
    });

    it('a user with a role carries its permissions; success is audited without the password', async () => {
      const u = await userWithPermissions(t, p, 'ADMIN_BASE,ADMIN_USER_ADD');
      const r = await api(t, 'POST', '/api/auth/access-token', { body: { username: u.email, password: u.password } });
      expect(r.status).toBe(200);
      const [, body] = (r.json.data.access_token as string).split('.');
      const claims = JSON.parse(Buffer.from(body!, 'base64url').toString());
      expect(claims).toMatchObject({ sub: u.id, partnerId: p.id, roles: [String(u.roleId)], permissions: ['ADMIN_BASE', 'ADMIN_USER_ADD'] });
      const rows = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.accessToken').where('target', '=', u.email).execute();
      expect(rows.map((x) => x.outcome)).toEqual(['success']);
      expect(JSON.stringify(rows)).not.toContain(u.password);
    });

    it('tokens from another node verify here: keys are shared through the database', async () => {
      const second = await startGatehouse(dialect, 'rest-token-200-b', { share: t });
      try {
        const r = await api(second, 'POST', '/api/auth/access-token', { body: { username: p.adminEmail, password: p.password } });
        expect((await api(t, 'GET', '/api/users', { token: r.json.data.access_token })).status).toBe(200);
        expect((await api(second, 'GET', '/api/auth/jwks.json')).json).toEqual((await api(t, 'GET', '/api/auth/jwks.json')).json);
      } finally {
        await second.close();
      }
    });
  });
}
