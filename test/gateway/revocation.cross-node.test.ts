/**
 * Two Gatehouse nodes on one database, each with the production cache-sync interval (500 ms): a
 * write on node A — revoked API key, deleted consumer, deprecated credential, new groups, changed
 * service, new credential after a cached miss — changes node B's decisions within one second,
 * while B otherwise decides from its caches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, api, createKey } from '../support/rest.js';
import { authz, createConsumer, createService, expectEnvelope, grant, sunbird, sunbirdToken, type AuthzCall } from '../support/consumer.js';

const SYNC_MS = 500;
const BOUND_MS = 1000;

for (const dialect of DIALECTS) {
  describe(`gateway cross-node revocation [${dialect}]`, () => {
    let a: TestGatehouse;
    let b: TestGatehouse;
    let token: string;
    beforeAll(async () => {
      a = await startGatehouse(dialect, 'gateway-nodes', { syncIntervalMs: SYNC_MS });
      b = await startGatehouse(dialect, 'gateway-nodes-b', { share: a, syncIntervalMs: SYNC_MS });
      token = await adminToken(a, await registerPartner(a));
      await createService(a, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    /** Polls node B until it answers `status`; returns how long that took after the write. */
    async function untilOnB(call: AuthzCall, status: number): Promise<number> {
      const started = Date.now();
      for (;;) {
        const r = await authz(b, call);
        if (r.status === status) return Date.now() - started;
        if (Date.now() - started > 3 * BOUND_MS) throw new Error(`node B still answers ${r.status} ${r.text}`);
        await new Promise((res) => setTimeout(res, 25));
      }
    }

    async function warm(call: AuthzCall): Promise<void> {
      expect((await untilOnB(call, 200)) >= 0).toBe(true);
      expect((await authz(b, call)).status).toBe(200);
    }

    it('a revoked API key', async () => {
      const key = await createKey(a, token);
      await warm({ uri: '/api/x', key });
      const id = (await api(a, 'GET', '/api/auth/api-keys', { token })).json.data.find((k: { start: string }) => k.start === key.slice(0, 9)).id;
      expect((await api(a, 'DELETE', `/api/auth/api-keys/${id}`, { token })).status).toBe(204);
      expect(await untilOnB({ uri: '/api/x', key }, 401)).toBeLessThan(BOUND_MS);
    });

    it('a deleted consumer and a deprecated credential', async () => {
      const gone = await createConsumer(a, token, 'gone');
      const old = await createConsumer(a, token, 'old');
      for (const u of ['gone', 'old']) await grant(a, token, u, ['apps']);
      await warm({ uri: '/api/x', token: sunbirdToken(gone.key, gone.secret) });
      await warm({ uri: '/api/x', token: sunbirdToken(old.key, old.secret) });
      expectEnvelope(await sunbird(a, 'gone/delete', {}, { token }), 200, 'consumer.delete');
      expect(await untilOnB({ uri: '/api/x', token: sunbirdToken(gone.key, gone.secret) }, 401)).toBeLessThan(BOUND_MS);
      expectEnvelope(await sunbird(a, 'credential/deprecate', { key: old.key }, { token }), 200, 'credential.deprecate');
      expect(await untilOnB({ uri: '/api/x', token: sunbirdToken(old.key, old.secret) }, 401)).toBeLessThan(BOUND_MS);
    });

    it('new groups, a changed service, and a credential created after a cached miss', async () => {
      const c = await createConsumer(a, token, 'regrouped');
      await grant(a, token, 'regrouped', ['apps']);
      const jwt = sunbirdToken(c.key, c.secret);
      await warm({ uri: '/api/x', token: jwt });
      await grant(a, token, 'regrouped', ['others']);
      expect(await untilOnB({ uri: '/api/x', token: jwt }, 403)).toBeLessThan(BOUND_MS);

      const id = await createService(a, token, { name: 'Moving', routePrefix: '/moving', allowedGroups: ['others'] });
      await warm({ uri: '/moving/x', token: jwt });
      expect((await api(a, 'PATCH', `/api/services/${id}`, { token, body: { routePrefix: '/moved' } })).status).toBe(200);
      expect(await untilOnB({ uri: '/moving/x', token: jwt }, 403)).toBeLessThan(BOUND_MS);
      expect((await authz(b, { uri: '/moved/x', token: jwt })).status).toBe(200);

      // Node B looks the key up before it exists (a cached miss), then node A registers it.
      const early = { uri: '/moved/x', token: sunbirdToken('registered-later', 'x') };
      expect((await authz(b, early)).status).toBe(401);
      const reg = expectEnvelope(await sunbird(a, 'regrouped/credential/register', { key: 'registered-later' }, { token }), 200, 'credential.register');
      expect(await untilOnB({ uri: '/moved/x', token: sunbirdToken('registered-later', reg.secret) }, 200)).toBeLessThan(BOUND_MS);
    });
  });
}

// PostgreSQL: LISTEN/NOTIFY wakes the other node, so the bound holds even with a poll that would
// take a minute; SQLite (one file, normally one node) relies on the poll alone.
describe.skipIf(!DIALECTS.includes('postgres'))('gateway cross-node revocation by NOTIFY [postgres]', () => {
  let a: TestGatehouse;
  let b: TestGatehouse;
  beforeAll(async () => {
    a = await startGatehouse('postgres', 'gateway-notify', { syncIntervalMs: 60_000 });
    b = await startGatehouse('postgres', 'gateway-notify-b', { share: a, syncIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a revoked key and a deleted consumer stop on the other node within a second, without polling', async () => {
    const token = await adminToken(a, await registerPartner(a));
    await createService(a, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
    const c = await createConsumer(a, token, 'notified');
    await grant(a, token, 'notified', ['apps']);
    const key = await createKey(a, token);
    const jwt = sunbirdToken(c.key, c.secret);
    // Node B saw none of these writes by polling; the notifications dropped its negative entries.
    const warmB = async (call: AuthzCall) => {
      const started = Date.now();
      while ((await authz(b, call)).status !== 200) {
        if (Date.now() - started > BOUND_MS) throw new Error('node B never admitted the new credential');
        await new Promise((res) => setTimeout(res, 25));
      }
    };
    await warmB({ uri: '/api/x', key });
    await warmB({ uri: '/api/x', token: jwt });

    const id = (await api(a, 'GET', '/api/auth/api-keys', { token })).json.data.find((k: { start: string }) => k.start === key.slice(0, 9)).id;
    expect((await api(a, 'DELETE', `/api/auth/api-keys/${id}`, { token })).status).toBe(204);
    expectEnvelope(await sunbird(a, 'notified/delete', {}, { token }), 200, 'consumer.delete');
    const started = Date.now();
    for (const call of [{ uri: '/api/x', key }, { uri: '/api/x', token: jwt }]) {
      while ((await authz(b, call)).status !== 401) {
        if (Date.now() - started > BOUND_MS) throw new Error('node B still admits a revoked credential');
        await new Promise((res) => setTimeout(res, 25));
      }
    }
    expect(Date.now() - started).toBeLessThan(BOUND_MS);
  });
});
