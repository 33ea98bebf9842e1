/**
 * user.loginByLoginId's sign-in budgets through the official client, on every dialect (issue 15,
 * points 4 and 5): the lockout race, equal cost of locked / unknown / wrong, lockout per login and
 * client address, the per-login ceiling and the per-address throttle.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';
import { BEHIND_PROXY, countPasswordChecks, counterRow, fromAddress, storedHash, type PasswordChecks } from '../../support/login-attempts.js';

const { user, partner } = kaltura.services;
const WRONG = { code: 'USER_WRONG_PASSWORD', message: 'Wrong password supplied', objectType: 'KalturaAPIException', args: [] };

for (const dialect of DIALECTS) {
  describe(`user.loginByLoginId sign-in budgets [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let checks: PasswordChecks;
    const login = (loginId: string, password: string, ip: string) => fromAddress(user.loginByLoginId(loginId, password), ip);
    const addUser = async (id: string) => {
      const email = `${id}@uni.test`;
      const password = `quiet-harbor-lamp-${id.length}-Zx`;
      await run(client(t, await adminKs(t, p)), user.add(new kaltura.objects.User({ id, email, password })));
      return { email, password, hash: await storedHash(t, email) };
    };

    beforeAll(async () => {
      // No throttle here (its own suite below); a ceiling of 10 failures per login across addresses.
      t = await startGatehouse(dialect, 'login-lockout', { env: { ...BEHIND_PROXY, GATEHOUSE_LOGIN_THROTTLE: '0', GATEHOUSE_LOGIN_CEILING: '10' } });
      p = await registerPartner(t);
      checks = countPasswordChecks();
    });
    afterAll(async () => {
      checks?.restore();
      await t?.close();
    });

    it('100 concurrent attempts (99 wrong, 1 right): only maxLoginAttempts passwords are checked, every failure stays counted', async () => {
      const u = await addUser('racer');
      const ip = '203.0.113.10';
      checks.reset();
      const passwords = Array.from({ length: 100 }, (_, i) => (i === 37 ? u.password : `wrong-guess-${i}`));
      const results = await Promise.allSettled(passwords.map((pw) => run<string>(client(t), login(u.email, pw, ip))));
      const successes = results.filter((r) => r.status === 'fulfilled').length;
      expect(successes).toBeLessThanOrEqual(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toEqual(WRONG);
      // The check and the reservation are one atomic step: the partner's 5, not 100, real checks...
      expect(checks.against(u.hash)).toBe(5);
      // ...while every attempt still cost one argon2 verification.
      expect(checks.total()).toBe(100);
      // Every wrong guess counted; a success cleared none of those in flight beside it.
      const row = await counterRow(t, 'login_address', u.email, ip);
      expect(row).toMatchObject({ failures: successes ? 99 : 100, pending: 0 });
      expect(row!.failures - row!.cleared).toBeGreaterThanOrEqual(95);
      // The login ends locked for that address: the right password is refused until the block period ends.
      expect(await failure(client(t), login(u.email, u.password, ip))).toEqual(WRONG);
      t.clock.advance(1801);
      expect(await run<string>(client(t), login(u.email, u.password, ip))).toMatch(/^djJ8/);
    });

    it('many concurrent correct sign-ins of one login from one address all succeed and count no failure', async () => {
      // A service account signing in from several workers at once: more attempts than the lock's
      // places are in flight together. They wait for a place; none is refused or counted as a failure.
      const u = await addUser('service-account');
      const ip = '203.0.113.12';
      const results = await Promise.all(Array.from({ length: 12 }, () => run<string>(client(t), login(u.email, u.password, ip))));
      for (const ks of results) expect(ks).toMatch(/^djJ8/);
      expect(await counterRow(t, 'login_address', u.email, ip)).toMatchObject({ failures: 0, pending: 0 });
    });

    it('a locked login and an unknown one cost one argon2 verification, like a wrong password', async () => {
      const locked = await addUser('locked-one');
      const open = await addUser('open-one');
      const ip = '203.0.113.20';
      for (let i = 0; i < 5; i++) expect(await failure(client(t), login(locked.email, `wrong-${i}`, ip))).toEqual(WRONG);

      checks.reset();
      expect(await failure(client(t), login(open.email, 'not-the-password', ip))).toEqual(WRONG);
      expect([checks.total(), checks.against(open.hash)]).toEqual([1, 1]);

      checks.reset();
      expect(await failure(client(t), login(locked.email, locked.password, ip))).toEqual(WRONG);
      // Locked: the dummy hash is verified instead, so the answer takes as long and says as little.
      expect([checks.total(), checks.against(locked.hash)]).toEqual([1, 0]);

      checks.reset();
      expect(await failure(client(t), login('nobody-here@uni.test', locked.password, ip))).toEqual(WRONG);
      expect(checks.total()).toBe(1);
    });

    it('failures from one address do not lock the owner out on another (under the ceiling)', async () => {
      const u = await addUser('roamer');
      for (let i = 0; i < 5; i++) expect(await failure(client(t), login(u.email, `wrong-${i}`, '198.51.100.1'))).toEqual(WRONG);
      expect(await failure(client(t), login(u.email, u.password, '198.51.100.1'))).toEqual(WRONG);
      expect(await run<string>(client(t), login(u.email, u.password, '198.51.100.2'))).toMatch(/^djJ8/);
      // The owner's success elsewhere does not lift the guesser's lock.
      expect(await failure(client(t), login(u.email, u.password, '198.51.100.1'))).toEqual(WRONG);
    });

    it('the per-login ceiling (GATEHOUSE_LOGIN_CEILING) locks the login on every address', async () => {
      const u = await addUser('spread');
      for (const ip of ['192.0.2.1', '192.0.2.2']) for (let i = 0; i < 4; i++) expect(await failure(client(t), login(u.email, `wrong-${ip}-${i}`, ip))).toEqual(WRONG);
      // 8 failures from two addresses: more than the partner's 5, still under the ceiling of 10.
      checks.reset();
      expect(await failure(client(t), login(u.email, 'wrong-ninth', '192.0.2.3'))).toEqual(WRONG);
      expect(checks.against(u.hash)).toBe(1);
      expect(await failure(client(t), login(u.email, 'wrong-tenth', '192.0.2.4'))).toEqual(WRONG);
      // The tenth reached the ceiling: a fresh address with the right password is refused, unchecked.
      checks.reset();
      expect(await failure(client(t), login(u.email, u.password, '192.0.2.5'))).toEqual(WRONG);
      expect([checks.total(), checks.against(u.hash)]).toEqual([1, 0]);
      t.clock.advance(1801);
      expect(await run<string>(client(t), login(u.email, u.password, '192.0.2.5'))).toMatch(/^djJ8/);
    });
  });

  describe(`the per-address sign-in throttle on the Kaltura door [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let checks: PasswordChecks;
    afterEach(() => checks?.reset());

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'login-throttle', { env: { ...BEHIND_PROXY, GATEHOUSE_LOGIN_THROTTLE: '3' } });
      p = await registerPartner(t);
      checks = countPasswordChecks();
    });
    afterAll(async () => {
      checks?.restore();
      await t?.close();
    });

    it('GATEHOUSE_LOGIN_THROTTLE failed sign-ins from one address: then LOGIN_BLOCKED "too many attempts", for any login, until the minute ends', async () => {
      const ip = '203.0.113.77';
      // Three failures naming three logins (one unknown): the budget is the address's.
      for (const loginId of [p.adminEmail, 'someone@uni.test', 'other@uni.test']) expect(await failure(client(t), fromAddress(user.loginByLoginId(loginId, 'wrong-Password-1'), ip))).toEqual(WRONG);
      checks.reset();
      const ex = await failure(client(t), fromAddress(user.loginByLoginId(p.adminEmail, p.password), ip));
      expect(ex).toMatchObject({ code: 'LOGIN_BLOCKED', objectType: 'KalturaAPIException' });
      expect(ex.message).toMatch(/^Too many failed sign-in attempts from your address; try again in \d+ seconds$/);
      // Throttled before anything about the account is looked at: no password check at all.
      expect(checks.total()).toBe(0);
      // partner.getSecrets checks a password too: the same budget, the same answer.
      expect(await failure(client(t), fromAddress(partner.getSecrets(p.id, p.adminEmail, p.password), ip))).toMatchObject({ code: 'LOGIN_BLOCKED' });
      // On the wire: HTTP 200 with the exception, and a Retry-After header.
      const res = await fetch(`${t.url}/api_v3/service/user/action/loginByLoginId?format=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ loginId: p.adminEmail, password: p.password }),
      });
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(await res.json()).toMatchObject({ code: 'LOGIN_BLOCKED' });

      // Another address is not affected.
      expect(await run<string>(client(t), fromAddress(user.loginByLoginId(p.adminEmail, p.password), '203.0.113.78'))).toMatch(/^djJ8/);
      t.clock.advance(60);
      expect(await run<string>(client(t), fromAddress(user.loginByLoginId(p.adminEmail, p.password), ip))).toMatch(/^djJ8/);
    });
  });
}
