/**
 * Administration calls as kmc-ng makes them (issue 20), through the official client on every
 * dialect: the roles it lists (`tagsMultiLikeOr: 'kmc'`) and the administrator role it looks for
 * (`partner_admin`), `roleNames` on users, the deleted user user.delete answers, and roles made
 * with kmc-ng's permission tree — Kaltura's names Gatehouse serves nothing for are accepted,
 * never listed by permission.list, and still cannot be granted by a Manager, who lacks them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const { user, userRole, permission } = kaltura.services;

/** What kmc-ng's role editor sends with every feature switched on (its permission tree). */
const KMC_TREE = [
  'KMC_ACCESS,CONTENT_INGEST_BASE,CONTENT_INGEST_UPLOAD,CONTENT_INGEST_BULK_UPLOAD,dropFolder.CONTENT_INGEST_DROP_FOLDER_MATCH,LIVE_STREAM_ADD',
  'CONTENT_MANAGE_BASE,CONTENT_MANAGE_METADATA,CONTENT_MANAGE_ASSIGN_CATEGORIES,CONTENT_MANAGE_EDIT_CATEGORIES,CONTENT_MANAGE_ACCESS_CONTROL,cuePoint.MANAGE',
  'CONTENT_MODERATE_BASE,PLAYLIST_BASE,PLAYLIST_ADD,SYNDICATION_BASE,STUDIO_BASE,ANALYTICS_BASE,TRANSCODING_BASE,ADMIN_BASE,ADMIN_ROLE_ADD,ADMIN_USER_BULK',
].join(',');

for (const dialect of DIALECTS) {
  describe(`administration calls kmc-ng makes [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let c: any;
    let managerKs: string;
    let editorKs: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'kmc-admin-calls');
      p = await registerPartner(t, 'Roles U');
      c = client(t, await adminKs(t, p));
      const manager = (await run(c, userRole.listAction(new O.UserRoleFilter({ nameEqual: 'Manager' })))).objects[0];
      await run(c, user.add(new O.User({ id: 'mgr@uni.test', email: 'mgr@uni.test', password: 'long-enough-password-m', isAdmin: true, roleIds: String(manager.id) })));
      managerKs = await run<string>(client(t), user.loginByLoginId('mgr@uni.test', 'long-enough-password-m', p.id));
      // A console user who may make roles but holds little else.
      const editor = await run(c, userRole.add(new O.UserRole({ name: 'Role editor', permissionNames: 'KMC_ACCESS,ADMIN_BASE,ADMIN_ROLE_ADD,ADMIN_ROLE_UPDATE,CONTENT_MANAGE_BASE', tags: 'kmc' })));
      await run(c, user.add(new O.User({ id: 'ed@uni.test', email: 'ed@uni.test', password: 'long-enough-password-e', isAdmin: true, roleIds: String(editor.id) })));
      editorKs = await run<string>(client(t), user.loginByLoginId('ed@uni.test', 'long-enough-password-e', p.id));
    });
    afterAll(() => t?.close());

    it("userRole.list with tagsMultiLikeOr 'kmc' answers the administrator role and the partner's template roles", async () => {
      const r = await run(c, userRole.listAction(new O.UserRoleFilter({ statusEqual: 1, orderBy: '+id', tagsMultiLikeOr: 'kmc' }), new O.FilterPager({ pageSize: 500 })));
      expect(r.objects.map((o: any) => o.name)).toEqual(['Publisher Administrator', 'Manager', 'Content Uploader', 'Content Moderator', 'Player Designer', 'Role editor']);
      expect(r.objects[0]).toMatchObject({ partnerId: 0, systemName: 'PARTNER_ADMIN_ROLE', tags: 'kmc,partner_admin' });
      expect(r.objects.slice(1).every((o: any) => o.partnerId === p.id && o.tags === 'kmc')).toBe(true);
      const admins = await run(c, userRole.listAction(new O.UserRoleFilter({ statusEqual: 1, tagsMultiLikeOr: 'partner_admin' })));
      expect(admins.objects.map((o: any) => o.systemName)).toEqual(['PARTNER_ADMIN_ROLE']);
    });

    it('users answer roleNames, the names of their roles; user.delete answers the deleted user', async () => {
      const listed = await run(c, user.listAction(new O.UserFilter({ isAdminEqual: 1, loginEnabledEqual: 1, statusIn: '1,0', orderBy: '+createdAt' })));
      const byId = Object.fromEntries(listed.objects.map((u: any) => [u.id, u.roleNames]));
      expect(byId).toEqual({ [p.adminEmail]: 'Publisher Administrator', 'mgr@uni.test': 'Manager', 'ed@uni.test': 'Role editor' });
      expect(await run(c, user.get('mgr@uni.test'))).toMatchObject({ roleNames: 'Manager' });
      await run(c, user.add(new O.User({ id: 'short-lived', email: 'short@uni.test', firstName: 'Short', lastName: 'Lived' })));
      expect(await run(c, user.deleteAction('short-lived'))).toMatchObject({ objectType: 'KalturaUser', id: 'short-lived', status: 2, roleNames: '' });
    });

    it("userRole.add with kmc-ng's permission tree: accepted from an administrator, names kept as sent", async () => {
      const role = await run(c, userRole.add(new O.UserRole({ name: 'Everything kmc-ng offers', description: 'tree', permissionNames: KMC_TREE, tags: 'kmc' })));
      expect(role.permissionNames.split(',')).toEqual(KMC_TREE.split(','));
      const updated = await run(c, userRole.update(role.id, new O.UserRole({ permissionNames: KMC_TREE.replace(',CONTENT_MODERATE_BASE', '') })));
      expect(updated.permissionNames).not.toContain('CONTENT_MODERATE_BASE');
      // A name neither Gatehouse nor Kaltura knows is still refused.
      expect(await failure(c, userRole.add(new O.UserRole({ name: 'Typo', permissionNames: 'KMC_ACCESS,PLAYLIST_BAS' })))).toMatchObject({ code: 'PERMISSION_NOT_FOUND' });
    });

    it('nobody grants what it lacks: the tree, or one unserved name, is PERMISSION_NOT_HELD for a role editor; a Manager may not make roles at all', async () => {
      const m = client(t, managerKs);
      expect(await failure(m, userRole.add(new O.UserRole({ name: 'Mgr tree', permissionNames: KMC_TREE, tags: 'kmc' })))).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
      const e = client(t, editorKs);
      expect(await failure(e, userRole.add(new O.UserRole({ name: 'Ed tree', permissionNames: KMC_TREE, tags: 'kmc' })))).toMatchObject({ code: 'PERMISSION_NOT_HELD' });
      expect(await failure(e, userRole.add(new O.UserRole({ name: 'Ed playlists', permissionNames: 'KMC_ACCESS,PLAYLIST_BASE', tags: 'kmc' })))).toMatchObject({ code: 'PERMISSION_NOT_HELD' });
      const own = await run(e, userRole.add(new O.UserRole({ name: 'Ed viewers', permissionNames: 'KMC_ACCESS,CONTENT_MANAGE_BASE', tags: 'kmc' })));
      expect(await failure(e, userRole.update(own.id, new O.UserRole({ permissionNames: 'KMC_ACCESS,CONTENT_MANAGE_BASE,ANALYTICS_BASE' })))).toMatchObject({ code: 'PERMISSION_NOT_HELD' });
    });

    it('category.move puts categories sharing a parent under another (0: top level) and answers true', async () => {
      const { category } = kaltura.services;
      const add = async (name: string, parentId = 0) => (await run(c, category.add(new O.Category({ name, parentId })))).id as number;
      const science = await add('Science');
      const [a, b] = [await add('Optics'), await add('Acoustics')];
      const chem = await add('Chemistry', science);
      expect(await run(c, category.move(`${a},${b}`, science))).toBe(true);
      expect((await run(c, category.get(a))).fullName).toBe('Science>Optics');
      expect((await run(c, category.get(science))).directSubCategoriesCount).toBe(3);
      expect(await failure(c, category.move(`${a},${science}`, 0))).toMatchObject({ code: 'CANNOT_MOVE_CATEGORIES_FROM_DIFFERENT_PARENT_CATEGORY' });
      expect(await failure(c, category.move(`${a}`, 999999))).toMatchObject({ code: 'CATEGORY_NOT_FOUND' });
      expect(await failure(c, category.move(`${science}`, chem))).toMatchObject({ code: 'PARENT_CATEGORY_IS_CHILD' });
      expect(await failure(c, category.move('x,1', 0))).toMatchObject({ code: 'INVALID_FIELD_VALUE' });
      expect(await run(c, category.move(`${b}`, 0))).toBe(true);
      expect((await run(c, category.get(b))).fullName).toBe('Acoustics');
      // A Manager edits categories; a session without CONTENT_MANAGE_EDIT_CATEGORIES may not move them.
      expect(await run(client(t, managerKs), category.move(`${b}`, science))).toBe(true);
      expect(await failure(client(t, editorKs), category.move(`${b}`, 0))).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
    });

    it("permission.list (kmc-ng's typeIn 2,3 call) answers the partner's features; userRole.get spells out the administrator's `*` as the names Gatehouse serves", async () => {
      const r = await run(c, permission.listAction(new O.PermissionFilter({ statusEqual: 1, typeIn: '2,3' }), new O.FilterPager({ pageSize: 500 })));
      // Entitlement and custom metadata are served for every partner: kmc-ng then shows a
      // category's Entitlements section and Settings › Custom Data to roles that name them.
      expect(r.objects.map((o: any) => [o.name, o.type])).toEqual([['FEATURE_ENTITLEMENT', 2], ['METADATA_PLUGIN_PERMISSION', 3]]);
      // kmc-ng adds the user's role names: the administrator's are every served one, never an unserved one.
      const pa = (await run(c, userRole.listAction(new O.UserRoleFilter({ systemNameEqual: 'PARTNER_ADMIN_ROLE' })))).objects[0];
      const names = (await run(c, userRole.get(pa.id))).permissionNames.split(',');
      for (const n of ['KMC_ACCESS', 'ADMIN_ROLE_ADD', 'INTEGRATION_UPDATE_SETTINGS', 'CUSTOM_DATA_PROFILE_BASE']) expect(names).toContain(n);
      for (const unserved of ['*', 'PLAYLIST_BASE', 'CONTENT_MODERATE_BASE', 'STUDIO_BASE', 'ANALYTICS_BASE', 'dropFolder.CONTENT_INGEST_DROP_FOLDER_BASE']) expect(names).not.toContain(unserved);
      // The Manager template names only served permissions, so kmc-ng shows it no menu Gatehouse does not run.
      const manager = (await run(c, userRole.listAction(new O.UserRoleFilter({ nameEqual: 'Manager' })))).objects[0];
      const served = new Set((await run(c, permission.listAction(undefined, new O.FilterPager({ pageSize: 500 })))).objects.map((o: any) => o.name));
      expect(manager.permissionNames.split(',').filter((n: string) => !served.has(n))).toEqual([]);
    });
  });
}

describe('Settings › Integration and Content › Documents lists for features Gatehouse does not run', () => {
  let t: TestGatehouse;
  let c: any;
  beforeAll(async () => {
    t = await startGatehouse('sqlite', 'kmc-integration');
    c = client(t, await adminKs(t, await registerPartner(t, 'Integration U')));
  });
  afterAll(() => t?.close());

  it('distribution profiles, Zoom and Webex integrations, documents answer empty lists of their types', async () => {
    const s = kaltura.services;
    expect(await run(c, s.documents.listAction(new O.DocumentEntryFilter({ orderBy: '-createdAt' })))).toMatchObject({ objectType: 'KalturaDocumentListResponse', objects: [], totalCount: 0 });
    expect(await run(c, s.distributionProfile.listAction())).toMatchObject({ objectType: 'KalturaDistributionProfileListResponse', objects: [], totalCount: 0 });
    expect(await run(c, s.zoomVendor.listAction())).toMatchObject({ objectType: 'KalturaZoomIntegrationSettingResponse', objects: [], totalCount: 0 });
    expect(await run(c, s.webexVendor.listAction())).toMatchObject({ objectType: 'KalturaWebexAPIIntegrationSettingResponse', objects: [], totalCount: 0 });
    // Without a session they are refused like every console call, not answered.
    expect(await failure(client(t), s.zoomVendor.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
  });
});

describe('elasticsearch_esearch.searchUser as kmc-ng asks it', () => {
  let t: TestGatehouse;
  let c: any;
  let extId: string;
  beforeAll(async () => {
    t = await startGatehouse('sqlite', 'kmc-esearch');
    c = client(t, await adminKs(t, await registerPartner(t, 'Search U')));
    extId = (await run(c, user.add(new O.User({ email: 'ext@uni.test', firstName: 'Exa', lastName: 'Ternal', externalId: 'lms-42' })))).id;
    await run(c, user.add(new O.User({ id: 'int-1', email: 'int@uni.test', firstName: 'Inna', lastName: 'Ternal' })));
  });
  afterAll(() => t?.close());

  const item = (fieldName: string, searchTerm: string, itemType = 1) => new O.ESearchUserItem({ fieldName, itemType, searchTerm });
  const search = (items: any[], operator = 1, objectStatuses = '1') =>
    kaltura.services.eSearch.searchUser(new O.ESearchUserParams({ objectStatuses, searchOperator: new O.ESearchUserOperator({ operator, searchItems: items }) }), new O.Pager());

  it('an external id (exact match) finds its user, as a KalturaESearchUserResult; an unknown one finds none', async () => {
    const r = await run(c, search([item('external_id', 'lms-42')]));
    expect(r).toMatchObject({ objectType: 'KalturaESearchUserResponse', totalCount: 1 });
    expect(r.objects[0]).toMatchObject({ objectType: 'KalturaESearchUserResult', object: { objectType: 'KalturaUser', id: extId, externalId: 'lms-42' } });
    expect(await run(c, search([item('external_id', 'nobody')]))).toMatchObject({ totalCount: 0, objects: [] });
  });

  it('items on user fields are joined with AND; what Gatehouse cannot answer is refused, not guessed', async () => {
    const r = await run(c, search([item('last_name', 'Tern', 3), item('email', 'int@', 2)]));
    expect(r.objects.map((o: any) => o.object.id)).toEqual(['int-1']);
    expect(await failure(c, search([item('tags', 'x')]))).toMatchObject({ code: 'INVALID_FIELD_VALUE' });
    expect(await failure(c, search([item('external_id', 'lms-42'), item('user_id', extId)], 2))).toMatchObject({ code: 'INVALID_FIELD_VALUE' });
    expect(await failure(client(t), search([item('external_id', 'lms-42')]))).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
  });
});
