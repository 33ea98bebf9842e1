/**
 * `/authz/api` → 401 for every credential failure (Kong ≥ 1.1): missing, several, malformed, no
 * `iss`, unknown key, bad signature, expired or not yet valid, deprecated, deleted consumer; API
 * keys unknown, malformed, revoked or outside their validity. Body `{"message": ...}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { getWithRepeatedHeader } from '../support/repeated-header.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, api, createKey, fromNow } from '../support/rest.js';
import { authz, createConsumer, createService, expectEnvelope, expectKong, grant, hs256, sunbird, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`gateway 401 [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    let c: { key: string; secret: string };
    const now = () => Math.floor(t.clock.nowMs() / 1000);
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-401');
      token = await adminToken(t, await registerPartner(t));
      await createService(t, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
      c = await createConsumer(t, token, 'app');
      await grant(t, token, 'app', ['apps']);
    });
    afterAll(() => t?.close());

    const call = (jwt: string) => authz(t, { uri: '/api/x', token: jwt });

    it('no credential, or more than one', async () => {
      const none = await authz(t, { uri: '/api/x' });
      expectKong(none, 401, 'Unauthorized');
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
      const key = await createKey(t, token);
      expectKong(await authz(t, { uri: '/api/x', token: sunbirdToken(c.key, c.secret), key }), 401, 'Multiple credentials provided');
      expectKong(await authz(t, { uri: `/api/x?key=${key}&key=${key}` }), 401, 'Multiple credentials provided');
      expectKong(await authz(t, { uri: `/api/x?key=${key}`, key }), 401, 'Multiple credentials provided');
    });

    it('a credential header sent twice is several credentials, even when both copies are the same', async () => {
      const key = await createKey(t, token);
      const jwt = sunbirdToken(c.key, c.secret);
      // Node's own reading keeps the first Authorization and joins repeated X-API-Key values; an
      // upstream may read the other copy, so the gateway decides on neither.
      const twice = (name: string, values: readonly string[]) => getWithRepeatedHeader(`${t.url}/authz/api`, name, values, { 'x-original-uri': '/api/x', 'x-original-method': 'GET' });
      for (const [name, values] of [
        ['authorization', [`Bearer ${jwt}`, `Bearer ${jwt}`]],
        ['Authorization', [`Basic ${Buffer.from('a:b').toString('base64')}`, `Bearer ${jwt}`]],
        ['x-api-key', [key, key]],
        ['X-API-Key', [key, 'gh_other']],
      ] as const) {
        const r = await twice(name, values);
        expect(r.status, `${name} twice`).toBe(401);
        expect(JSON.parse(r.body)).toEqual({ message: 'Multiple credentials provided' });
      }
      // Once each, in any case, they are accepted.
      expect((await authz(t, { uri: '/api/x', headers: { 'X-Api-Key': key } })).status).toBe(200);
      expect((await authz(t, { uri: '/api/x', headers: { AUTHORIZATION: `Bearer ${jwt}` } })).status).toBe(200);
    });

    it('malformed tokens, no iss, unknown key, bad signature', async () => {
      for (const bad of ['abc', 'a.b', 'a.b.c.d', '!!.??.--', `${Buffer.from('{"alg":"HS256"').toString('base64url')}.e30.c2ln`]) expectKong(await call(bad), 401, 'Unrecognizable token');
      expectKong(await call(hs256(c.secret, { sub: 'x' })), 401, "No mandatory 'iss' in claims");
      expectKong(await call(hs256(c.secret, { iss: 42 })), 401, "No mandatory 'iss' in claims");
      expectKong(await call(sunbirdToken('no-such-key', c.secret)), 401, "No credentials found for given 'iss'");
      const r = await call(sunbirdToken(c.key, 'not-the-secret'));
      expectKong(r, 401, 'Invalid signature');
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse", error="invalid_token"');
      // A signature from a token for another key does not carry over.
      const good = sunbirdToken(c.key, c.secret);
      const other = hs256(c.secret, { iss: c.key, x: 1 });
      expectKong(await call(`${other.split('.').slice(0, 2).join('.')}.${good.split('.')[2]}`), 401, 'Invalid signature');
    });

    it('exp and nbf are enforced when present', async () => {
      expect((await call(hs256(c.secret, { iss: c.key, exp: now() + 60, nbf: now() - 1, iat: now() }))).status).toBe(200);
      expectKong(await call(hs256(c.secret, { iss: c.key, exp: now() })), 401, 'token expired');
      expectKong(await call(hs256(c.secret, { iss: c.key, nbf: now() + 30 })), 401, 'token not valid yet');
      expectKong(await call(hs256(c.secret, { iss: c.key, exp: String(now() + 60) })), 401, "Bad token; 'exp' and 'nbf' must be numbers");
      const later = hs256(c.secret, { iss: c.key, exp: now() + 5 });
      expect((await call(later)).status).toBe(200);
      t.clock.advance(5);
      expectKong(await call(later), 401, 'token expired');
    });

    it('a deprecated credential and a deleted consumer', async () => {
      const d = await createConsumer(t, token, 'deprecated-app');
      await grant(t, token, 'deprecated-app', ['apps']);
      expect((await call(sunbirdToken(d.key, d.secret))).status).toBe(200);
      expectEnvelope(await sunbird(t, 'credential/deprecate', { key: d.key }, { token }), 200, 'credential.deprecate');
      expectKong(await call(sunbirdToken(d.key, d.secret)), 401, 'Credential deprecated; it can only be used to rotate');
      const gone = await createConsumer(t, token, 'deleted-app');
      await grant(t, token, 'deleted-app', ['apps']);
      expect((await call(sunbirdToken(gone.key, gone.secret))).status).toBe(200);
      expectEnvelope(await sunbird(t, 'deleted-app/delete', {}, { token }), 200, 'consumer.delete');
      expectKong(await call(sunbirdToken(gone.key, gone.secret)), 401, "No credentials found for given 'iss'");
    });

    it('API keys: unknown, malformed, revoked, not yet or no longer valid', async () => {
      const msg = 'Invalid authentication credentials';
      const r = await authz(t, { uri: '/api/x', key: `gh_${'A'.repeat(43)}` });
      expectKong(r, 401, msg);
      expect(r.headers.get('www-authenticate')).toBe('Key realm="gatehouse"');
      expectKong(await authz(t, { uri: '/api/x', key: 'not-a-key' }), 401, msg);
      const later = await createKey(t, token, { validFrom: fromNow(t, 1), validTo: fromNow(t, 2) });
      expectKong(await authz(t, { uri: '/api/x', key: later }), 401, msg);
      const key = await createKey(t, token);
      expect((await authz(t, { uri: '/api/x', key })).status).toBe(200);
      const id = (await api(t, 'GET', '/api/auth/api-keys', { token })).json.data.find((k: { start: string }) => k.start === key.slice(0, 9)).id;
      expect((await api(t, 'DELETE', `/api/auth/api-keys/${id}`, { token })).status).toBe(204);
      expectKong(await authz(t, { uri: '/api/x', key }), 401, msg);
      const short = await createKey(t, token, { validTo: fromNow(t, 1) });
      expect((await authz(t, { uri: '/api/x', key: short })).status).toBe(200);
      t.clock.advance(86400);
      expectKong(await authz(t, { uri: '/api/x', key: short }), 401, msg);
    });

    it('with GATEHOUSE_API_KEY_IN_QUERY=false, ?key= is not a credential', async () => {
      const t2 = await startGatehouse(dialect, 'gateway-401-noquery', { env: { GATEHOUSE_API_KEY_IN_QUERY: 'false' } });
      try {
        const tk = await adminToken(t2, await registerPartner(t2));
        await createService(t2, tk, { name: 'API', routePrefix: '/api' });
        const key = await createKey(t2, tk);
        expectKong(await authz(t2, { uri: `/api/x?key=${key}` }), 401, 'Unauthorized');
        expect((await authz(t2, { uri: '/api/x', key })).status).toBe(200);
      } finally {
        await t2.close();
      }
    });
  });
}
