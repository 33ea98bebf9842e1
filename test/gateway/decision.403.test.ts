/**
 * `/authz/api` → 403 "You cannot consume this service" when the credential is good but may not
 * call the service: a consumer without one of its allowedGroups (a service without groups admits
 * no consumer), an API key limited to other services or lacking a required permission; also no
 * service matching the path, a blocked partner. A location pinned to another partner → 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, createKey } from '../support/rest.js';
import { authz, createConsumer, createService, expectKong, grant, sunbirdToken } from '../support/consumer.js';

const USER_MANAGEMENT = '01968c91-8789-7288-a337-f0e398711aac';
const DENIED = 'You cannot consume this service';

for (const dialect of DIALECTS) {
  describe(`gateway 403 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    let jwt: string;
    const s: Record<string, string> = {};
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-403');
      p = await registerPartner(t);
      token = await adminToken(t, p);
      s.content = await createService(t, token, { name: 'Content', routePrefix: '/content', allowedGroups: ['contentUser', 'contentAdmin'] });
      s.users = await createService(t, token, { name: 'Users', routePrefix: '/users', allowedGroups: ['userAdmin'], requiredPermissions: [USER_MANAGEMENT] });
      s.open = await createService(t, token, { name: 'No groups', routePrefix: '/open' });
      const c = await createConsumer(t, token, 'portal');
      await grant(t, token, 'portal', ['contentUser']);
      jwt = sunbirdToken(c.key, c.secret);
    });
    afterAll(() => t?.close());

    it('consumers: one shared group admits, none refuses; no groups on the service admits nobody', async () => {
      expect((await authz(t, { uri: '/content/read', token: jwt })).status).toBe(200);
      expectKong(await authz(t, { uri: '/users/list', token: jwt }), 403, DENIED);
      expectKong(await authz(t, { uri: '/open/x', token: jwt }), 403, DENIED);
      await grant(t, token, 'portal', ['userAdmin']);
      expect((await authz(t, { uri: '/users/list', token: jwt })).status).toBe(200);
      expectKong(await authz(t, { uri: '/content/read', token: jwt }), 403, DENIED);
      await grant(t, token, 'portal', ['contentUser']);
    });

    it('every refusal names its neutral reason in X-Gatehouse-Reason, the status is the door\'s', async () => {
      const denied = await authz(t, { uri: '/users/list', token: jwt });
      expect([denied.status, denied.headers.get('x-gatehouse-reason')]).toEqual([403, 'not_allowed']);
      const none = await authz(t, { uri: '/nowhere/x', token: jwt });
      expect([none.status, none.headers.get('x-gatehouse-reason')]).toEqual([403, 'no_service']);
      const bad = await authz(t, { uri: '/content/read', token: `${jwt}x` });
      expect([bad.status, bad.headers.get('x-gatehouse-reason')]).toEqual([401, 'invalid_credential']);
    });

    it('API keys: services limit them, required permissions must all be held', async () => {
      const anyService = await createKey(t, token);
      expect((await authz(t, { uri: '/content/x', key: anyService })).status).toBe(200);
      expect((await authz(t, { uri: '/open/x', key: anyService })).status).toBe(200);
      expectKong(await authz(t, { uri: '/users/x', key: anyService }), 403, DENIED);
      const userMgmt = await createKey(t, token, { permissions: [USER_MANAGEMENT] });
      expect((await authz(t, { uri: '/users/x', key: userMgmt })).status).toBe(200);
      const partial = await createKey(t, token, { permissions: ['ADMIN_BASE'] });
      expectKong(await authz(t, { uri: '/users/x', key: partial }), 403, DENIED);
      const onlyContent = await createKey(t, token, { services: [s.content], permissions: [USER_MANAGEMENT] });
      expect((await authz(t, { uri: '/content/x', key: onlyContent })).status).toBe(200);
      expectKong(await authz(t, { uri: '/users/x', key: onlyContent }), 403, DENIED);
    });

    it('no service of the partner matches the path', async () => {
      expectKong(await authz(t, { uri: '/elsewhere', token: jwt }), 403, 'No service matches this request');
      expectKong(await authz(t, { uri: '/contents', token: jwt }), 403, 'No service matches this request');
      // Services are per partner: another partner's services never match this partner's credentials.
      const other = await adminToken(t, await registerPartner(t, 'Other'));
      await createService(t, other, { name: 'Theirs', routePrefix: '/theirs', allowedGroups: ['contentUser'] });
      expectKong(await authz(t, { uri: '/theirs/x', token: jwt }), 403, 'No service matches this request');
    });

    it('a pinned location (X-Gatehouse-Partner) knows no other partner\'s credentials', async () => {
      expect((await authz(t, { uri: '/content/x', token: jwt, headers: { 'x-gatehouse-partner': String(p.id) } })).status).toBe(200);
      expectKong(await authz(t, { uri: '/content/x', token: jwt, headers: { 'x-gatehouse-partner': String(p.id + 1) } }), 401, "No credentials found for given 'iss'");
      const key = await createKey(t, token);
      expectKong(await authz(t, { uri: '/content/x', key, headers: { 'x-gatehouse-partner': '1' } }), 401, 'Invalid authentication credentials');
      expectKong(await authz(t, { uri: '/content/x', key, headers: { 'x-gatehouse-partner': 'abc' } }), 400);
    });

    it('a blocked partner\'s credentials are refused', async () => {
      const q = await registerPartner(t, 'Blocked');
      const qt = await adminToken(t, q);
      await createService(t, qt, { name: 'All', routePrefix: '/' });
      const key = await createKey(t, qt);
      expect((await authz(t, { uri: '/x', key })).status).toBe(200);
      await t.store.db.updateTable('partners').set({ status: 3 }).where('id', '=', q.id).execute();
      await t.gh.directory.changed('partner', String(q.id));
      expectKong(await authz(t, { uri: '/x', key }), 403, 'The partner of this credential is blocked');
    });
  });
}
