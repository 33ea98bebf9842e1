/**
 * POST /api/auth/access-token and the sign-in budgets it shares with Kaltura's loginByLoginId
 * (issue 15, points 4 and 5): the lockout race, equal cost of locked / unknown / wrong, lockout per
 * login and client address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { BEHIND_PROXY, countPasswordChecks, counterRow, storedHash, type PasswordChecks } from '../support/login-attempts.js';
import { api, expectProblem } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`POST /api/auth/access-token lockout [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let checks: PasswordChecks;
    const token = (username: string, password: string, ip: string) =>
      api(t, 'POST', '/api/auth/access-token', { body: { username, password }, headers: { 'x-forwarded-for': ip } });
    const addUser = async (id: string) => {
      const email = `${id}@uni.test`;
      const password = `amber-field-sparrow-${id.length}-Q`;
      await run(client(t, await adminKs(t, p)), kaltura.services.user.add(new kaltura.objects.User({ id, email, password })));
      return { email, password, hash: await storedHash(t, email) };
    };

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-token-lockout', { env: { ...BEHIND_PROXY, GATEHOUSE_LOGIN_THROTTLE: '0' } });
      p = await registerPartner(t);
      checks = countPasswordChecks();
    });
    afterAll(async () => {
      checks?.restore();
      await t?.close();
    });

    it('100 concurrent requests (99 wrong, 1 right): 5 passwords checked, the failures stay counted, the login ends locked', async () => {
      const u = await addUser('rest-racer');
      const ip = '203.0.113.30';
      checks.reset();
      const passwords = Array.from({ length: 100 }, (_, i) => (i === 61 ? u.password : `wrong-guess-${i}`));
      const answers = await Promise.all(passwords.map((pw) => token(u.email, pw, ip)));
      const successes = answers.filter((r) => r.status === 200).length;
      expect(successes).toBeLessThanOrEqual(1);
      for (const r of answers) if (r.status !== 200) expectProblem(r, 401, 'INVALID_CREDENTIALS');
      expect(checks.against(u.hash)).toBe(5);
      expect(checks.total()).toBe(100);
      const row = await counterRow(t, 'login_address', u.email, ip);
      expect(row).toMatchObject({ failures: successes ? 99 : 100, pending: 0 });
      expect(row!.failures - row!.cleared).toBeGreaterThanOrEqual(95);
      expectProblem(await token(u.email, u.password, ip), 401, 'INVALID_CREDENTIALS');
      t.clock.advance(1801);
      expect((await token(u.email, u.password, ip)).status).toBe(200);
    });

    it('locked, unknown and wrong all answer the same 401 after one argon2 verification each', async () => {
      const locked = await addUser('rest-locked');
      const open = await addUser('rest-open');
      const ip = '203.0.113.31';
      for (let i = 0; i < 5; i++) expectProblem(await token(locked.email, `wrong-${i}`, ip), 401, 'INVALID_CREDENTIALS');
      const cases = [
        { send: () => token(open.email, 'not-the-password', ip), real: open.hash, realChecks: 1 },
        { send: () => token(locked.email, locked.password, ip), real: locked.hash, realChecks: 0 },
        { send: () => token('nobody-here@uni.test', locked.password, ip), real: locked.hash, realChecks: 0 },
      ];
      const bodies = new Set<string>();
      for (const c of cases) {
        checks.reset();
        const r = await c.send();
        expectProblem(r, 401, 'INVALID_CREDENTIALS');
        bodies.add(r.text);
        expect([checks.total(), checks.against(c.real)]).toEqual([1, c.realChecks]);
      }
      expect(bodies.size).toBe(1);
    });

    it('failures from one address do not lock the owner out on another', async () => {
      const u = await addUser('rest-roamer');
      for (let i = 0; i < 5; i++) expectProblem(await token(u.email, `wrong-${i}`, '198.51.100.11'), 401, 'INVALID_CREDENTIALS');
      expectProblem(await token(u.email, u.password, '198.51.100.11'), 401, 'INVALID_CREDENTIALS');
      expect((await token(u.email, u.password, '198.51.100.12')).status).toBe(200);
    });
  });
}
