/**
 * Who may manage consumers: a partner admin's access token or an API key with CONSUMER_MANAGE.
 * Anonymous or bad credentials → 401 in the envelope (with WWW-Authenticate); a caller without
 * CONSUMER_MANAGE → 403; another partner's consumers do not exist for the caller (404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { accessToken, adminToken, createKey, userWithPermissions } from '../support/rest.js';
import { createConsumer, expectEnvelope, sunbird, sunbirdToken } from '../support/consumer.js';

for (const dialect of DIALECTS) {
  describe(`consumer door auth [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'consumer-auth');
      token = await adminToken(t, await registerPartner(t));
    });
    afterAll(() => t?.close());

    it('anonymous and bad credentials → 401 on every route', async () => {
      for (const path of ['create', 'someone/grant', 'someone/read', 'someone/delete', 'credential/deprecate', 'someone/credential/register']) {
        const action = path === 'create' ? 'consumer.create' : path.endsWith('register') ? 'credential.register' : path.startsWith('credential') ? 'credential.deprecate' : `consumer.${path.split('/')[1]}`;
        const r = await sunbird(t, path, { username: 'x', groups: ['g'], key: 'k' }, { msgid: `m-${path}` });
        expectEnvelope(r, 401, action, 'AUTHENTICATION_REQUIRED');
        expect(r.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
        // The refusal still echoes the request's msgid, as every envelope does.
        expect(r.json.params.msgid).toBe(`m-${path}`);
      }
      // A body that is not JSON: still 401 first (nothing is read before authentication), no msgid.
      const garbage = await fetch(`${t.url}/v1/consumer/create`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
      expect(garbage.status).toBe(401);
      expect(((await garbage.json()) as { params: { msgid: unknown } }).params.msgid).toBeNull();
      expectEnvelope(await sunbird(t, 'create', { username: 'x' }, { token: 'not.a.token' }), 401, 'consumer.create', 'INVALID_ACCESS_TOKEN');
      expectEnvelope(await sunbird(t, 'create', { username: 'x' }, { key: `gh_${'A'.repeat(43)}` }), 401, 'consumer.create', 'INVALID_API_KEY');
      expectEnvelope(await sunbird(t, 'create', { username: 'x' }, { token, key: `gh_${'A'.repeat(43)}` }), 401, 'consumer.create', 'AMBIGUOUS_CREDENTIALS');
      expectEnvelope(await sunbird(t, 'create', { username: 'x' }, { headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'consumer.create', 'AUTHENTICATION_REQUIRED');
    });

    it("a consumer's own JWT is not an admin credential", async () => {
      const { key, secret } = await createConsumer(t, token, 'machine');
      expectEnvelope(await sunbird(t, 'create', { username: 'y' }, { token: sunbirdToken(key, secret) }), 401, 'consumer.create', 'INVALID_ACCESS_TOKEN');
    });

    it('without CONSUMER_MANAGE → 403 PERMISSION_REQUIRED', async () => {
      const p = await registerPartner(t, 'Other');
      const admin = await adminToken(t, p);
      const u = await userWithPermissions(t, p, 'ADMIN_BASE,API_KEY_MANAGE');
      const r = await sunbird(t, 'create', { username: 'x' }, { token: await accessToken(t, u.email, u.password, p.id) });
      expectEnvelope(r, 403, 'consumer.create', 'PERMISSION_REQUIRED');
      expect(r.json.params.msgid).toBe('msg-1');
      const key = await createKey(t, admin, { permissions: ['API_KEY_MANAGE'] });
      expectEnvelope(await sunbird(t, 'x/read', {}, { key }), 403, 'consumer.read', 'PERMISSION_REQUIRED');
      const manager = await userWithPermissions(t, p, 'CONSUMER_MANAGE');
      expectEnvelope(await sunbird(t, 'create', { username: 'x' }, { token: await accessToken(t, manager.email, manager.password, p.id) }), 200, 'consumer.create');
    });

    it("another partner's consumer does not exist for the caller", async () => {
      await createConsumer(t, token, 'mine-only');
      const other = await adminToken(t, await registerPartner(t, 'Third'));
      for (const [path, action] of [['mine-only/read', 'consumer.read'], ['mine-only/grant', 'consumer.grant'], ['mine-only/delete', 'consumer.delete'], ['mine-only/credential/register', 'credential.register']] as const) {
        const r = await sunbird(t, path, { groups: ['g'] }, { token: other });
        expectEnvelope(r, 404, action, 'CONSUMER_GET_ERROR');
      }
      expectEnvelope(await sunbird(t, 'mine-only/read', {}, { token }), 200, 'consumer.read');
    });
  });
}
