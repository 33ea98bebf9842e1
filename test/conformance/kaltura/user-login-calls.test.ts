/**
 * Kaltura's login calls (issue 18) through the official client, on every dialect:
 * user.getByLoginId, loginByKs, updateLoginData, enableLogin, disableLogin, resetPassword,
 * partner.listPartnersForUser and adminUser.updatePassword; password history; wrong passwords
 * counted on the sign-in budgets; kmc-ng's login multirequest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';
import { BEHIND_PROXY, countPasswordChecks, fromAddress } from '../../support/login-attempts.js';

const { user, adminUser, partner, userRole, session, permission } = kaltura.services;
const User = (o: Record<string, unknown>) => new kaltura.objects.User(o);
const ex = (code: string, message: string, args: Record<string, string> | [] = []) => ({ code, message, objectType: 'KalturaAPIException', args });
const WRONG_OLD = ex('WRONG_OLD_PASSWORD', 'old password is wrong');
const ADMIN_WRONG_OLD = ex('ADMIN_KUSER_WRONG_OLD_PASSWORD', 'Old password is wrong');
const ALREADY_USED = ex('PASSWORD_ALREADY_USED', 'Chosen password has already been used');

for (const dialect of DIALECTS) {
  describe(`Kaltura's login calls [${dialect}]`, () => {
    let t: TestGatehouse;
    let a: TestPartner;
    let b: TestPartner;
    let ksA: string;
    let n = 0;
    /** A user of `p` with a login of its own; returns its login id and password. */
    const addLogin = async (p: TestPartner, extra: Record<string, unknown> = {}) => {
      const id = `u${++n}`;
      const email = `${id}-${dialect}@uni.test`;
      const password = `quiet-harbor-lamp-${n}`;
      await run(client(t, await adminKs(t, p)), user.add(User({ id, email, password, ...extra })));
      return { id, email, password };
    };
    const login = (email: string, password: string, partnerId: number | null = null) => run<string>(client(t), user.loginByLoginId(email, password, partnerId));
    const audit = (action: string) => t.store.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').execute();

    beforeAll(async () => {
      // The throttle's own suite is elsewhere: here the per-login lockout counts wrong passwords.
      t = await startGatehouse(dialect, 'login-calls', { env: { ...BEHIND_PROXY, GATEHOUSE_LOGIN_THROTTLE: '0' } });
      a = await registerPartner(t, 'Partner A');
      b = await registerPartner(t, 'Partner B');
      ksA = await adminKs(t, a);
    });
    afterAll(() => t?.close());

    describe('user.getByLoginId', () => {
      it("answers the caller's partner's user of a login; LOGIN_DATA_NOT_FOUND and USER_NOT_FOUND otherwise", async () => {
        const u = await addLogin(a, { firstName: 'Gina' });
        expect(await run(client(t, ksA), user.getByLoginId(u.email.toUpperCase()))).toMatchObject({ objectType: 'KalturaUser', id: u.id, partnerId: a.id, loginEnabled: true });
        expect(await failure(client(t, ksA), user.getByLoginId('nobody@uni.test'))).toEqual(ex('LOGIN_DATA_NOT_FOUND', 'Login id not found'));
        const other = await addLogin(b);
        expect(await failure(client(t, ksA), user.getByLoginId(other.email))).toEqual(ex('USER_NOT_FOUND', 'User was not found'));
      });

      it('a non-admin session reads only its own user (INVALID_USER_ID); without a reading permission SERVICE_FORBIDDEN', async () => {
        const roles = await run(client(t, ksA), userRole.listAction(new kaltura.objects.UserRoleFilter({ nameEqual: 'Manager' })));
        const manager = await addLogin(a, { roleIds: String(roles.objects[0].id) });
        const someone = await addLogin(a);
        const ks = await login(manager.email, manager.password);
        expect(await run(client(t, ks), user.getByLoginId(manager.email))).toMatchObject({ id: manager.id });
        expect(await failure(client(t, ks), user.getByLoginId(someone.email))).toEqual(ex('INVALID_USER_ID', 'Invalid user id'));
        const plainKs = await login(someone.email, someone.password);
        expect((await failure(client(t, plainKs), user.getByLoginId(someone.email))).code).toBe('SERVICE_FORBIDDEN');
      });
    });

    describe('kmc-ng login multirequest', () => {
      it('loginByLoginId → getByLoginId → partner.getInfo → userRole.get → permission.list, chained with {N:result}', async () => {
        const profile = new kaltura.objects.DetachedResponseProfile({ type: 1, fields: 'name' });
        const req = new kaltura.MultiRequestBuilder()
          .add(user.loginByLoginId(a.adminEmail, a.password, null, 86400, 'disableentitlement,appid:kmc'))
          .add(user.getByLoginId(a.adminEmail).setKs('{1:result}'))
          .add(partner.getInfo().setKs('{1:result}'))
          .add(userRole.get('{2:result:roleIds}').setKs('{1:result}'))
          .add(
            permission
              .listAction(new kaltura.objects.PermissionFilter({ statusEqual: 1, typeIn: '2,3' }), new kaltura.objects.FilterPager({ pageSize: 500 }))
              .setKs('{1:result}')
              .setResponseProfile(profile),
          );
        const [ks, me, info, role, perms] = await run<any[]>(client(t), req);
        expect(ks).toMatch(/^djJ8/);
        expect(me).toMatchObject({ objectType: 'KalturaUser', id: a.adminEmail, partnerId: a.id, isAdmin: true, isAccountOwner: true });
        expect(info).toMatchObject({ objectType: 'KalturaPartner', id: a.id, name: 'Partner A' });
        expect(role).toMatchObject({ objectType: 'KalturaUserRole', id: Number(me.roleIds) });
        expect(perms.objectType).toBe('KalturaPermissionListResponse');
        expect(perms.totalCount).toBeGreaterThan(0);
        // The session is the one kmc-ng then uses.
        expect(await run(client(t, ks), session.get())).toMatchObject({ partnerId: String(a.id), sessionType: '2', privileges: 'disableentitlement,appid:kmc' });
      });

      it('a wrong password fails the first item and every item that needs its session', async () => {
        const req = new kaltura.MultiRequestBuilder().add(user.loginByLoginId(a.adminEmail, 'not-the-password-1')).add(user.getByLoginId(a.adminEmail).setKs('{1:result}'));
        const [first, second] = await run<any[]>(client(t), req);
        expect(first).toEqual(ex('USER_WRONG_PASSWORD', 'Wrong password supplied'));
        expect(second.objectType).toBe('KalturaAPIException');
      });
    });

    describe('switching partner', () => {
      it('partner.listPartnersForUser lists the partners of the login identity; loginByKs moves an admin session there', async () => {
        const shared = await addLogin(a, { isAdmin: true });
        // The same identity in partner B: its login is reused (one password).
        await run(client(t, await adminKs(t, b)), user.add(User({ id: 'shared-b', email: shared.email, isAdmin: true })));
        const ks = await login(shared.email, shared.password, a.id);
        const list = await run(client(t, ks), partner.listPartnersForUser());
        expect(list).toMatchObject({ objectType: 'KalturaPartnerListResponse', totalCount: 2 });
        expect(list.objects.map((o: any) => o.id)).toEqual([a.id, b.id].sort((x, y) => x - y));
        expect(list.objects[0].secret).toBeUndefined();
        const filtered = await run(client(t, ks), partner.listPartnersForUser(new kaltura.objects.PartnerFilter({ idEqual: b.id })));
        expect(filtered.objects.map((o: any) => o.id)).toEqual([b.id]);

        const moved = await run(client(t, ks), user.loginByKs(b.id));
        expect(moved).toMatchObject({ objectType: 'KalturaSessionResponse', userId: 'shared-b', partnerId: b.id });
        expect(await run(client(t, moved.ks), session.get())).toMatchObject({ partnerId: String(b.id), userId: 'shared-b', sessionType: '2' });
        // The same partner: the session as it is.
        expect((await run(client(t, ks), user.loginByKs(a.id))).ks).toBe(ks);
        expect((await audit('user.loginByKs'))[0]).toMatchObject({ partner_id: a.id, outcome: 'success', target: String(b.id) });
      });

      it('loginByKs refuses a partner without an admin user of the login (ADMIN_KUSER_NOT_FOUND) and an enablechangeaccount elsewhere', async () => {
        const solo = await addLogin(a, { isAdmin: true });
        const ks = await login(solo.email, solo.password);
        const notAdmin = ex('ADMIN_KUSER_NOT_FOUND', 'The data you entered is invalid');
        expect(await failure(client(t, ks), user.loginByKs(b.id))).toEqual(notAdmin);
        expect(await failure(client(t, ks), user.loginByKs(987654))).toEqual(notAdmin);
        // A user (not admin) of the identity in B is not enough either.
        await run(client(t, await adminKs(t, b)), user.add(User({ id: `viewer-${solo.id}`, email: solo.email })));
        expect(await failure(client(t, ks), user.loginByKs(b.id))).toEqual(notAdmin);
        const limited = await adminKs(t, a, solo.email, `enablechangeaccount:${a.id}`);
        expect(await failure(client(t, limited), user.loginByKs(b.id))).toEqual(ex('PARTNER_CHANGE_ACCOUNT_DISABLED', 'Partner change account is disabled for current session'));
      });
    });

    describe('changing one\'s login', () => {
      it('user.updateLoginData changes the password: the old one stops working, the new one works, audited', async () => {
        const u = await addLogin(a);
        expect(await run(client(t), user.updateLoginData(u.email, u.password, '', 'amber-field-sparrow-2'))).toBeNull();
        expect(await failure(client(t), user.loginByLoginId(u.email, u.password))).toMatchObject({ code: 'USER_WRONG_PASSWORD' });
        expect(await login(u.email, 'amber-field-sparrow-2')).toMatch(/^djJ8/);
        expect((await audit('user.updateLoginData'))[0]).toMatchObject({ actor: u.email, outcome: 'success', detail: expect.stringContaining('password') });
      });

      it('a wrong, unknown or empty current password reads WRONG_OLD_PASSWORD; a malformed new e-mail INVALID_FIELD_VALUE', async () => {
        const u = await addLogin(a);
        expect(await failure(client(t), user.updateLoginData(u.email, 'not-it-at-all', '', 'amber-field-sparrow-3'))).toEqual(WRONG_OLD);
        expect(await failure(client(t), user.updateLoginData('ghost@uni.test', u.password, '', 'amber-field-sparrow-3'))).toEqual(WRONG_OLD);
        expect(await failure(client(t), user.updateLoginData(u.email, '', '', 'amber-field-sparrow-3'))).toEqual(WRONG_OLD);
        expect(await failure(client(t), user.updateLoginData(u.email, u.password, 'not-an-email'))).toEqual(ex('INVALID_FIELD_VALUE', 'value in field [newEmail] is not valid', { FIELD_NAME: 'newEmail' }));
        expect((await audit('user.updateLoginData')).filter((e) => e.outcome === 'failure').length).toBeGreaterThanOrEqual(3);
      });

      it('the new login id: moved for every user of the identity; LOGIN_ID_ALREADY_USED when another identity has it', async () => {
        const u = await addLogin(a);
        const taken = await addLogin(b);
        expect(await failure(client(t), user.updateLoginData(u.email, u.password, taken.email))).toEqual(ex('LOGIN_ID_ALREADY_USED', 'Same login id is already in use'));
        const renamed = `renamed-${u.email}`;
        await run(client(t), user.updateLoginData(u.email, u.password, renamed, '', 'Rita', 'Renamed'));
        expect(await run(client(t, ksA), user.get(u.id))).toMatchObject({ email: renamed, firstName: 'Rita', lastName: 'Renamed' });
        expect(await login(renamed, u.password)).toMatch(/^djJ8/);
      });

      it("kmc-ng's Edit User Name (newFirstName/newLastName, the password proved): every user of the identity takes the names, fullName with them; the password stays", async () => {
        const c = await registerPartner(t, 'Partner C');
        const ksC = await adminKs(t, c);
        // The same identity in A, under a first name of its own.
        await run(client(t, ksA), user.add(User({ id: `pat-${dialect}`, email: c.adminEmail, firstName: 'Patty', lastName: 'Old', isAdmin: true })));
        expect(await run(client(t, ksC), user.getByLoginId(c.adminEmail))).toMatchObject({ firstName: 'Pat', lastName: 'Admin', fullName: 'Pat Admin' });
        expect(await failure(client(t), user.updateLoginData(c.adminEmail, 'not-it-at-all', '', '', 'Patricia', 'Adminson'))).toEqual(WRONG_OLD);
        expect(await run(client(t, ksC), user.getByLoginId(c.adminEmail))).toMatchObject({ fullName: 'Pat Admin' });

        // kmc-ng sends the login's own first name unchanged and a new last name.
        expect(await run(client(t), user.updateLoginData(c.adminEmail, c.password, '', '', 'Pat', 'Adminson'))).toBeNull();
        expect(await run(client(t, ksC), user.getByLoginId(c.adminEmail))).toMatchObject({ firstName: 'Pat', lastName: 'Adminson', fullName: 'Pat Adminson' });
        expect(await run(client(t, ksA), user.get(`pat-${dialect}`))).toMatchObject({ firstName: 'Pat', lastName: 'Adminson', fullName: 'Pat Adminson' });
        await run(client(t), user.updateLoginData(c.adminEmail, c.password, '', '', 'Patricia', ''));
        expect(await run(client(t, ksC), user.getByLoginId(c.adminEmail))).toMatchObject({ firstName: 'Patricia', lastName: 'Adminson', fullName: 'Patricia Adminson' });
        expect(await run(client(t, ksA), user.getByLoginId(c.adminEmail))).toMatchObject({ fullName: 'Patricia Adminson' });
        expect(await login(c.adminEmail, c.password, c.id)).toMatch(/^djJ8/);
        expect((await audit('user.updateLoginData'))[0]).toMatchObject({ actor: c.adminEmail, outcome: 'success', detail: expect.stringContaining('firstName') });
      });

      it('password rules: PASSWORD_STRUCTURE_INVALID, COMMON_PASSWORD', async () => {
        const u = await addLogin(a, { firstName: 'Penelope' });
        expect((await failure(client(t), user.updateLoginData(u.email, u.password, '', 'short'))).code).toBe('PASSWORD_STRUCTURE_INVALID');
        expect((await failure(client(t), user.updateLoginData(u.email, u.password, '', 'Penelope-rules-42'))).code).toBe('PASSWORD_STRUCTURE_INVALID');
        expect(await failure(client(t), user.updateLoginData(u.email, u.password, '', 'password123'))).toEqual(ex('COMMON_PASSWORD', 'Chosen password is a common password'));
      });

      it('password history: the current and the 4 before it are refused (PASSWORD_ALREADY_USED), the 6th back is allowed', async () => {
        const u = await addLogin(a);
        const pw = (i: number) => `history-lamp-river-${i}`;
        expect(await failure(client(t), user.updateLoginData(u.email, u.password, '', u.password))).toEqual(ALREADY_USED);
        let current = u.password;
        for (let i = 1; i <= 5; i++) {
          await run(client(t), user.updateLoginData(u.email, current, '', pw(i)));
          current = pw(i);
        }
        // Now: pw5 current, pw1..pw4 remembered, the first password forgotten.
        for (const old of [pw(5), pw(4), pw(2), pw(1)]) expect(await failure(client(t), user.updateLoginData(u.email, current, '', old))).toEqual(ALREADY_USED);
        await run(client(t), user.updateLoginData(u.email, current, '', u.password));
        const kept = await t.store.db.selectFrom('password_history').select('password_history.id').innerJoin('login_data', 'login_data.id', 'password_history.login_data_id').where('login_data.login_key', '=', u.email.toLowerCase()).execute();
        expect(kept).toHaveLength(4);
      });

      it("the partner's numPrevPassToKeep sets the depth", async () => {
        await t.store.db.updateTable('partners').set({ settings: JSON.stringify({ numPrevPassToKeep: 2 }) }).where('id', '=', b.id).execute();
        await t.gh.directory.changed('partner', String(b.id));
        const u = await addLogin(b);
        await login(u.email, u.password);
        await run(client(t), user.updateLoginData(u.email, u.password, '', 'depth-two-alpha-1'));
        await run(client(t), user.updateLoginData(u.email, 'depth-two-alpha-1', '', 'depth-two-alpha-2'));
        expect(await failure(client(t), user.updateLoginData(u.email, 'depth-two-alpha-2', '', 'depth-two-alpha-1'))).toEqual(ALREADY_USED);
        await run(client(t), user.updateLoginData(u.email, 'depth-two-alpha-2', '', u.password));
      });

      it('adminUser.updatePassword: ADMIN_KUSER_WRONG_OLD_PASSWORD, history, then the KalturaAdminUser kmc-ng signs in with', async () => {
        const u = await addLogin(a, { isAdmin: true });
        expect(await failure(client(t), adminUser.updatePassword(u.email, 'wrong-current-pw', '', 'coral-night-drum-5'))).toEqual(ADMIN_WRONG_OLD);
        expect(await failure(client(t), adminUser.updatePassword('ghost@uni.test', u.password, '', 'coral-night-drum-5'))).toEqual(ADMIN_WRONG_OLD);
        expect(await failure(client(t), adminUser.updatePassword(u.email, u.password, '', u.password))).toEqual(ALREADY_USED);
        const taken = await addLogin(b);
        expect((await failure(client(t), adminUser.updatePassword(u.email, u.password, taken.email))).code).toBe('LOGIN_ID_ALREADY_USED');
        const r = await run(client(t), adminUser.updatePassword(u.email, u.password, '', 'coral-night-drum-5', null));
        expect(r).toMatchObject({ objectType: 'KalturaAdminUser', email: u.email, password: 'coral-night-drum-5' });
        expect(await login(r.email, r.password)).toMatch(/^djJ8/);
      });

      it('every wrong current password is a counted sign-in failure costing one argon2 check: the login locks', async () => {
        const u = await addLogin(a);
        const checks = countPasswordChecks();
        try {
          const ip = '198.51.100.7';
          for (let i = 0; i < 5; i++) {
            const r = i % 2 ? adminUser.updatePassword(u.email, `bad-${i}`, '', 'never-set-pw-1') : user.updateLoginData(u.email, `bad-${i}`, '', 'never-set-pw-1');
            expect((await failure(client(t), fromAddress(r, ip))).code).toMatch(/WRONG_OLD_PASSWORD$/);
          }
          expect(checks.total()).toBe(5);
          // The partner's 5 failures locked the login for this address: the right password is refused too.
          expect(await failure(client(t), fromAddress(user.updateLoginData(u.email, u.password, '', 'never-set-pw-1'), ip))).toEqual(WRONG_OLD);
          expect(await failure(client(t), fromAddress(user.loginByLoginId(u.email, u.password), ip))).toMatchObject({ code: 'USER_WRONG_PASSWORD' });
          expect(checks.total()).toBe(7);
          expect(await login(u.email, u.password)).toMatch(/^djJ8/);
        } finally {
          checks.restore();
        }
      });
    });

    describe('enableLogin / disableLogin / resetPassword', () => {
      it('enableLogin gives a user a login; USER_LOGIN_ALREADY_ENABLED, PROPERTY_VALIDATION_CANNOT_BE_NULL, LOGIN_ID_ALREADY_USED, USER_NOT_FOUND', async () => {
        await run(client(t, ksA), user.add(User({ id: 'no-login' })));
        expect(await failure(client(t, ksA), user.enableLogin('no-login', `no-login-${dialect}@uni.test`))).toEqual(ex('PROPERTY_VALIDATION_CANNOT_BE_NULL', 'The property "password" cannot be null', { PROP_NAME: 'password' }));
        const taken = await addLogin(a);
        expect(await failure(client(t, ksA), user.enableLogin('no-login', taken.email, 'tidal-garden-fox-1'))).toEqual(ex('LOGIN_ID_ALREADY_USED', 'Same login id is already in use'));
        expect(await failure(client(t, ksA), user.enableLogin('nobody', 'x@uni.test', 'tidal-garden-fox-1'))).toEqual(ex('USER_NOT_FOUND', 'User was not found'));
        const enabled = await run(client(t, ksA), user.enableLogin('no-login', `no-login-${dialect}@uni.test`, 'tidal-garden-fox-1'));
        expect(enabled).toMatchObject({ id: 'no-login', loginEnabled: true, email: `no-login-${dialect}@uni.test` });
        expect(await login(`no-login-${dialect}@uni.test`, 'tidal-garden-fox-1')).toMatch(/^djJ8/);
        expect(await failure(client(t, ksA), user.enableLogin('no-login', `again-${dialect}@uni.test`, 'tidal-garden-fox-1'))).toEqual(ex('USER_LOGIN_ALREADY_ENABLED', 'User is already allowed to login'));
      });

      it('disableLogin by user id or login id; USER_LOGIN_ALREADY_DISABLED, CANNOT_DISABLE_LOGIN_FOR_ADMIN_USER', async () => {
        const u = await addLogin(a);
        expect(await run(client(t, ksA), user.disableLogin(null, u.email))).toMatchObject({ id: u.id, loginEnabled: false });
        expect(await failure(client(t), user.loginByLoginId(u.email, u.password))).toMatchObject({ code: 'USER_WRONG_PASSWORD' });
        expect(await failure(client(t, ksA), user.disableLogin(u.id))).toEqual(ex('USER_LOGIN_ALREADY_DISABLED', 'User is already not allowed to login'));
        expect(await failure(client(t, ksA), user.disableLogin(a.adminEmail))).toEqual(ex('CANNOT_DISABLE_LOGIN_FOR_ADMIN_USER', 'Login cannot be disabled for admin users'));
        expect(await failure(client(t, ksA), user.disableLogin())).toEqual(ex('PROPERTY_VALIDATION_CANNOT_BE_NULL', 'The property "userId" cannot be null', { PROP_NAME: 'userId' }));
        expect(await failure(client(t, ksA), user.disableLogin('nobody'))).toEqual(ex('USER_NOT_FOUND', 'User was not found'));
      });

      it('resetPassword answers null for any e-mail and records the request in the audit log', async () => {
        const u = await addLogin(a);
        expect(await run(client(t), user.resetPassword(u.email))).toBeNull();
        expect(await run(client(t), user.resetPassword('ghost@uni.test'))).toBeNull();
        const events = await audit('user.resetPassword');
        expect(events.find((e) => e.actor === u.email)).toMatchObject({ outcome: 'success', detail: expect.stringContaining('"knownLogin":true') });
        expect(events.find((e) => e.actor === 'ghost@uni.test')).toMatchObject({ detail: expect.stringContaining('"knownLogin":false') });
      });
    });
  });
}
