/**
 * kmc-ng's Settings › Integration › Entitlement as it calls the server (issue 20), through the
 * official client on every dialect. The page loads `partner.getInfo` (its
 * `defaultEntitlementEnforcement`, shown as the "API Default") with `category.list`
 * `privacyContextEqual: '*'` (categories with a context of their own) in one multirequest; "Add
 * Entitlement" reads the picked category (`category.get`) and saves `category.update` with
 * `privacyContext`; Edit saves another label; Delete sends `privacyContext__null` (with privacy,
 * listing and contribution back to open when inherited contexts remain).
 *
 * kmc-ng enables those buttons with INTEGRATION_UPDATE_SETTINGS, which the partner administrator
 * role holds and the Manager template does not. What they save takes on the server what it takes on
 * Kaltura's: `category.update` needs CONTENT_MANAGE_EDIT_CATEGORIES and its `privacyContext` needs
 * CONTENT_MANAGE_CATEGORY_USERS (without it the field is dropped, not refused, as Kaltura's server
 * drops a property the caller may not update). Kaltura's only action requiring
 * INTEGRATION_UPDATE_SETTINGS is `partner.update`, which Gatehouse does not serve: a partner's
 * settings are the operator's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operatorToken } from '../../support/console.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';
import { api } from '../../support/rest.js';

const O = kaltura.objects;
const { category, partner, permission, user, userRole } = kaltura.services;
/** What kmc-ng signs in with. */
const KMC_PRIVILEGES = 'disableentitlement,appid:kmc';

for (const dialect of DIALECTS) {
  describe(`Settings › Integration › Entitlement calls kmc-ng makes [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let c: any;
    const login = async (email: string, password: string) => client(t, await run<string>(client(t), user.loginByLoginId(email, password, p.id, 86400, KMC_PRIVILEGES)));
    /** A console user of the partner holding exactly these permissions. */
    const consoleUser = async (name: string, permissionNames: string) => {
      const role = await run(c, userRole.add(new O.UserRole({ name, permissionNames, tags: 'kmc' })));
      const email = `${name.toLowerCase().replace(/\W+/g, '-')}@uni.test`;
      await run(c, user.add(new O.User({ id: email, email, password: 'long-enough-password-9', isAdmin: true, roleIds: String(role.id) })));
      return login(email, 'long-enough-password-9');
    };
    const add = async (name: string, parentId = 0) => (await run(c, category.add(new O.Category({ name, parentId })))).id as number;
    const page = async (as: any) => {
      const [info, list] = await run<any[]>(as, new kaltura.MultiRequestBuilder().add(partner.getInfo()).add(category.listAction(new O.CategoryFilter({ privacyContextEqual: '*' }))));
      return { enforcement: info.defaultEntitlementEnforcement, rows: list.objects.map((o: any) => [o.fullName, o.privacyContext]) };
    };

    beforeAll(async () => {
      t = await startGatehouse(dialect, 'kmc-entitlement');
      p = await registerPartner(t, 'Entitlement U');
      c = await login(p.adminEmail, p.password);
    });
    afterAll(() => t?.close());

    it("the administrator's role answers INTEGRATION_UPDATE_SETTINGS, which kmc-ng wants for Add Entitlement; the partner's permission.list does not, so a Manager's button is off", async () => {
      const r = await run(c, permission.listAction(new O.PermissionFilter({ statusEqual: 1, typeIn: '2,3' }), new O.FilterPager({ pageSize: 500 })));
      const partnerNames = r.objects.map((o: any) => o.name);
      expect(partnerNames).toContain('FEATURE_ENTITLEMENT');
      expect(partnerNames).not.toContain('INTEGRATION_UPDATE_SETTINGS');
      const me = await run(c, user.get());
      expect((await run(c, userRole.get(Number(me.roleIds)))).permissionNames.split(',')).toContain('INTEGRATION_UPDATE_SETTINGS');
      const manager = (await run(c, userRole.listAction(new O.UserRoleFilter({ nameEqual: 'Manager' })))).objects[0];
      expect(manager.permissionNames.split(',')).not.toContain('INTEGRATION_UPDATE_SETTINGS');
    });

    it('add, edit and delete an entitlement as the page does; the list shows categories with a context of their own', async () => {
      const physics = await add('Physics');
      const mechanics = await add('Mechanics', physics);
      await add('Optics');
      expect(await page(c)).toEqual({ enforcement: false, rows: [] });

      // Add: the picked category is read first (kmc-ng refuses one that already has a label).
      expect(await run(c, category.get(physics))).not.toHaveProperty('privacyContext');
      expect(await run(c, category.update(physics, new O.Category({ privacyContext: 'MEDIASPACE' })))).toMatchObject({ privacyContext: 'MEDIASPACE', privacyContexts: 'MEDIASPACE' });
      // The child inherits the context but has none of its own: not an entitlement of its own.
      expect(await run(c, category.get(mechanics))).toMatchObject({ privacyContexts: 'MEDIASPACE' });
      expect(await page(c)).toEqual({ enforcement: false, rows: [['Physics', 'MEDIASPACE']] });

      // Edit: a new label.
      await run(c, category.update(physics, new O.Category({ privacyContext: 'CAMPUS' })));
      expect((await page(c)).rows).toEqual([['Physics', 'CAMPUS']]);
      expect(await run(c, category.get(mechanics))).toMatchObject({ privacyContexts: 'CAMPUS' });

      // A child with a label of its own under a labelled parent.
      await run(c, category.update(mechanics, new O.Category({ privacyContext: 'LABS' })));
      await run(c, category.update(mechanics, new O.Category({ privacy: 3, appearInList: 3, contributionPolicy: 2 })));
      expect((await page(c)).rows).toEqual([['Physics', 'CAMPUS'], ['Physics>Mechanics', 'LABS']]);

      // Delete the child's: context cleared, and (an inherited context remaining) the page sends privacy, listing and contribution open again.
      const cleared = await run(c, category.update(mechanics, new O.Category({ privacyContext__null: '', privacy: 1, appearInList: 1, contributionPolicy: 1 })));
      expect(cleared).toMatchObject({ privacyContexts: 'CAMPUS', privacy: 1, appearInList: 1, contributionPolicy: 1 });
      expect(cleared).not.toHaveProperty('privacyContext');
      // Delete the parent's: no context left anywhere below it.
      await run(c, category.update(physics, new O.Category({ privacyContext__null: '' })));
      expect(await page(c)).toEqual({ enforcement: false, rows: [] });
      expect(await run(c, category.get(mechanics))).not.toHaveProperty('privacyContexts');
    });

    it("partner.getInfo answers the partner's defaultEntitlementEnforcement, which the operator sets; kmc-ng's session (disableentitlement) still sets contexts", async () => {
      const op = await operatorToken(t);
      const set = async (on: boolean) => expect((await api(t, 'PATCH', `/api/partners/${p.id}`, { token: op, body: { settings: { defaultEntitlementEnforcement: on } } })).status).toBe(200);
      await set(true);
      try {
        expect((await page(c)).enforcement).toBe(true);
        const history = await add('History');
        expect(await run(c, category.update(history, new O.Category({ privacyContext: 'ARCHIVE' })))).toMatchObject({ privacyContext: 'ARCHIVE' });
        // A session under enforcement (no disableentitlement) is refused, as on Kaltura's server:
        // there only a manager of the category may update it (§3.5).
        const geography = await add('Geography');
        const enforced = client(t, await adminKs(t, p));
        expect(await failure(enforced, category.update(geography, new O.Category({ privacyContext: 'MAPS' })))).toMatchObject({ code: 'NOT_ENTITLED_TO_UPDATE_CATEGORY' });
        expect(await run(c, category.get(geography))).not.toHaveProperty('privacyContext');
      } finally {
        await set(false);
      }
      expect((await page(c)).enforcement).toBe(false);
    });

    it("a Manager making the page's calls changes no privacy context and no partner setting", async () => {
      const manager = (await run(c, userRole.listAction(new O.UserRoleFilter({ nameEqual: 'Manager' })))).objects[0];
      expect(manager.permissionNames.split(',')).not.toContain('INTEGRATION_UPDATE_SETTINGS');
      await run(c, user.add(new O.User({ id: 'mia@uni.test', email: 'mia@uni.test', password: 'long-enough-password-m', isAdmin: true, roleIds: String(manager.id) })));
      const m = await login('mia@uni.test', 'long-enough-password-m');
      const open = await add('Open Lectures');
      const closed = await add('Closed Seminars');
      await run(c, category.update(closed, new O.Category({ privacyContext: 'SEMINARS' })));
      await run(c, category.update(closed, new O.Category({ privacy: 3, appearInList: 3, contributionPolicy: 2 })));
      const before = await page(c);

      // The page loads for a Manager (it may read the partner and the categories)...
      expect(await page(m)).toEqual(before);
      // ...but Add, Edit and Delete change nothing: the field needs CONTENT_MANAGE_CATEGORY_USERS.
      await run(m, category.get(open));
      expect(await run(m, category.update(open, new O.Category({ privacyContext: 'STOLEN1' })))).not.toHaveProperty('privacyContext');
      await run(m, category.update(closed, new O.Category({ privacyContext: 'STOLEN2' })));
      await run(m, category.update(closed, new O.Category({ privacyContext__null: '', privacy: 1, appearInList: 1, contributionPolicy: 1 })));
      expect(await run(c, category.get(open))).not.toHaveProperty('privacyContexts');
      expect(await run(c, category.get(closed))).toMatchObject({ privacyContext: 'SEMINARS', privacy: 3, appearInList: 3, contributionPolicy: 2 });
      expect(await page(c)).toEqual(before);

      // Partner settings: Kaltura's partner.update (ACCOUNT_UPDATE_SETTINGS or INTEGRATION_UPDATE_SETTINGS) is not served here.
      const ex = await failure(m, partner.update(new O.Partner({ description: 'taken over' })));
      expect(['SERVICE_FORBIDDEN', 'ACTION_DOES_NOT_EXISTS']).toContain(ex.code);
      expect(await run(c, partner.getInfo())).toMatchObject({ description: 'conformance', defaultEntitlementEnforcement: false });
    });

    it('nobody hands out INTEGRATION_UPDATE_SETTINGS without holding it; holding it alone sets no context either', async () => {
      const editor = await consoleUser('Role Editor', 'KMC_ACCESS,ADMIN_BASE,ADMIN_ROLE_ADD,ADMIN_ROLE_UPDATE,CONTENT_MANAGE_BASE');
      expect(await failure(editor, userRole.add(new O.UserRole({ name: 'Integrator', permissionNames: 'KMC_ACCESS,INTEGRATION_BASE,INTEGRATION_UPDATE_SETTINGS' })))).toMatchObject({ code: 'PERMISSION_NOT_HELD' });

      // kmc-ng's switch for the page is not the server's rule: the context still needs CONTENT_MANAGE_CATEGORY_USERS.
      const integrator = await consoleUser('Integrator', 'KMC_ACCESS,INTEGRATION_BASE,INTEGRATION_UPDATE_SETTINGS,CONTENT_MANAGE_BASE,CONTENT_MANAGE_EDIT_CATEGORIES');
      const music = await add('Music');
      await run(integrator, category.update(music, new O.Category({ privacyContext: 'MUSICLAB' })));
      expect(await run(c, category.get(music))).not.toHaveProperty('privacyContext');
      const entitler = await consoleUser('Entitler', 'KMC_ACCESS,INTEGRATION_BASE,INTEGRATION_UPDATE_SETTINGS,CONTENT_MANAGE_BASE,CONTENT_MANAGE_EDIT_CATEGORIES,CONTENT_MANAGE_CATEGORY_USERS');
      expect(await run(entitler, category.update(music, new O.Category({ privacyContext: 'MUSICLAB' })))).toMatchObject({ privacyContext: 'MUSICLAB' });
    });
  });
}
