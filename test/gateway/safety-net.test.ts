/**
 * The credential caches' safety net under the change feed (src/cache/record-cache.ts), on a real
 * database: a change written behind the caches' backs (as if its invalidation were lost) is not
 * seen until a credential's once-a-minute re-read, which runs in the background — the request that
 * finds it due is answered from the held record — and then is. Unchanged credentials go on being
 * granted across their re-reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { adminToken, createKey } from '../support/rest.js';
import { authz, createConsumer, createService, grant, sunbirdToken } from '../support/consumer.js';

/** Polls until the answer's status is `status` (the re-read is a background batch: ~20 ms and a query). */
async function eventually(call: () => Promise<{ status: number }>, status: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const r = await call();
    if (r.status === status || Date.now() - started > 3000) return r.status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const dialect of DIALECTS) {
  describe(`gateway credential re-read [${dialect}]`, () => {
    let t: TestGatehouse;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'gateway-safety-net');
      token = await adminToken(t, await registerPartner(t));
      await createService(t, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
    });
    afterAll(() => t?.close());

    it('a change whose invalidation was lost takes effect at the next re-read, not before; unchanged credentials stay granted', async () => {
      const changed = await createConsumer(t, token, 'changed-app');
      const steady = await createConsumer(t, token, 'steady-app');
      for (const u of ['changed-app', 'steady-app']) await grant(t, token, u, ['apps']);
      const revokedKey = await createKey(t, token);
      const steadyKey = await createKey(t, token);
      const jwt = (c: { key: string; secret: string }) => () => authz(t, { uri: '/api/x', token: sunbirdToken(c.key, c.secret) });
      const key = (k: string) => () => authz(t, { uri: '/api/x', key: k });
      // The feed delivers the set-up's own invalidations (grants, new credentials) first, and a
      // scheduled pass that read them at the same time has ended.
      await t.gh.sync.tick();
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const call of [jwt(changed), jwt(steady), key(revokedKey), key(steadyKey)]) expect((await call()).status).toBe(200);

      // Behind the caches' backs: no change-feed entry, as if the invalidation never arrived.
      const now = Math.floor(t.clock.nowMs() / 1000);
      await t.store.db.updateTable('consumer_credentials').set({ deprecated_at: now }).where('key', '=', changed.key).execute();
      const keyRows = await t.store.db.selectFrom('api_keys').select(['id', 'start']).execute();
      const revokedRow = keyRows.find((r) => revokedKey.startsWith(r.start) && !steadyKey.startsWith(r.start));
      expect(revokedRow).toBeDefined();
      await t.store.db.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', revokedRow!.id).execute();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await jwt(changed)()).status).toBe(200);
      expect((await key(revokedKey)()).status).toBe(200);

      // A minute later the records are due: the request that finds them due is still answered
      // from them, and the background re-read brings the change.
      t.clock.advance(61);
      expect((await jwt(changed)()).status).toBe(200);
      expect((await key(revokedKey)()).status).toBe(200);
      expect(await eventually(jwt(changed), 401)).toBe(401);
      expect(await eventually(key(revokedKey), 401)).toBe(401);
      for (let minute = 0; minute < 3; minute++) {
        t.clock.advance(61);
        for (const call of [jwt(steady), key(steadyKey)]) {
          expect((await call()).status).toBe(200);
          await new Promise((resolve) => setTimeout(resolve, 60));
          expect((await call()).status).toBe(200);
        }
      }
      expect((await jwt(changed)()).status).toBe(401);
      expect((await key(revokedKey)()).status).toBe(401);
    });
  });
}
