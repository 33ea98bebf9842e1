/** user.add / get / list / update / delete through the official client, on every dialect (protocol §4.3). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const { user, userRole, session } = kaltura.services;
const User = (o: Record<string, unknown>) => new kaltura.objects.User(o);
const UserFilter = (o: Record<string, unknown>) => new kaltura.objects.UserFilter(o);
const Pager = (pageSize: number, pageIndex = 1) => new kaltura.objects.FilterPager({ pageSize, pageIndex });
const USER = kaltura.enums.SessionType.USER;
const BLOCKED = 0;
const ACTIVE = 1;
const RULES_START = 'The password you entered has an invalid structure.\nPasswords must obey the following rules :\n';

for (const dialect of DIALECTS) {
  describe(`user service [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let ks: string;
    const admin = () => client(t, ks);
    const userKs = (userId: string) => run<string>(client(t), session.start(p.secret, userId, USER, p.id));
    const roleId = async (k: string, name: string) => (await run(client(t, k), userRole.listAction(new kaltura.objects.UserRoleFilter({ nameEqual: name })))).objects[0].id as number;

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'user');
      p = await registerPartner(t);
      ks = await adminKs(t, p);
    });
    afterAll(() => t?.close());

    describe('add', () => {
      it('returns the user with its defaults', async () => {
        const u = await run(admin(), user.add(User({ id: 'u-alice', email: 'alice@uni.test' })));
        expect(u).toMatchObject({ objectType: 'KalturaUser', id: 'u-alice', partnerId: p.id, email: 'alice@uni.test', status: ACTIVE, screenName: 'u-alice', firstName: 'u-alice', isAdmin: false, loginEnabled: false, isAccountOwner: false });
        expect(Math.abs(u.createdAt - Math.floor(t.clock.nowMs() / 1000))).toBeLessThanOrEqual(1);
        expect(u).not.toHaveProperty('password');
      });

      it('accepts every symbol of the id alphabet and refuses anything else (INVALID_FIELD_VALUE id)', async () => {
        const odd = "a,!#$%&'*+?^_{}~.@-`|z";
        expect(await run(admin(), user.add(User({ id: odd })))).toMatchObject({ id: odd });
        for (const bad of ['has space', 'semi;colon', 'sl/ash', '<b>', 'x'.repeat(321)]) {
          const ex = await failure(admin(), user.add(User({ id: bad })));
          expect(ex, bad).toMatchObject({ code: 'INVALID_FIELD_VALUE', args: { FIELD_NAME: 'id' }, message: 'value in field [id] is not valid' });
        }
        expect(await run(admin(), user.add(User({ id: 'y'.repeat(320) })))).toMatchObject({ id: 'y'.repeat(320) });
      });

      it('needs an id (or an externalId), never both', async () => {
        expect(await failure(admin(), user.add(User({ email: 'noid@uni.test' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaUser::id' } });
        const both = await failure(admin(), user.add(User({ id: 'u-both', externalId: 'ext-both' })));
        expect(both).toMatchObject({ code: 'ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE', args: [] });
        expect(await run(admin(), user.add(User({ externalId: 'ext-only' })))).toMatchObject({ id: 'ext-only', externalId: 'ext-only' });
      });

      it('a second user with the same id is DUPLICATE_USER_BY_ID with UID', async () => {
        await run(admin(), user.add(User({ id: 'u-dup' })));
        const ex = await failure(admin(), user.add(User({ id: 'u-dup', email: 'other@uni.test' })));
        expect(ex).toMatchObject({ code: 'DUPLICATE_USER_BY_ID', args: { UID: 'u-dup' }, message: 'User with id [u-dup] already exists in system' });
      });

      it('a password (or isAdmin) needs a valid email as login id', async () => {
        const pw = 'a-fine-long-passphrase';
        for (const extra of [{ password: pw }, { password: pw, email: 'not-an-email' }, { password: pw, email: 'a@b' }, { isAdmin: true }]) {
          const ex = await failure(admin(), user.add(User({ id: 'u-noemail', ...extra })));
          expect(ex, JSON.stringify(extra)).toMatchObject({ code: 'INVALID_FIELD_VALUE', args: { FIELD_NAME: 'email' } });
        }
        expect(await failure(admin(), user.get('u-noemail'))).toMatchObject({ code: 'INVALID_USER_ID' });
      });

      it('passwords follow ASVS: 8..256 characters, no composition rules, no names or email (PASSWORD_STRUCTURE_INVALID with RULES)', async () => {
        const who = { firstName: 'Margaret', lastName: 'Thornbury', email: 'mags.t@uni.test' };
        const cases = ['Ab1!xyz', 'x'.repeat(257), 'my-margaret-pass', 'THORNBURY-rules-9', 'i-am-mags.t-here', 'mags.t@uni.test'];
        for (const [i, password] of cases.entries()) {
          const ex = await failure(admin(), user.add(User({ id: `u-weak${i}`, ...who, password })));
          expect(ex, password).toMatchObject({ code: 'PASSWORD_STRUCTURE_INVALID' });
          const rules = (ex.args as Record<string, string>).RULES;
          expect(rules).toContain('Between 8 and 256 characters');
          expect(rules).toContain('Must not contain your name or email');
          expect(ex.message).toBe(RULES_START + rules);
        }
        // No digit, no capital, no symbol: still fine (length is what matters).
        const ok = await run(admin(), user.add(User({ id: 'u-strong', ...who, email: 'mt2@uni.test', password: 'correct horse battery staple' })));
        expect(ok).toMatchObject({ id: 'u-strong', loginEnabled: true });
        expect(await run(admin(), user.add(User({ id: 'u-long', email: 'long@uni.test', password: 'z'.repeat(256) })))).toMatchObject({ loginEnabled: true });
      });

      it('a common password is COMMON_PASSWORD, whatever its case', async () => {
        for (const password of ['password123', 'Password123', 'QWERTYUIOP']) {
          expect(await failure(admin(), user.add(User({ id: 'u-common', email: 'common@uni.test', password }))), password).toMatchObject({ code: 'COMMON_PASSWORD', args: [], message: 'Chosen password is a common password' });
        }
      });

      it('isAdmin without roleIds gets the Publisher Administrator role', async () => {
        const pa = await roleId(ks, 'Publisher Administrator');
        const u = await run(admin(), user.add(User({ id: 'u-admin', email: 'boss@uni.test', isAdmin: true })));
        expect(u).toMatchObject({ isAdmin: true, roleIds: String(pa), loginEnabled: true });
        const plain = await run(admin(), user.add(User({ id: 'u-plain' })));
        expect(plain.roleIds ?? '').toBe('');
      });

      it('roles: one at most, and it must exist for this partner', async () => {
        const manager = await roleId(ks, 'Manager');
        const uploader = await roleId(ks, 'Content Uploader');
        expect(await failure(admin(), user.add(User({ id: 'u-roles', roleIds: `${manager},${uploader}` })))).toMatchObject({ code: 'ONLY_ONE_ROLE_PER_USER_ALLOWED', args: [] });
        expect(await failure(admin(), user.add(User({ id: 'u-roles', roleIds: '99999999' })))).toMatchObject({ code: 'USER_ROLE_NOT_FOUND', args: [] });
        const other = await registerPartner(t, 'Other College');
        const foreign = await roleId(await adminKs(t, other), 'Manager');
        expect(foreign).not.toBe(manager);
        expect(await failure(admin(), user.add(User({ id: 'u-roles', roleIds: String(foreign) })))).toMatchObject({ code: 'USER_ROLE_NOT_FOUND' });
        expect(await run(admin(), user.add(User({ id: 'u-roles', roleIds: String(manager) })))).toMatchObject({ roleIds: String(manager) });
      });

      it('a readonly property is PROPERTY_VALIDATION_NOT_UPDATABLE', async () => {
        expect(await failure(admin(), user.add(User({ id: 'u-ro', createdAt: 1000 })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaUser::createdAt' }, message: 'The property "KalturaUser::createdAt" cannot be updated' });
        expect(await failure(admin(), user.add(User({ id: 'u-ro', partnerId: 12345 })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaUser::partnerId' } });
        expect(await failure(admin(), user.get('u-ro'))).toMatchObject({ code: 'INVALID_USER_ID' });
      });

      it('a USER session may not add users', async () => {
        const k = await userKs('u-alice');
        expect(await failure(client(t, k), user.add(User({ id: 'u-sneaky' })))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'user->add' } });
      });
    });

    describe('get', () => {
      it('defaults to the KS user', async () => {
        const k = await adminKs(t, p, p.adminEmail);
        expect(await run(client(t, k), user.get())).toMatchObject({ id: p.adminEmail, isAccountOwner: true, isAdmin: true, loginEnabled: true, email: p.adminEmail });
        expect(await run(client(t, await userKs('u-alice')), user.get())).toMatchObject({ id: 'u-alice' });
      });

      it('a USER session may read itself but not another user', async () => {
        const k = await userKs('u-alice');
        expect(await run(client(t, k), user.get('u-alice'))).toMatchObject({ id: 'u-alice' });
        const ex = await failure(client(t, k), user.get('u-dup'));
        expect(ex).toMatchObject({ code: 'CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION', args: { USER_ID: 'u-dup' }, message: 'cannot retrieve another user "u-dup" using non-admin session' });
      });

      it('an unknown user (or none at all) is INVALID_USER_ID with args []', async () => {
        const ex = await failure(admin(), user.get('nobody-here'));
        expect(ex).toEqual({ code: 'INVALID_USER_ID', message: 'Invalid user id', objectType: 'KalturaAPIException', args: [] });
        expect(await failure(admin(), user.get())).toMatchObject({ code: 'INVALID_USER_ID', args: [] });
      });
    });

    describe('list', () => {
      let q: TestPartner;
      let qks: string;
      const list = (f: Record<string, unknown> = {}, pager?: unknown) => run(client(t, qks), user.listAction(UserFilter(f), pager));
      const ids = (r: { objects?: Array<{ id: string }> }) => (r.objects ?? []).map((u) => u.id).sort();

      beforeAll(async () => {
        q = await registerPartner(t, 'List Partner');
        qks = await adminKs(t, q);
        const add = (o: Record<string, unknown>) => run(client(t, qks), user.add(User(o)));
        await add({ id: 'l-zed', firstName: 'Zelda', lastName: 'Ng', email: 'zelda@list.test' });
        await add({ id: 'l-zac', firstName: 'zachary', email: 'zac@list.test' });
        await add({ id: 'l-amy', firstName: 'Amy', email: 'amy@elsewhere.test', isAdmin: true });
        await add({ id: 'l-bob', firstName: 'Bob', email: 'bob@list.test', status: BLOCKED });
        await add({ id: 'l-gone', firstName: 'Zoe', email: 'gone@list.test' });
        await run(client(t, qks), user.deleteAction('l-gone'));
      });

      it('lists the partner only, deleted users hidden, with totalCount', async () => {
        const r = await list();
        expect(r.objectType).toBe('KalturaUserListResponse');
        expect(ids(r)).toEqual([q.adminEmail, 'l-amy', 'l-bob', 'l-zac', 'l-zed'].sort());
        expect(r.totalCount).toBe(5);
      });

      it('filters by idEqual and idIn', async () => {
        expect(ids(await list({ idEqual: 'l-zac' }))).toEqual(['l-zac']);
        expect(ids(await list({ idIn: 'l-zed,l-amy,l-gone,missing' }))).toEqual(['l-amy', 'l-zed']);
        expect(await list({ idEqual: 'u-alice' })).toMatchObject({ totalCount: 0 });
      });

      it('filters by isAdminEqual and statusEqual', async () => {
        expect(ids(await list({ isAdminEqual: 1 }))).toEqual([q.adminEmail, 'l-amy'].sort());
        expect(ids(await list({ isAdminEqual: 0 }))).toEqual(['l-bob', 'l-zac', 'l-zed']);
        expect(ids(await list({ statusEqual: BLOCKED }))).toEqual(['l-bob']);
        expect(ids(await list({ statusEqual: 2 }))).toEqual(['l-gone']);
      });

      it('filters by firstNameStartsWith (case-insensitive) and emailLike', async () => {
        expect(ids(await list({ firstNameStartsWith: 'Za' }))).toEqual(['l-zac']);
        expect(ids(await list({ firstNameStartsWith: 'z' }))).toEqual(['l-zac', 'l-zed']);
        expect(ids(await list({ emailLike: 'list.test' }))).toEqual(['l-bob', 'l-zac', 'l-zed']);
        expect(ids(await list({ emailLike: 'elsewhere', isAdminEqual: 1 }))).toEqual(['l-amy']);
      });

      it('pages with pageSize/pageIndex while totalCount stays the full count', async () => {
        const seen: string[] = [];
        for (const index of [1, 2, 3]) {
          const r = await list({ orderBy: '+createdAt' }, Pager(2, index));
          expect(r.totalCount).toBe(5);
          expect(r.objects?.length ?? 0).toBe(index < 3 ? 2 : 1);
          seen.push(...(r.objects ?? []).map((u: { id: string }) => u.id));
        }
        expect(new Set(seen).size).toBe(5);
        expect((await list({}, Pager(2, 4))).objects ?? []).toEqual([]);
      });
    });

    describe('update', () => {
      it('changes names and the role', async () => {
        const manager = await roleId(ks, 'Manager');
        await run(admin(), user.add(User({ id: 'u-upd', firstName: 'Old' })));
        const u = await run(admin(), user.update('u-upd', User({ firstName: 'New', lastName: 'Name', roleIds: String(manager) })));
        expect(u).toMatchObject({ id: 'u-upd', firstName: 'New', lastName: 'Name', roleIds: String(manager) });
        expect(await run(admin(), user.get('u-upd'))).toMatchObject({ firstName: 'New', lastName: 'Name', roleIds: String(manager) });
        expect(await failure(admin(), user.update('u-upd', User({ roleIds: '99999999' })))).toMatchObject({ code: 'USER_ROLE_NOT_FOUND' });
        expect(await failure(admin(), user.update('u-upd', User({ password: 'another-long-pass' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaUser::password' } });
      });

      it('fullName follows a new first or last name, unless the same update sets it', async () => {
        await run(admin(), user.add(User({ id: 'u-full', firstName: 'Ada', lastName: 'Byron', fullName: 'Lady Ada Byron' })));
        expect(await run(admin(), user.get('u-full'))).toMatchObject({ fullName: 'Lady Ada Byron' });
        await run(admin(), user.update('u-full', User({ lastName: 'Lovelace' })));
        expect(await run(admin(), user.get('u-full'))).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', fullName: 'Ada Lovelace' });
        await run(admin(), user.update('u-full', User({ firstName: 'Augusta', fullName: 'Augusta Ada King' })));
        expect(await run(admin(), user.get('u-full'))).toMatchObject({ firstName: 'Augusta', fullName: 'Augusta Ada King' });
        // The same names again change nothing.
        await run(admin(), user.update('u-full', User({ firstName: 'Augusta' })));
        expect(await run(admin(), user.get('u-full'))).toMatchObject({ fullName: 'Augusta Ada King' });
      });

      it('the account owner cannot be blocked, deleted or demoted', async () => {
        expect(await failure(admin(), user.update(p.adminEmail, User({ status: BLOCKED })))).toMatchObject({ code: 'CANNOT_DELETE_OR_BLOCK_ROOT_ADMIN_USER', args: [] });
        expect(await failure(admin(), user.deleteAction(p.adminEmail))).toMatchObject({ code: 'CANNOT_DELETE_OR_BLOCK_ROOT_ADMIN_USER' });
        expect(await failure(admin(), user.update(p.adminEmail, User({ isAdmin: false })))).toMatchObject({ code: 'CANNOT_SET_ROOT_ADMIN_AS_NO_ADMIN' });
        expect(await run(admin(), user.get(p.adminEmail))).toMatchObject({ status: ACTIVE, isAdmin: true });
      });

      it('an unknown user is INVALID_USER_ID', async () => {
        expect(await failure(admin(), user.update('nobody-here', User({ firstName: 'X' })))).toMatchObject({ code: 'INVALID_USER_ID', args: [] });
        expect(await failure(admin(), user.deleteAction('nobody-here'))).toMatchObject({ code: 'INVALID_USER_ID', args: [] });
      });

      it('blocking a user stops their KS at once (USER_BLOCKED); unblocking restores it', async () => {
        await run(admin(), user.add(User({ id: 'u-blockme' })));
        const k = await userKs('u-blockme');
        expect(await run(client(t, k), user.get())).toMatchObject({ id: 'u-blockme' });
        expect(await run(admin(), user.update('u-blockme', User({ status: BLOCKED })))).toMatchObject({ status: BLOCKED });
        expect(await failure(client(t, k), user.get())).toMatchObject({ code: 'USER_BLOCKED', args: [], message: 'this user is blocked' });
        await run(admin(), user.update('u-blockme', User({ status: ACTIVE })));
        expect(await run(client(t, k), user.get())).toMatchObject({ id: 'u-blockme', status: ACTIVE });
      });
    });

    describe('delete', () => {
      it('removes the user: get is INVALID_USER_ID, list hides it, its KS stops working', async () => {
        await run(admin(), user.add(User({ id: 'u-del', email: 'del@uni.test' })));
        const k = await userKs('u-del');
        expect(await run(client(t, k), user.get())).toMatchObject({ id: 'u-del' });
        expect(await run(admin(), user.deleteAction('u-del'))).toMatchObject({ objectType: 'KalturaUser', id: 'u-del', status: 2 });
        expect(await failure(admin(), user.get('u-del'))).toMatchObject({ code: 'INVALID_USER_ID', args: [] });
        expect(await run(admin(), user.listAction(UserFilter({ idEqual: 'u-del' })))).toMatchObject({ totalCount: 0 });
        expect(await failure(client(t, k), user.get())).toMatchObject({ code: 'USER_BLOCKED' });
        expect(await failure(admin(), user.deleteAction('u-del'))).toMatchObject({ code: 'INVALID_USER_ID' });
      });

      it('the id can be used again after a delete', async () => {
        await run(admin(), user.add(User({ id: 'u-again', firstName: 'First' })));
        await run(admin(), user.deleteAction('u-again'));
        expect(await run(admin(), user.add(User({ id: 'u-again', firstName: 'Second' })))).toMatchObject({ id: 'u-again', firstName: 'Second', status: ACTIVE });
        expect(await run(admin(), user.get('u-again'))).toMatchObject({ firstName: 'Second' });
      });
    });
  });
}
