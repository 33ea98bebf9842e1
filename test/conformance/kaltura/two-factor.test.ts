/**
 * Kaltura's `otp` through the official client (issue 18): user.loginByLoginId and
 * partner.getSecrets answer MISSING_OTP / INVALID_OTP where a code is needed — after the right
 * password only — accept a good code once (replay refused), a recovery code once, and count
 * missing and wrong codes on the login's lockout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorToken } from '../../support/console.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';
import { BEHIND_PROXY, counterRow, fromAddress } from '../../support/login-attempts.js';
import { accessToken, adminToken, api } from '../../support/rest.js';
import { codeFor, enrol, nextStep, wrongCode } from '../../support/two-factor.js';

const { user, partner } = kaltura.services;
const MISSING = { code: 'MISSING_OTP', message: 'OTP is missing', objectType: 'KalturaAPIException', args: [] };
const INVALID = { code: 'INVALID_OTP', message: 'OTP provided failed to validate', objectType: 'KalturaAPIException', args: [] };
const WRONG_PASSWORD = { code: 'USER_WRONG_PASSWORD', message: 'Wrong password supplied', objectType: 'KalturaAPIException', args: [] };
const KS = /^djJ8/;

for (const dialect of DIALECTS) {
  describe(`otp of user.loginByLoginId and partner.getSecrets [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let secret: string;
    let recovery: string[];
    const login = (otp: string | null, ip = '198.51.100.1', password = p.password) => fromAddress(user.loginByLoginId(p.adminEmail, password, p.id, 86400, '*', otp), ip);
    const secrets = (otp: string | null, ip = '198.51.100.2') => fromAddress(partner.getSecrets(p.id, p.adminEmail, p.password, otp), ip);

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'kaltura-otp', { env: { ...BEHIND_PROXY, GATEHOUSE_LOGIN_THROTTLE: '0' } });
      p = await registerPartner(t);
      ({ secret, recoveryCodes: recovery } = await enrol(t, await adminToken(t, p)));
    });
    afterAll(() => t?.close());

    it('an enrolled login: MISSING_OTP without a code, INVALID_OTP with a wrong one, a KS with the right one', async () => {
      expect(await failure(client(t), login(null))).toEqual(MISSING);
      expect(await failure(client(t), login(''))).toEqual(MISSING);
      expect(await failure(client(t), login(wrongCode(t, secret)))).toEqual(INVALID);
      expect(await failure(client(t), login('not-a-code'))).toEqual(INVALID);
      expect(await run(client(t), login(codeFor(t, secret)))).toMatch(KS);
    });

    it('the code is checked only after the right password: a wrong password reads as one, code or not', async () => {
      expect(await failure(client(t), login(null, '198.51.100.3', 'wrong-password'))).toEqual(WRONG_PASSWORD);
      expect(await failure(client(t), login(codeFor(t, secret, 1), '198.51.100.3', 'wrong-password'))).toEqual(WRONG_PASSWORD);
    });

    it('a code is accepted once (replay refused), the previous and next step too, not two steps away', async () => {
      nextStep(t);
      const code = codeFor(t, secret);
      expect(await run(client(t), login(code))).toMatch(KS);
      expect(await failure(client(t), login(code))).toEqual(INVALID);
      // The next step's code (a phone a little ahead) is good once; then the current one is older than it.
      nextStep(t);
      expect(await run(client(t), login(codeFor(t, secret, 1)))).toMatch(KS);
      expect(await failure(client(t), login(codeFor(t, secret)))).toEqual(INVALID);
      // Two steps ahead is outside the window; one step behind is good while it is after the last accepted.
      nextStep(t);
      expect(await failure(client(t), login(codeFor(t, secret, 2)))).toEqual(INVALID);
      // (one step behind is older than the step accepted last)
      expect(await failure(client(t), login(codeFor(t, secret, -1)))).toEqual(INVALID);
      nextStep(t);
      nextStep(t);
      expect(await run(client(t), login(codeFor(t, secret, -1)))).toMatch(KS);
    });

    it('a recovery code is accepted once, typed in any case and grouping', async () => {
      const [first, second] = recovery as [string, string];
      expect(await run(client(t), login(first))).toMatch(KS);
      expect(await failure(client(t), login(first))).toEqual(INVALID);
      expect(await run(client(t), login(second.replaceAll('-', '').toLowerCase()))).toMatch(KS);
      expect(await failure(client(t), login(second))).toEqual(INVALID);
    });

    it('partner.getSecrets asks for the code the same way', async () => {
      expect(await failure(client(t), secrets(null))).toEqual(MISSING);
      expect(await failure(client(t), secrets(wrongCode(t, secret)))).toEqual(INVALID);
      nextStep(t);
      const code = codeFor(t, secret);
      const got = await run(client(t), secrets(code));
      expect(got).toMatchObject({ id: p.id, adminSecret: p.adminSecret });
      expect(await failure(client(t), secrets(code))).toEqual(INVALID);
      expect(await run(client(t), secrets(recovery[2]!))).toMatchObject({ adminSecret: p.adminSecret });
    });

    it('missing and wrong codes count on the login lockout: after maxLoginAttempts the right code is refused', async () => {
      const ip = '198.51.100.9';
      expect(await failure(client(t), login(null, ip))).toEqual(MISSING);
      for (let i = 0; i < 4; i++) expect(await failure(client(t), login(wrongCode(t, secret), ip))).toEqual(INVALID);
      expect(await counterRow(t, 'login_address', p.adminEmail.toLowerCase(), ip)).toMatchObject({ failures: 5 });
      nextStep(t);
      // Locked for this address: answered as a wrong password, with nothing checked.
      expect(await failure(client(t), login(codeFor(t, secret), ip))).toEqual(WRONG_PASSWORD);
      // Another address is not locked by these.
      expect(await run(client(t), login(codeFor(t, secret), '198.51.100.10'))).toMatch(KS);
      t.clock.advance(1801);
      expect(await run(client(t), login(codeFor(t, secret), ip))).toMatch(KS);
    });

    it('user.updateLoginData asks for the code of an enrolled login after the right password', async () => {
      const email = 'ben-otp@uni.test';
      const password = 'plain-meadow-cloud-17';
      await run(client(t, await adminKs(t, p)), user.add(new kaltura.objects.User({ id: 'ben-otp', email, password })));
      const ben = await enrol(t, await accessToken(t, email, password));
      const update = (otp: string | null, pw = password) => fromAddress(user.updateLoginData(email, pw, '', 'new-valley-lights-93', '', '', otp), '198.51.100.30');
      expect(await failure(client(t), update(null))).toEqual(MISSING);
      expect(await failure(client(t), update(wrongCode(t, ben.secret)))).toEqual(INVALID);
      expect((await failure(client(t), update(codeFor(t, ben.secret), 'wrong-password'))).code).toBe('WRONG_OLD_PASSWORD');
      await run(client(t), update(codeFor(t, ben.secret)));
      nextStep(t);
      expect(await run(client(t), fromAddress(user.loginByLoginId(email, 'new-valley-lights-93', p.id, 86400, '*', codeFor(t, ben.secret)), '198.51.100.30'))).toMatch(KS);
    });

    it("the partner's twoFactor setting: a user it covers who has no codes answers MISSING_OTP / INVALID_OTP", async () => {
      const email = 'ana-otp@uni.test';
      const password = 'plain-river-stone-42';
      await run(client(t, await adminKs(t, p)), user.add(new kaltura.objects.User({ id: 'ana-otp', email, password })));
      const ana = (otp: string | null) => fromAddress(user.loginByLoginId(email, password, p.id, 86400, '*', otp), '198.51.100.20');
      expect(await run(client(t), ana(null))).toMatch(KS);
      const op = await operatorToken(t);
      const set = async (mode: string) => expect((await api(t, 'PATCH', `/api/partners/${p.id}`, { token: op, body: { settings: { twoFactor: mode } } })).status).toBe(200);
      await set('non_admins');
      expect(await failure(client(t), ana(null))).toEqual(MISSING);
      expect(await failure(client(t), ana('123456'))).toEqual(INVALID);
      // 'admins' does not cover her; the admin still needs his code (he has set codes up).
      await set('admins');
      expect(await run(client(t), ana(null))).toMatch(KS);
      expect(await failure(client(t), login(null, '198.51.100.21'))).toEqual(MISSING);
      await set('off');
      expect(await run(client(t), ana(null))).toMatch(KS);
    });
  });
}
