/** userRole.* and permission.list through the official client, on every dialect (protocol §4.5). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const { user, userRole, permission, session } = kaltura.services;
const Role = (o: Record<string, unknown>) => new kaltura.objects.UserRole(o);
const RoleFilter = (o: Record<string, unknown>) => new kaltura.objects.UserRoleFilter(o);
const User = (o: Record<string, unknown>) => new kaltura.objects.User(o);
const USER = kaltura.enums.SessionType.USER;

for (const dialect of DIALECTS) {
  describe(`userRole service [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let other: TestPartner;
    let ks: string;
    const admin = () => client(t, ks);
    const list = async (f: Record<string, unknown>) => run(admin(), userRole.listAction(RoleFilter(f)));
    const names = (r: { objects?: Array<{ name: string }> }) => (r.objects ?? []).map((x) => x.name).sort();
    const userKs = (userId: string) => run<string>(client(t), session.start(p.secret, userId, USER, p.id));

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'user-role');
      p = await registerPartner(t);
      other = await registerPartner(t, 'Other College');
      ks = await adminKs(t, p);
    });
    afterAll(() => t?.close());

    describe('add', () => {
      it('returns the role, owned by the partner', async () => {
        const r = await run(admin(), userRole.add(Role({ name: 'Reviewer', systemName: 'REVIEWER', description: 'Reviews Things', permissionNames: 'ADMIN_BASE, KMC_READ_ONLY' })));
        expect(r).toMatchObject({ objectType: 'KalturaUserRole', name: 'Reviewer', systemName: 'REVIEWER', partnerId: p.id, status: 1, permissionNames: 'ADMIN_BASE,KMC_READ_ONLY' });
        expect(r.id).toEqual(expect.any(Number));
        expect(await run(admin(), userRole.get(r.id))).toMatchObject({ id: r.id, name: 'Reviewer' });
      });

      it('needs a name', async () => {
        expect(await failure(admin(), userRole.add(Role({ description: 'nameless' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaUserRole::name' } });
      });

      it('a name taken in the partner is ROLE_NAME_ALREADY_EXISTS; another partner may use it', async () => {
        await run(admin(), userRole.add(Role({ name: 'Twice' })));
        const ex = await failure(admin(), userRole.add(Role({ name: 'Twice', description: 'again' })));
        expect(ex).toEqual({ code: 'ROLE_NAME_ALREADY_EXISTS', message: 'A role with the same name already exists', objectType: 'KalturaAPIException', args: [] });
        expect(await run(client(t, await adminKs(t, other)), userRole.add(Role({ name: 'Twice' })))).toMatchObject({ partnerId: other.id });
      });

      it('an unknown permission is PERMISSION_NOT_FOUND naming it', async () => {
        const ex = await failure(admin(), userRole.add(Role({ name: 'Bogus', permissionNames: 'ADMIN_BASE,NO_SUCH_PERMISSION' })));
        expect(ex).toMatchObject({ code: 'PERMISSION_NOT_FOUND' });
        expect((ex.args as Record<string, string>).ERR_TEXT).toContain('NO_SUCH_PERMISSION');
        expect(ex.message).toBe((ex.args as Record<string, string>).ERR_TEXT);
        expect(await list({ nameEqual: 'Bogus' })).toMatchObject({ totalCount: 0 });
      });

      it('a readonly property is PROPERTY_VALIDATION_NOT_UPDATABLE', async () => {
        expect(await failure(admin(), userRole.add(Role({ name: 'Sneaky', partnerId: 0 })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaUserRole::partnerId' } });
      });

      it('a USER session without admin permissions may not add or list roles', async () => {
        const k = await userKs('plain-user');
        expect(await failure(client(t, k), userRole.add(Role({ name: 'Mine' })))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'userrole->add' }, message: 'The access to service [userrole->add] is forbidden' });
        expect(await failure(client(t, k), userRole.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'userrole->list' } });
      });
    });

    describe('get / update / delete', () => {
      it('an unknown id is INVALID_OBJECT_ID with ID', async () => {
        for (const req of [userRole.get(987654), userRole.update(987654, Role({ description: 'x' })), userRole.deleteAction(987654)]) {
          expect(await failure(admin(), req)).toMatchObject({ code: 'INVALID_OBJECT_ID', args: { ID: '987654' }, message: 'Invalid object id [987654]' });
        }
      });

      it("another partner's role is invisible", async () => {
        const theirs = await run(client(t, await adminKs(t, other)), userRole.add(Role({ name: 'Theirs' })));
        expect(await failure(admin(), userRole.get(theirs.id))).toMatchObject({ code: 'INVALID_OBJECT_ID', args: { ID: String(theirs.id) } });
        expect(await failure(admin(), userRole.update(theirs.id, Role({ name: 'Mine now' })))).toMatchObject({ code: 'INVALID_OBJECT_ID' });
        expect(await list({ nameEqual: 'Theirs' })).toMatchObject({ totalCount: 0 });
      });

      it('update changes fields; names stay unique; permissions are checked', async () => {
        const r = await run(admin(), userRole.add(Role({ name: 'Editor Role', permissionNames: 'ADMIN_BASE' })));
        const u = await run(admin(), userRole.update(r.id, Role({ name: 'Senior Editor', description: 'edits more', permissionNames: 'ADMIN_BASE,ADMIN_USER_ADD' })));
        expect(u).toMatchObject({ id: r.id, name: 'Senior Editor', description: 'edits more', permissionNames: 'ADMIN_BASE,ADMIN_USER_ADD' });
        expect(await run(admin(), userRole.get(r.id))).toMatchObject({ name: 'Senior Editor' });
        expect(await failure(admin(), userRole.update(r.id, Role({ name: 'Twice' })))).toMatchObject({ code: 'ROLE_NAME_ALREADY_EXISTS' });
        expect(await failure(admin(), userRole.update(r.id, Role({ permissionNames: 'NOPE_PERM' })))).toMatchObject({ code: 'PERMISSION_NOT_FOUND' });
        expect(await run(admin(), userRole.update(r.id, Role({ name: 'Senior Editor', tags: 'x' })))).toMatchObject({ name: 'Senior Editor', tags: 'x' });
      });

      it('a global role can be read but not updated or deleted by a partner', async () => {
        const pa = (await list({ systemNameEqual: 'PARTNER_ADMIN_ROLE' })).objects[0];
        expect(pa).toMatchObject({ name: 'Publisher Administrator', partnerId: 0 });
        expect(await run(admin(), userRole.get(pa.id))).toMatchObject({ id: pa.id, partnerId: 0 });
        expect(await failure(admin(), userRole.update(pa.id, Role({ permissionNames: 'ADMIN_BASE' })))).toMatchObject({ code: 'INVALID_OBJECT_ID', args: { ID: String(pa.id) } });
        expect(await failure(admin(), userRole.deleteAction(pa.id))).toMatchObject({ code: 'INVALID_OBJECT_ID', args: { ID: String(pa.id) } });
        expect(await run(admin(), userRole.get(pa.id))).toMatchObject({ permissionNames: pa.permissionNames, status: 1 });
      });

      it("a `*` role answers the names Gatehouse serves spelled out, as Kaltura's server (kmc-ng reads them as what its user may do)", async () => {
        const served = (await run(admin(), permission.listAction(undefined, new kaltura.objects.FilterPager({ pageSize: 500 })))).objects.map((x: { name: string }) => x.name) as string[];
        const pa = (await list({ systemNameEqual: 'PARTNER_ADMIN_ROLE' })).objects[0];
        const spelled = pa.permissionNames.split(',');
        expect(spelled).not.toContain('*');
        for (const n of ['KMC_ACCESS', 'ADMIN_ROLE_ADD', 'INTEGRATION_UPDATE_SETTINGS', 'CONTENT_MANAGE_CATEGORY_USERS', 'FEATURE_ENTITLEMENT', 'METADATA_PLUGIN_PERMISSION']) expect(spelled).toContain(n);
        // Every served name but the operator's, which no publisher role grants.
        expect([...spelled].sort()).toEqual(served.filter((n) => !n.startsWith('SYSTEM_ADMIN_')).sort());
        expect((await run(admin(), userRole.get(pa.id))).permissionNames).toBe(pa.permissionNames);
        // A partner's own `*` role answers the same; explicit names answer as stored.
        const all = await run(admin(), userRole.add(Role({ name: 'All Of It', permissionNames: '*' })));
        expect(all.permissionNames).toBe(pa.permissionNames);
        expect((await run(admin(), userRole.get(all.id))).permissionNames).toBe(pa.permissionNames);
        expect((await list({ nameEqual: 'Manager' })).objects[0].permissionNames.split(',')).not.toContain('FEATURE_ENTITLEMENT');
        // The role still holds `*`: its holder may do what a new permission allows, and the admin session works as before.
        const holder = await run(admin(), user.add(User({ id: 'all-of-it', roleIds: String(all.id) })));
        expect(holder).toMatchObject({ roleIds: String(all.id) });
        expect(await run(client(t, await userKs('all-of-it')), userRole.get(all.id))).toMatchObject({ name: 'All Of It' });
        await run(admin(), user.deleteAction('all-of-it'));
        await run(admin(), userRole.deleteAction(all.id));
      });

      it('a role in use cannot be deleted (ROLE_IS_BEING_USED); once free it can', async () => {
        const r = await run(admin(), userRole.add(Role({ name: 'In Use', permissionNames: 'ADMIN_BASE' })));
        await run(admin(), user.add(User({ id: 'holder', roleIds: String(r.id) })));
        expect(await failure(admin(), userRole.deleteAction(r.id))).toMatchObject({ code: 'ROLE_IS_BEING_USED', args: [], message: 'Role is being used' });
        expect(await run(admin(), userRole.get(r.id))).toMatchObject({ status: 1 });
        await run(admin(), user.deleteAction('holder'));
        expect(await run(admin(), userRole.deleteAction(r.id))).toMatchObject({ id: r.id, status: 3 });
        expect(await failure(admin(), userRole.get(r.id))).toMatchObject({ code: 'INVALID_OBJECT_ID', args: { ID: String(r.id) } });
        expect(await list({ idEqual: r.id })).toMatchObject({ totalCount: 0 });
        // The name is free again.
        expect(await run(admin(), userRole.add(Role({ name: 'In Use' })))).toMatchObject({ name: 'In Use' });
      });
    });

    describe('list', () => {
      it("lists the partner's roles together with the global ones, never another partner's", async () => {
        const r = await run(admin(), userRole.listAction(RoleFilter({}), new kaltura.objects.FilterPager({ pageSize: 500 })));
        expect(r.objectType).toBe('KalturaUserRoleListResponse');
        const all = r.objects as Array<{ name: string; partnerId: number }>;
        expect(r.totalCount).toBe(all.length);
        expect(new Set(all.map((x) => x.partnerId))).toEqual(new Set([0, p.id]));
        const got = all.map((x) => x.name);
        for (const n of ['Publisher Administrator', 'Basic User Session Role', 'Manager', 'Content Uploader', 'Reviewer']) expect(got).toContain(n);
        expect(got).not.toContain('Theirs');
      });

      it('filters by idEqual and idIn', async () => {
        const reviewer = (await list({ nameEqual: 'Reviewer' })).objects[0];
        const pa = (await list({ systemNameEqual: 'PARTNER_ADMIN_ROLE' })).objects[0];
        expect(names(await list({ idEqual: reviewer.id }))).toEqual(['Reviewer']);
        expect(names(await list({ idIn: `${reviewer.id},${pa.id},987654` }))).toEqual(['Publisher Administrator', 'Reviewer']);
      });

      it('filters by nameEqual, systemNameEqual and descriptionLike', async () => {
        expect(names(await list({ nameEqual: 'Manager' }))).toEqual(['Manager']);
        expect(await list({ nameEqual: 'manager' })).toMatchObject({ totalCount: 0 });
        expect(names(await list({ systemNameEqual: 'REVIEWER' }))).toEqual(['Reviewer']);
        expect(names(await list({ systemNameEqual: 'BASE_USER_SESSION_ROLE' }))).toEqual(['Basic User Session Role']);
        expect(names(await list({ descriptionLike: 'reviews thi' }))).toEqual(['Reviewer']);
        expect(names(await list({ descriptionLike: 'Reviews', nameEqual: 'Manager' }))).toEqual([]);
      });
    });

    describe('permissions', () => {
      it('permission.list returns the catalogue', async () => {
        const r = await run(admin(), permission.listAction(undefined, new kaltura.objects.FilterPager({ pageSize: 500 })));
        expect(r.objectType).toBe('KalturaPermissionListResponse');
        const got = (r.objects as Array<{ name: string; objectType: string }>).map((x) => x.name);
        for (const n of ['ACCESS_CONTROL_BASE', 'APP_TOKEN_ADD', 'ADMIN_BASE', 'ADMIN_USER_ADD', 'BASE_USER_SESSION_PERMISSION']) expect(got).toContain(n);
        expect(r.totalCount).toBe(got.length);
        expect(r.objects[0].objectType).toBe('KalturaPermission');
        const one = await run(admin(), permission.listAction(new kaltura.objects.PermissionFilter({ nameEqual: 'APP_TOKEN_ADD' })));
        expect(one).toMatchObject({ totalCount: 1, objects: [{ name: 'APP_TOKEN_ADD' }] });
      });

      it("typeIn / typeEqual and statusEqual pick Kaltura's kinds: kmc-ng's sign-in asks the partner's features and plugins", async () => {
        const { PermissionType, PermissionStatus } = kaltura.enums;
        const byFilter = async (f: Record<string, unknown>) => run(admin(), permission.listAction(new kaltura.objects.PermissionFilter(f), new kaltura.objects.FilterPager({ pageSize: 500 })));
        // kmc-ng's filter (user.loginByLoginId's multirequest, last call).
        const partner = await byFilter({ statusEqual: PermissionStatus.ACTIVE, typeIn: `${PermissionType.SPECIAL_FEATURE},${PermissionType.PLUGIN}` });
        expect(partner.totalCount).toBe(2);
        expect(partner.objects.map((x: { name: string; type: number }) => [x.name, x.type])).toEqual([
          ['FEATURE_ENTITLEMENT', PermissionType.SPECIAL_FEATURE],
          ['METADATA_PLUGIN_PERMISSION', PermissionType.PLUGIN],
        ]);
        expect((await byFilter({ typeEqual: PermissionType.PLUGIN })).objects.map((x: { name: string }) => x.name)).toEqual(['METADATA_PLUGIN_PERMISSION']);
        const normal = await byFilter({ typeEqual: PermissionType.NORMAL });
        const normalNames = normal.objects.map((x: { name: string }) => x.name);
        for (const n of ['ADMIN_BASE', 'INTEGRATION_UPDATE_SETTINGS', 'APP_TOKEN_ADD']) expect(normalNames).toContain(n);
        expect(normalNames).not.toContain('FEATURE_ENTITLEMENT');
        expect(normal.objects.every((x: { type: number; status: number }) => x.type === 1 && x.status === 1)).toBe(true);
        expect(await byFilter({ typeIn: String(PermissionType.PARTNER_GROUP) })).toMatchObject({ totalCount: 0, objects: [] });
        expect(await byFilter({ statusEqual: PermissionStatus.BLOCKED, typeIn: '2,3' })).toMatchObject({ totalCount: 0 });
        expect(await byFilter({ statusIn: `${PermissionStatus.ACTIVE}`, typeEqual: PermissionType.SPECIAL_FEATURE })).toMatchObject({ totalCount: 1, objects: [{ name: 'FEATURE_ENTITLEMENT', status: 1 }] });
      });

      it("a change to a role's permissions applies at once to live sessions of its users", async () => {
        const r = await run(admin(), userRole.add(Role({ name: 'Grows', permissionNames: 'BASE_USER_SESSION_PERMISSION' })));
        await run(admin(), user.add(User({ id: 'grower', roleIds: String(r.id) })));
        const k = await userKs('grower');
        expect(await run(client(t, k), user.get())).toMatchObject({ id: 'grower' });
        expect(await failure(client(t, k), user.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'user->list' } });
        await run(admin(), userRole.update(r.id, Role({ permissionNames: 'BASE_USER_SESSION_PERMISSION,ADMIN_BASE' })));
        expect(await run(client(t, k), user.listAction())).toMatchObject({ objectType: 'KalturaUserListResponse' });
        await run(admin(), userRole.update(r.id, Role({ permissionNames: 'BASE_USER_SESSION_PERMISSION' })));
        expect(await failure(client(t, k), user.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'user->list' } });
      });

      it('the change reaches a second node sharing the database', async () => {
        const r = await run(admin(), userRole.add(Role({ name: 'Grows Remotely', permissionNames: 'BASE_USER_SESSION_PERMISSION' })));
        await run(admin(), user.add(User({ id: 'remote-grower', roleIds: String(r.id) })));
        const k = await userKs('remote-grower');
        const second = await startGatehouse(dialect, 'user-role-node2', { share: t });
        try {
          // The second node loads (and caches) the role.
          expect(await failure(client(second, k), user.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'user->list' } });
          await run(admin(), userRole.update(r.id, Role({ permissionNames: 'BASE_USER_SESSION_PERMISSION,ADMIN_BASE' })));
          await new Promise((resolve) => setTimeout(resolve, 300));
          expect(await run(client(second, k), user.listAction())).toMatchObject({ objectType: 'KalturaUserListResponse' });
        } finally {
          await second.close();
        }
      });
    });
  });
}
