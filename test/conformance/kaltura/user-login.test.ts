/** user.loginByLoginId through the official client, on every dialect (protocol §4.3, §4.4, seed 003). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const { user, session } = kaltura.services;
const User = (o: Record<string, unknown>) => new kaltura.objects.User(o);
const WRONG = { code: 'USER_WRONG_PASSWORD', message: 'Wrong password supplied', objectType: 'KalturaAPIException', args: [] };

for (const dialect of DIALECTS) {
  describe(`user.loginByLoginId [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let ks: string;
    const login = (loginId: string, password: string, partnerId: number | null = null, expiry?: number) =>
      user.loginByLoginId(loginId, password, partnerId, expiry);
    /** What an ADMIN KS of the KS's own partner says about it. */
    const describeKs = async (owner: TestPartner, k: string) => run(client(t, await adminKs(t, owner)), session.get(k));

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'user-login');
      p = await registerPartner(t);
      ks = await adminKs(t, p);
      await run(client(t, ks), user.add(User({ id: 'editor', email: 'editor@uni.test', password: 'quiet-harbor-lamp-7', firstName: 'Eddie' })));
    });
    afterAll(() => t?.close());

    it('an admin user gets an ADMIN KS for their partner, with privileges * and the requested expiry', async () => {
      const k = await run<string>(client(t), login(p.adminEmail, p.password, null, 600));
      expect(k).toMatch(/^djJ8/);
      const info = await describeKs(p, k);
      expect(info).toMatchObject({ partnerId: String(p.id), userId: p.adminEmail, sessionType: '2', privileges: '*' });
      expect(Number(info.expiry) - Math.floor(t.clock.nowMs() / 1000)).toBe(600);
      // The session works: the account owner can manage users with it.
      expect(await run(client(t, k), user.get())).toMatchObject({ id: p.adminEmail, isAccountOwner: true });
    });

    it('a non-admin user gets a USER KS', async () => {
      const k = await run<string>(client(t), login('editor@uni.test', 'quiet-harbor-lamp-7'));
      expect(await describeKs(p, k)).toMatchObject({ partnerId: String(p.id), userId: 'editor', sessionType: '0' });
      expect(await run(client(t, k), user.get())).toMatchObject({ id: 'editor', lastLoginTime: expect.any(Number) });
    });

    it('every failure reads USER_WRONG_PASSWORD with args [] (strict error map)', async () => {
      await run(client(t, ks), user.add(User({ id: 'blocked-one', email: 'blocked@uni.test', password: 'amber-field-sparrow' })));
      await run(client(t, ks), user.update('blocked-one', User({ status: 0 })));
      const attempts = [
        login('editor@uni.test', 'not-the-password'),
        login('nobody@uni.test', 'quiet-harbor-lamp-7'),
        login('blocked@uni.test', 'amber-field-sparrow'),
        login('editor@uni.test', 'quiet-harbor-lamp-7', 424242),
      ];
      for (const a of attempts) expect(await failure(client(t), a)).toEqual(WRONG);
      // A deleted user cannot log in either.
      await run(client(t, ks), user.add(User({ id: 'leaver', email: 'leaver@uni.test', password: 'granite-river-owl-3' })));
      expect(await run<string>(client(t), login('leaver@uni.test', 'granite-river-owl-3'))).toMatch(/^djJ8/);
      await run(client(t, ks), user.deleteAction('leaver'));
      expect(await failure(client(t), login('leaver@uni.test', 'granite-river-owl-3'))).toEqual(WRONG);
    });

    describe('one identity, two partners', () => {
      let q: TestPartner;
      beforeAll(async () => {
        q = await registerPartner(t, 'Second Partner');
        // The same email joins the second partner; the password given there is ignored.
        const u = await run(client(t, await adminKs(t, q)), user.add(User({ id: 'shared-editor', email: 'editor@uni.test', password: 'second-partner-pass' })));
        expect(u).toMatchObject({ id: 'shared-editor', loginEnabled: true });
      });

      it('the first password works for both partners, the second one for neither', async () => {
        const inQ = await run<string>(client(t), login('editor@uni.test', 'quiet-harbor-lamp-7', q.id));
        expect(await describeKs(q, inQ)).toMatchObject({ partnerId: String(q.id), userId: 'shared-editor', sessionType: '0' });
        const inP = await run<string>(client(t), login('editor@uni.test', 'quiet-harbor-lamp-7', p.id));
        expect(await describeKs(p, inP)).toMatchObject({ partnerId: String(p.id), userId: 'editor' });
        expect(await failure(client(t), login('editor@uni.test', 'second-partner-pass', q.id))).toEqual(WRONG);
        expect(await failure(client(t), login('editor@uni.test', 'second-partner-pass'))).toEqual(WRONG);
      });

      it('without partnerId the last partner used is picked', async () => {
        await run(client(t), login('editor@uni.test', 'quiet-harbor-lamp-7', q.id));
        const a = await run<string>(client(t), login('editor@uni.test', 'quiet-harbor-lamp-7'));
        expect(await describeKs(q, a)).toMatchObject({ partnerId: String(q.id), userId: 'shared-editor' });
        await run(client(t), login('editor@uni.test', 'quiet-harbor-lamp-7', p.id));
        const b = await run<string>(client(t), login('editor@uni.test', 'quiet-harbor-lamp-7'));
        expect(await describeKs(p, b)).toMatchObject({ partnerId: String(p.id), userId: 'editor' });
      });
    });

    it('the operator account never lands in a publisher: SYSTEM_PARTNER_LOGIN without partnerId, a KS with -2', async () => {
      const ex = await failure(client(t), login(ADMIN_EMAIL, ADMIN_PASSWORD));
      expect(ex).toMatchObject({ code: 'SYSTEM_PARTNER_LOGIN', args: { LOGIN_ID: ADMIN_EMAIL } });
      expect(ex.message).toContain('partner -2');
      const op = await run<string>(client(t), login(ADMIN_EMAIL, ADMIN_PASSWORD, -2));
      expect(await run(client(t, op), session.get())).toMatchObject({ partnerId: '-2', sessionType: '2', userId: ADMIN_EMAIL });
      // The right password is still required before the sentence is given.
      expect(await failure(client(t), login(ADMIN_EMAIL, 'not-the-operator-password'))).toEqual(WRONG);
    });

    describe('lockout', () => {
      const email = 'locky@uni.test';
      const password = 'lockout-test-secret-42';

      beforeAll(async () => {
        await run(client(t, ks), user.add(User({ id: 'locky', email, password })));
      });

      it('a success resets the failure count', async () => {
        for (let i = 0; i < 4; i++) expect(await failure(client(t), login(email, `wrong-guess-${i}`))).toEqual(WRONG);
        expect(await run<string>(client(t), login(email, password))).toMatch(/^djJ8/);
        for (let i = 0; i < 4; i++) expect(await failure(client(t), login(email, `wrong-guess-${i}`))).toEqual(WRONG);
        expect(await run<string>(client(t), login(email, password))).toMatch(/^djJ8/);
      });

      it('five failures lock the login for the block period, even against the right password', async () => {
        for (let i = 0; i < 5; i++) expect(await failure(client(t), login(email, `wrong-guess-${i}`))).toEqual(WRONG);
        expect(await failure(client(t), login(email, password))).toEqual(WRONG);
        expect(await failure(client(t), login(email, password, p.id))).toEqual(WRONG);
        t.clock.advance(1700);
        expect(await failure(client(t), login(email, password))).toEqual(WRONG);
        t.clock.advance(101);
        const k = await run<string>(client(t), login(email, password));
        expect(await describeKs(p, k)).toMatchObject({ userId: 'locky' });
        // The lock of one identity does not touch another.
        expect(await run<string>(client(t), login('editor@uni.test', 'quiet-harbor-lamp-7', p.id))).toMatch(/^djJ8/);
      });

      it('after the block period the count starts again: one wrong guess does not re-lock', async () => {
        for (let i = 0; i < 5; i++) await failure(client(t), login(email, `wrong-guess-${i}`));
        expect(await failure(client(t), login(email, password))).toEqual(WRONG);
        t.clock.advance(1801);
        expect(await failure(client(t), login(email, 'wrong-guess-again'))).toEqual(WRONG);
        expect(await run<string>(client(t), login(email, password))).toMatch(/^djJ8/);
      });

      it('attempts are audited as failures, without the password', async () => {
        const rows = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.loginByLoginId').where('target', '=', email).execute();
        const failures = rows.filter((r) => r.outcome === 'failure');
        expect(failures.length).toBeGreaterThanOrEqual(14);
        expect(rows.filter((r) => r.outcome === 'success').length).toBeGreaterThanOrEqual(3);
        expect(failures.every((r) => r.actor === email)).toBe(true);
        const all = JSON.stringify(await t.store.db.selectFrom('audit_log').selectAll().execute());
        for (const secret of [password, 'wrong-guess-0', 'quiet-harbor-lamp-7', 'second-partner-pass', ADMIN_PASSWORD, p.password]) expect(all).not.toContain(secret);
      });
    });
  });
}
