/**
 * POST /api/auth/access-token → 429: the per-address sign-in throttle (GATEHOUSE_LOGIN_THROTTLE),
 * counted in the database so that two nodes share one budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { BEHIND_PROXY } from '../support/login-attempts.js';
import { api, expectProblem } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`POST /api/auth/access-token 429 [${dialect}]`, () => {
    let t: TestGatehouse;
    let second: TestGatehouse;
    let p: TestPartner;
    const token = (node: TestGatehouse, username: string, password: string, ip: string) =>
      api(node, 'POST', '/api/auth/access-token', { body: { username, password }, headers: { 'x-forwarded-for': ip } });

    beforeAll(async () => {
      const env = { ...BEHIND_PROXY, GATEHOUSE_LOGIN_THROTTLE: '4' };
      t = await startGatehouse(dialect, 'rest-token-429', { env });
      // A second node on the same database (and clock).
      second = await startGatehouse(dialect, 'rest-token-429', { env, share: t });
      p = await registerPartner(t);
    });
    afterAll(async () => {
      await second?.close();
      await t?.close();
    });

    it('over GATEHOUSE_LOGIN_THROTTLE failed sign-ins a minute, an address gets 429 problem+json with Retry-After, whichever login it names', async () => {
      const ip = '203.0.113.40';
      // Four failures, two on each node, naming different logins: one budget for the address.
      expectProblem(await token(t, p.adminEmail, 'wrong-Password-1', ip), 401, 'INVALID_CREDENTIALS');
      expectProblem(await token(second, 'nobody@uni.test', 'wrong-Password-2', ip), 401, 'INVALID_CREDENTIALS');
      expectProblem(await token(t, 'somebody@uni.test', 'wrong-Password-3', ip), 401, 'INVALID_CREDENTIALS');
      expectProblem(await token(second, p.adminEmail, 'wrong-Password-4', ip), 401, 'INVALID_CREDENTIALS');
      for (const node of [t, second]) {
        const r = await token(node, p.adminEmail, p.password, ip);
        expectProblem(r, 429, 'LOGIN_THROTTLED');
        expect(r.json.detail).toMatch(/^Too many failed sign-in attempts from your address; try again in \d+ seconds$/);
        const retry = r.headers.get('retry-after');
        expect(retry).toMatch(/^\d+$/);
        expect(Number(retry)).toBeGreaterThanOrEqual(1);
        expect(Number(retry)).toBeLessThanOrEqual(60);
      }
      // Another address is unaffected; after the minute this one may sign in again.
      expect((await token(t, p.adminEmail, p.password, '203.0.113.41')).status).toBe(200);
      t.clock.advance(60);
      expect((await token(t, p.adminEmail, p.password, ip)).status).toBe(200);
    });

    it('throttled attempts are audited as such, without the password', async () => {
      const rows = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.accessToken').where('outcome', '=', 'failure').execute();
      expect(rows.map((r) => JSON.parse(r.detail).reason)).toEqual(expect.arrayContaining(['throttled', 'unknown login', 'wrong password']));
      expect(JSON.stringify(rows)).not.toContain(p.password);
    });

    it('the OpenAPI document lists the 429', async () => {
      const doc = (await api(t, 'GET', '/docs/json')).json;
      expect(Object.keys(doc.paths['/api/auth/access-token'].post.responses)).toContain('429');
    });
  });
}
