/**
 * POST /api/auth/access-token → 401: one generic problem for every wrong credential, and the
 * failures count towards the same lockout as Kaltura's user.loginByLoginId.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { api, expectProblem } from '../support/rest.js';

const { user } = kaltura.services;

for (const dialect of DIALECTS) {
  describe(`POST /api/auth/access-token 401 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    const token = (username: string, password: string, partnerId?: number) =>
      api(t, 'POST', '/api/auth/access-token', { body: { username, password, ...(partnerId !== undefined ? { partnerId } : {}) } });

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-token-401');
      p = await registerPartner(t);
      const ks = await adminKs(t, p);
      await run(client(t, ks), user.add(new kaltura.objects.User({ id: 'blocked', email: 'blocked@uni.test', password: 'amber-field-sparrow-1', status: 0 })));
      await run(client(t, ks), user.add(new kaltura.objects.User({ id: 'locky', email: 'locky@uni.test', password: 'lockout-secret-42-x' })));
    });
    afterAll(() => t?.close());

    it('wrong password, unknown login, blocked user and a foreign partner all read the same', async () => {
      const answers = [
        await token(p.adminEmail, 'not-the-password'),
        await token('nobody@uni.test', p.password),
        await token('blocked@uni.test', 'amber-field-sparrow-1'),
        await token(p.adminEmail, p.password, 424242),
      ];
      for (const r of answers) {
        expectProblem(r, 401, 'INVALID_CREDENTIALS');
        expect(r.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
      }
      expect(new Set(answers.map((r) => r.text)).size).toBe(1);
      expect(answers[0]!.json.detail).toBe('Invalid username or password');
    });

    it('failures count towards the lockout shared with Kaltura loginByLoginId', async () => {
      for (let i = 0; i < 3; i++) expectProblem(await token('locky@uni.test', `wrong-${i}`), 401, 'INVALID_CREDENTIALS');
      // The fourth and fifth wrong guesses come through the Kaltura door: one counter.
      for (let i = 3; i < 5; i++) expect((await failure(client(t), user.loginByLoginId('locky@uni.test', `wrong-${i}`))).code).toBe('USER_WRONG_PASSWORD');
      // Locked: the right password is refused by both doors, with the same generic answers.
      expectProblem(await token('locky@uni.test', 'lockout-secret-42-x'), 401, 'INVALID_CREDENTIALS');
      expect((await failure(client(t), user.loginByLoginId('locky@uni.test', 'lockout-secret-42-x'))).code).toBe('USER_WRONG_PASSWORD');
      t.clock.advance(1801);
      expect((await token('locky@uni.test', 'lockout-secret-42-x')).status).toBe(200);
    });

    it('failures are audited as auth.accessToken, never with the password', async () => {
      const rows = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.accessToken').where('outcome', '=', 'failure').execute();
      expect(rows.length).toBeGreaterThanOrEqual(7);
      expect(rows.map((r) => JSON.parse(r.detail).reason)).toEqual(expect.arrayContaining(['wrong password', 'unknown login', 'user blocked', 'locked']));
      const all = JSON.stringify(await t.store.db.selectFrom('audit_log').selectAll().execute());
      for (const secret of ['not-the-password', 'wrong-0', 'lockout-secret-42-x', p.password, 'amber-field-sparrow-1']) expect(all).not.toContain(secret);
    });

    it('bodies are validated: missing fields and unknown properties are 400, never 5xx', async () => {
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: p.adminEmail } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: p.adminEmail, password: 'x', admin: true } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: 1, password: 'x' } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: 'a', password: 'b', partnerId: '100' } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/auth/access-token', { body: { username: p.adminEmail, password: 'wrong', partnerId: 1e20 } }), 400, 'INVALID_REQUEST');
    });
  });
}
