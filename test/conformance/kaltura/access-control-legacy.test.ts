/**
 * The legacy `accessControl` service (issue 20, what kmc-ng speaks) through the official client,
 * on every dialect: the same profiles as accessControlProfile, restrictions stored as the rules the
 * real server makes of them (and enforced as such), other rules reported as unsupported; and the
 * calls for features Gatehouse does not run answer empty lists of the right types.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry, blocked, contextData } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const AC = kaltura.services.accessControl;
const ACP = kaltura.services.accessControlProfile;

for (const dialect of DIALECTS) {
  describe(`accessControl (legacy restrictions) [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let c: any;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'ac-legacy');
      p = await registerPartner(t, 'Legacy Restrictions U');
      c = client(t, await adminKs(t, p));
    });
    afterAll(() => t?.close());

    it('restrictions become BLOCK rules in PLAY and DOWNLOAD, allow lists inverted, and read back the same through both names', async () => {
      const added = await run(
        c,
        AC.add(
          new O.AccessControl({
            name: 'Campus only',
            restrictions: [
              new O.SiteRestriction({ siteRestrictionType: 1, siteList: 'campus.edu,lms.campus.edu' }),
              new O.CountryRestriction({ countryRestrictionType: 0, countryList: 'kp,ir' }),
              new O.IpAddressRestriction({ ipAddressRestrictionType: 1, ipAddressList: '10.0.0.0/8' }),
              new O.SessionRestriction(),
              new O.LimitFlavorsRestriction({ limitFlavorsRestrictionType: 1, flavorParamsIds: '0,487041' }),
            ],
          }),
        ),
      );
      expect(added).toMatchObject({ objectType: 'KalturaAccessControl', name: 'Campus only', partnerId: p.id, containsUnsuportedRestrictions: false });
      expect(added.restrictions.map((r: any) => r.objectType)).toEqual(['KalturaSiteRestriction', 'KalturaCountryRestriction', 'KalturaIpAddressRestriction', 'KalturaSessionRestriction', 'KalturaLimitFlavorsRestriction']);
      expect(added.restrictions[1]).toMatchObject({ countryRestrictionType: 0, countryList: 'KP,IR' });
      expect(added.restrictions[4]).toMatchObject({ limitFlavorsRestrictionType: 1, flavorParamsIds: '0,487041' });

      const profile = await run(c, ACP.get(added.id));
      const site = profile.rules[0];
      expect(site.contexts.map((h: any) => Number(h.type))).toEqual([1, 2]);
      expect(site.actions.map((a: any) => a.objectType)).toEqual(['KalturaAccessControlBlockAction']);
      expect(site.conditions[0]).toMatchObject({ objectType: 'KalturaSiteCondition', not: true });
      expect(profile.rules[1].conditions[0]).toMatchObject({ objectType: 'KalturaCountryCondition', not: false });
      expect(profile.rules[3].conditions[0]).toMatchObject({ objectType: 'KalturaAuthenticatedCondition', not: true });
      expect(profile.rules[4].conditions).toEqual([]);
      expect(profile.rules[4].actions[0]).toMatchObject({ objectType: 'KalturaAccessControlLimitFlavorsAction', isBlockedList: false, flavorParamsIds: '0,487041' });

      const legacyList = await run(c, AC.listAction());
      const profileList = await run(c, ACP.listAction());
      expect(legacyList.objectType).toBe('KalturaAccessControlListResponse');
      expect(legacyList.objects.map((o: any) => o.id).sort()).toEqual(profileList.objects.map((o: any) => o.id).sort());
    });

    it('the stored restrictions are enforced: the allowed site with a viewing session plays, another site or a widget session is blocked', async () => {
      const ac = await run(c, AC.add(new O.AccessControl({ name: 'Site and session', restrictions: [new O.SiteRestriction({ siteRestrictionType: 1, siteList: 'campus.edu' }), new O.SessionRestriction()] })));
      const entry = await addEntry(c, { accessControlId: ac.id });
      // As on the real server, a session restriction asks for a session allowed to view (sview).
      const userKs = await run<string>(client(t), kaltura.services.session.start(p.secret, 'student', 0, p.id, 3600, `sview:${entry.id}`));
      const widgetKs = (await run<any>(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`))).ks;
      expect(blocked((await contextData(t, userKs, entry.id, { referrer: 'https://www.campus.edu/course' })).result)).toBe(false);
      expect(blocked((await contextData(t, userKs, entry.id, { referrer: 'https://elsewhere.test/' })).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, entry.id, { referrer: 'https://www.campus.edu/course' })).result)).toBe(true);
    });

    it('a preview restriction lets the unauthenticated preview; update replaces the restrictions, an empty list clears them', async () => {
      const ac = await run(c, AC.add(new O.AccessControl({ name: 'Preview', restrictions: [new O.PreviewRestriction({ previewLength: 30 })] })));
      expect(ac.restrictions).toEqual([expect.objectContaining({ objectType: 'KalturaPreviewRestriction', previewLength: 30 })]);
      expect((await run(c, ACP.get(ac.id))).rules[0].actions[0]).toMatchObject({ objectType: 'KalturaAccessControlPreviewAction', limit: 30 });
      const changed = await run(c, AC.update(ac.id, new O.AccessControl({ description: 'ua', restrictions: [new O.UserAgentRestriction({ userAgentRestrictionType: 0, userAgentRegexList: 'curl.*' })] })));
      expect(changed).toMatchObject({ name: 'Preview', description: 'ua', restrictions: [{ objectType: 'KalturaUserAgentRestriction', userAgentRestrictionType: 0, userAgentRegexList: 'curl.*' }] });
      // kmc-ng sends restrictions: [] (allowEmptyArray) to remove them all.
      const res = await fetch(`${t.url}/api_v3/service/accessControl/action/update?format=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ks: c.getKs(), id: ac.id, accessControl: { objectType: 'KalturaAccessControl', restrictions: [] } }),
      });
      expect(await res.json()).toMatchObject({ id: ac.id, restrictions: [] });
      expect((await run(c, ACP.get(ac.id))).rules).toEqual([]);
    });

    it('rules a restriction cannot say are left out and reported (containsUnsuportedRestrictions); delete and errors as accessControlProfile', async () => {
      const hash = new O.AccessControlProfile({
        name: 'Hashed',
        rules: [new O.Rule({ conditions: [new O.HashCondition({ hashName: 'h', hashSecret: 's' })], actions: [new O.AccessControlBlockAction()] }), new O.Rule({ conditions: [new O.CountryCondition({ not: true, values: [new O.StringValue({ value: 'FR' })] })], actions: [new O.AccessControlBlockAction()] })],
      });
      const profile = await run(c, ACP.add(hash));
      const legacy = await run(c, AC.get(profile.id));
      expect(legacy).toMatchObject({ containsUnsuportedRestrictions: true, restrictions: [{ objectType: 'KalturaCountryRestriction', countryRestrictionType: 1, countryList: 'FR' }] });
      expect(await run(c, AC.deleteAction(profile.id))).toBeFalsy();
      expect(await failure(c, AC.get(profile.id))).toMatchObject({ code: 'ACCESS_CONTROL_ID_NOT_FOUND' });
      expect(await failure(c, AC.add(new O.AccessControl({ name: 'empty site', restrictions: [new O.SiteRestriction({ siteRestrictionType: 1, siteList: '' })] })))).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL' });
      expect(await failure(c, AC.add(new O.AccessControl({ name: 'dir', restrictions: [new O.DirectoryRestriction({ directoryRestrictionType: 1 })] })))).toMatchObject({ code: 'OBJECT_TYPE_ABSTRACT' });
      const userKs = await run<string>(client(t), kaltura.services.session.start(p.secret, 'student', 0, p.id));
      expect(await failure(client(t, userKs), AC.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
    });

    it('features Gatehouse does not run answer as for a partner with none: no feature status, no bulk uploads or drop folders, the system flavor params', async () => {
      expect(await run(c, kaltura.services.partner.listFeatureStatus())).toMatchObject({ objectType: 'KalturaFeatureStatusListResponse', totalCount: 0, objects: [] });
      expect(await run(c, kaltura.services.bulk.listAction())).toMatchObject({ objectType: 'KalturaBulkUploadListResponse', totalCount: 0 });
      expect(await run(c, kaltura.services.dropFolder.listAction())).toMatchObject({ objectType: 'KalturaDropFolderListResponse', totalCount: 0 });
      const flavors = await run(c, kaltura.services.flavorParams.listAction(null, new O.FilterPager({ pageSize: 3 })));
      expect(flavors.totalCount).toBe(7);
      expect(flavors.objects.map((f: any) => [f.objectType, f.id])).toEqual([['KalturaFlavorParams', 0], ['KalturaFlavorParams', 487041], ['KalturaFlavorParams', 487051]]);
      const userKs = await run<string>(client(t), kaltura.services.session.start(p.secret, 'student', 0, p.id));
      expect(await failure(client(t, userKs), kaltura.services.flavorParams.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
    });
  });
}
