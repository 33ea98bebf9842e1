/** accessControlProfile.* through the official client, on every dialect (protocol §5.1). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry, addProfile, block, play, rule, strings } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const S = kaltura.services.accessControlProfile;

for (const dialect of DIALECTS) {
  describe(`accessControlProfile service [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let admin: any;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'access-control');
      p = await registerPartner(t, 'Access Control U');
      admin = client(t, await adminKs(t, p));
    });
    afterAll(() => t?.close());

    it("a new partner owns a copy of the template's default profile", async () => {
      const list = await run(admin, S.listAction());
      expect(list).toMatchObject({ objectType: 'KalturaAccessControlProfileListResponse', totalCount: 1 });
      const [def] = list.objects;
      expect(def).toMatchObject({ objectType: 'KalturaAccessControlProfile', partnerId: p.id, isDefault: true, name: 'Default', rules: [] });
      const info = await run(admin, kaltura.services.partner.getInfo());
      expect(info.defaultAccessControlId).toBe(def.id);
    });

    it('add returns the profile with its rules; get returns the same object', async () => {
      const rules = [rule({ conditions: [new O.CountryCondition({ not: true, values: strings('US', 'CA') })], actions: [block()], contexts: [new O.ContextTypeHolder({ type: '1' })], message: 'Content not available in your region' })];
      const added = await addProfile(admin, 'US Only Playback', rules, { description: 'Block playback outside United States', systemName: 'us_only' });
      expect(added).toMatchObject({
        objectType: 'KalturaAccessControlProfile',
        partnerId: p.id,
        name: 'US Only Playback',
        systemName: 'us_only',
        isDefault: false,
        rules: [
          {
            objectType: 'KalturaRule',
            message: 'Content not available in your region',
            stopProcessing: false,
            conditions: [{ objectType: 'KalturaCountryCondition', type: 2, not: true, values: [{ objectType: 'KalturaStringValue', value: 'US' }, { objectType: 'KalturaStringValue', value: 'CA' }] }],
            actions: [{ objectType: 'KalturaAccessControlBlockAction', type: 1 }],
            contexts: [{ objectType: 'KalturaAccessControlContextTypeHolder', type: 1 }],
          },
        ],
      });
      expect(added.id).toBeGreaterThan(0);
      expect(added.createdAt).toBe(Math.floor(t.clock.nowMs() / 1000));
      expect(await run(admin, S.get(added.id))).toEqual(added);
    });

    it('every condition, field, value and action class round-trips', async () => {
      const conditions = [
        new O.AuthenticatedCondition({ privileges: strings('sview', 'download') }),
        new O.CountryCondition({ values: strings('FR'), not: true, description: 'not France' }),
        new O.IpAddressCondition({ values: strings('10.0.0.0/8,192.168.0.0/255.255.0.0', '1.2.3.4-1.2.3.9'), acceptInternalIps: true, httpHeader: 'X-Real-IP' }),
        new O.SiteCondition({ values: strings('*.publisher.com', 'kaltura.com') }),
        new O.UserAgentCondition({ values: strings('.*iPad.*') }),
        new O.FieldMatchCondition({ field: new O.CountryContextField(), values: strings('US'), matchType: '1' }),
        new O.FieldMatchCondition({ field: new O.UserEmailContextField(), values: strings('a@b.test') }),
        new O.FieldCompareCondition({ field: new O.TimeContextField({ offset: 3600 }), comparison: '3', value: new O.IntegerValue({ value: 1700000000 }) }),
        new O.UserRoleCondition({ roleIds: '1,2' }),
        new O.OrCondition({ conditions: [new O.SiteCondition({ values: strings('a.test') }), new O.IpAddressCondition({ values: strings('5.5.5.5'), not: true })] }),
        new O.HashCondition({ hashName: 'h', hashSecret: 's3cret' }),
        new O.HttpHeaderCondition({ headerName: 'X-Tenant', values: strings('^acme$') }),
        new O.EntryScheduledCondition(),
        new O.ActionNameCondition({ values: strings('baseentry\\..*') }),
        new O.SessionTypeCondition({ sessionType: 0 }),
        new O.MatchMetadataCondition({ xPath: 'AudioLanguage', profileId: 12, values: strings('French') }),
        new O.CompareMetadataCondition({ xPath: "/*[local-name()='metadata']/*[local-name()='ipadSunrise']", profileSystemName: 'sched', comparison: '4', value: new O.TimeContextField() }),
      ];
      const actions = [
        new O.AccessControlBlockAction(),
        new O.AccessControlPreviewAction({ limit: 30 }),
        new O.AccessControlLimitFlavorsAction({ flavorParamsIds: '487041,487051', isBlockedList: false }),
        new O.AccessControlLimitDeliveryProfilesAction({ deliveryProfileIds: '7', isBlockedList: true }),
        new O.AccessControlServeRemoteEdgeServerAction({ edgeServerIds: '3', seamlessFallbackEnabled: true }),
        new O.AccessControlLimitThumbnailCaptureAction(),
      ];
      const contexts = [play(), new O.ContextTypeHolder({ type: '2' }), new O.AccessControlContextTypeHolder({ type: '3' })];
      const added = await addProfile(admin, 'everything', [rule({ conditions, actions, contexts, stopProcessing: true, code: 'E1', forceAdminValidation: 1 })]);
      const got = await run(admin, S.get(added.id));
      const [r] = got.rules;
      expect(r).toMatchObject({ stopProcessing: true, code: 'E1', forceAdminValidation: 1, contexts: [1, 2, 3].map((type) => ({ type, objectType: 'KalturaAccessControlContextTypeHolder' })) });
      expect(r.conditions.map((c: any) => [c.objectType, c.type])).toEqual([
        ['KalturaAuthenticatedCondition', 1],
        ['KalturaCountryCondition', 2],
        ['KalturaIpAddressCondition', 3],
        ['KalturaSiteCondition', 4],
        ['KalturaUserAgentCondition', 5],
        ['KalturaFieldMatchCondition', 6],
        ['KalturaFieldMatchCondition', 6],
        ['KalturaFieldCompareCondition', 7],
        ['KalturaUserRoleCondition', 9],
        ['KalturaOrCondition', 11],
        ['KalturaHashCondition', 12],
        ['KalturaHttpHeaderCondition', 18],
        ['KalturaEntryScheduledCondition', 19],
        ['KalturaActionNameCondition', 20],
        ['KalturaSessionTypeCondition', 22],
        ['KalturaMatchMetadataCondition', 'metadata.FieldMatch'],
        ['KalturaCompareMetadataCondition', 'metadata.FieldCompare'],
      ]);
      // What was sent comes back (the client objects carry only what was set).
      for (let i = 0; i < conditions.length; i++) expect(r.conditions[i]).toMatchObject(JSON.parse(JSON.stringify(conditions[i]), numbersForEnums));
      expect(r.actions.map((a: any) => a.type)).toEqual([1, 2, 3, 5, 6, 8]);
      for (let i = 0; i < actions.length; i++) expect(r.actions[i]).toMatchObject(JSON.parse(JSON.stringify(actions[i])));
      // A profile sent back as fetched (type fields and all) is accepted unchanged.
      const again = await run(admin, S.update(added.id, new O.AccessControlProfile({ rules: got.rules })));
      expect(again.rules).toEqual(got.rules);
    });

    it('objectType: abstract or unknown classes are OBJECT_TYPE_ABSTRACT', async () => {
      const cases: Array<[any, string]> = [
        [rule({ conditions: [{ values: strings('US') }] }), 'KalturaCondition'],
        [rule({ conditions: [{ objectType: 'KalturaMatchCondition', values: strings('US') }] }), 'KalturaMatchCondition'],
        [rule({ conditions: [{ objectType: 'KalturaGeoDistanceCondition' }] }), 'KalturaCondition'],
        [rule({ conditions: [{ objectType: 'KalturaCompareCondition', comparison: '1' }] }), 'KalturaCompareCondition'],
        [rule({ actions: [{ objectType: 'KalturaRuleAction' }] }), 'KalturaRuleAction'],
        [rule({ conditions: [new O.FieldMatchCondition({ field: new O.StringValue({ value: 'x' }), values: strings('x') })] }), 'KalturaStringField'],
      ];
      for (const [r, objType] of cases) {
        expect(await failure(admin, S.add(new O.AccessControlProfile({ name: 'abstract', rules: [r] })))).toMatchObject({ code: 'OBJECT_TYPE_ABSTRACT', args: { OBJ_TYPE: objType } });
      }
    });

    it('required properties: PROPERTY_VALIDATION_CANNOT_BE_NULL', async () => {
      expect(await failure(admin, S.add(new O.AccessControlProfile({ description: 'no name' })))).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaAccessControlProfile::name' } });
      const header = rule({ conditions: [new O.HttpHeaderCondition({ values: strings('x') })] });
      expect(await failure(admin, S.add(new O.AccessControlProfile({ name: 'h', rules: [header] })))).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaHttpHeaderCondition::headerName' } });
      const compare = rule({ conditions: [new O.FieldCompareCondition({ field: new O.TimeContextField() })] });
      expect(await failure(admin, S.add(new O.AccessControlProfile({ name: 'c', rules: [compare] })))).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaFieldCompareCondition::comparison' } });
      expect(await failure(admin, S.add(new O.AccessControlProfile({ name: 'ro', partnerId: 5 })))).toMatchObject({ code: 'PROPERTY_VALIDATION_NOT_UPDATABLE', args: { PROP_NAME: 'KalturaAccessControlProfile::partnerId' } });
    });

    it('a rule the engine cannot compile is refused at save time, naming the rule path', async () => {
      const bad = async (conditions: any[]) => failure(admin, S.add(new O.AccessControlProfile({ name: 'bad', rules: [rule({ conditions: [], actions: [block()] }), rule({ conditions, actions: [block()] })] })));
      const regex = await bad([new O.UserAgentCondition({ values: strings('.*iPad.*', '(unclosed') })]);
      expect(regex).toMatchObject({ code: 'INVALID_ACCESS_CONTROL_RULE', args: { PROP_NAME: 'rules[1].conditions[0].values[1]' } });
      expect(regex.message).toContain('rules[1].conditions[0].values[1]');
      // Backreferences cannot run in linear time: refused rather than risked.
      expect(await bad([new O.UserAgentCondition({ values: strings('(a+)\\1') })])).toMatchObject({ code: 'INVALID_ACCESS_CONTROL_RULE', args: { PROP_NAME: 'rules[1].conditions[0].values[0]' } });
      expect(await bad([new O.IpAddressCondition({ values: strings('10.0.0.0/99') })])).toMatchObject({ code: 'INVALID_ACCESS_CONTROL_RULE', args: { PROP_NAME: 'rules[1].conditions[0].values[0]' } });
      const upd = await addProfile(admin, 'fine', []);
      const refused = await failure(admin, S.update(upd.id, new O.AccessControlProfile({ rules: [rule({ conditions: [new O.HttpHeaderCondition({ headerName: 'X-A', values: strings('[') })] })] })));
      expect(refused).toMatchObject({ code: 'INVALID_ACCESS_CONTROL_RULE', args: { PROP_NAME: 'rules[0].conditions[0].values[0]' } });
      expect((await run(admin, S.get(upd.id))).rules).toEqual([]);
    });

    it('at most 24 profiles per partner (MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED)', async () => {
      const q = await registerPartner(t, 'Limit U');
      const c = client(t, await adminKs(t, q));
      const made = [];
      for (let i = 2; i <= 24; i++) made.push(await addProfile(c, `p${i}`, []));
      expect(await failure(c, S.add(new O.AccessControlProfile({ name: 'p25' })))).toMatchObject({ code: 'MAX_NUMBER_OF_ACCESS_CONTROLS_REACHED', args: { MAX_NUM: '24' }, message: 'Max number of "24" access controls was reached' });
      await run(c, S.deleteAction(made[0].id));
      expect(await addProfile(c, 'p25', [])).toMatchObject({ name: 'p25' });
    });

    it('isDefault switches the partner default; the default cannot be deleted', async () => {
      const q = await registerPartner(t, 'Default U');
      const c = client(t, await adminKs(t, q));
      const original = (await run(c, S.listAction())).objects[0];
      expect(await failure(c, S.deleteAction(original.id))).toMatchObject({ code: 'CANNOT_DELETE_DEFAULT_ACCESS_CONTROL', args: [] });
      const next = await addProfile(c, 'new default', [], { isDefault: 1 });
      expect(next.isDefault).toBe(true);
      expect((await run(c, S.get(original.id))).isDefault).toBe(false);
      expect((await run(c, kaltura.services.partner.getInfo())).defaultAccessControlId).toBe(next.id);
      expect(await failure(c, S.deleteAction(next.id))).toMatchObject({ code: 'CANNOT_DELETE_DEFAULT_ACCESS_CONTROL' });
      const back = await run(c, S.update(original.id, new O.AccessControlProfile({ isDefault: 1 })));
      expect(back.isDefault).toBe(true);
      expect((await run(c, S.get(next.id))).isDefault).toBe(false);
      expect(await run(c, S.deleteAction(next.id))).toBeNull();
      // Entries created without a profile get the partner default.
      expect((await addEntry(c)).accessControlId).toBe(original.id);
    });

    it('delete soft-deletes and re-points the profile\'s entries to the partner default', async () => {
      const def = (await run(admin, S.listAction(new O.AccessControlProfileFilter({ systemNameEqual: 'Default' })))).objects[0];
      const doomed = await addProfile(admin, 'doomed', [rule({ actions: [block()] })]);
      const e1 = await addEntry(admin, { accessControlId: doomed.id });
      const e2 = await addEntry(admin, { accessControlId: doomed.id });
      expect(e1.accessControlId).toBe(doomed.id);
      expect(await run(admin, S.deleteAction(doomed.id))).toBeNull();
      for (const e of [e1, e2]) expect((await run(admin, kaltura.services.media.get(e.id))).accessControlId).toBe(def.id);
      expect(await failure(admin, S.get(doomed.id))).toMatchObject({ code: 'ACCESS_CONTROL_ID_NOT_FOUND', args: { ID: String(doomed.id) }, message: `Access control id "${doomed.id}" not found` });
      expect(await failure(admin, S.deleteAction(doomed.id))).toMatchObject({ code: 'ACCESS_CONTROL_ID_NOT_FOUND' });
      expect((await run(admin, S.listAction(new O.AccessControlProfileFilter({ idEqual: doomed.id })))).totalCount).toBe(0);
      expect(await failure(admin, kaltura.services.media.update(e1.id, new O.MediaEntry({ accessControlId: doomed.id })))).toMatchObject({ code: 'ACCESS_CONTROL_ID_NOT_FOUND' });
      const row = await t.store.db.selectFrom('access_control_profiles').select(['deleted_at']).where('id', '=', doomed.id).executeTakeFirstOrThrow();
      expect(row.deleted_at).toBeGreaterThan(0);
    });

    it('delete refuses to re-point more than 1,000 entries (EXCEEDED_ENTRIES_PER_ACCESS_CONTROL_FOR_UPDATE) and changes nothing', async () => {
      const crowded = await addProfile(admin, 'crowded', []);
      const first = await addEntry(admin, { accessControlId: crowded.id });
      const row = await t.store.db.selectFrom('entries').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
      const copies = Array.from({ length: 1000 }, (_, i) => ({ ...row, id: `0_bulk${String(i).padStart(4, '0')}` }));
      for (let i = 0; i < copies.length; i += 250) await t.store.db.insertInto('entries').values(copies.slice(i, i + 250)).execute();
      expect(await failure(admin, S.deleteAction(crowded.id))).toMatchObject({ code: 'EXCEEDED_ENTRIES_PER_ACCESS_CONTROL_FOR_UPDATE', args: { id: String(crowded.id) } });
      expect((await run(admin, S.get(crowded.id))).id).toBe(crowded.id);
      const still = await t.store.db.selectFrom('entries').select((eb) => eb.fn.countAll<number>().as('n')).where('access_control_id', '=', crowded.id).executeTakeFirstOrThrow();
      expect(Number(still.n)).toBe(1001);
      // With one entry fewer it goes through, moving all of them.
      await t.store.db.deleteFrom('entries').where('id', '=', '0_bulk0000').execute();
      expect(await run(admin, S.deleteAction(crowded.id))).toBeNull();
      const left = await t.store.db.selectFrom('entries').select((eb) => eb.fn.countAll<number>().as('n')).where('access_control_id', '=', crowded.id).executeTakeFirstOrThrow();
      expect(Number(left.n)).toBe(0);
    });

    it("other partners' profiles do not exist for a caller", async () => {
      const other = await registerPartner(t, 'Other AC U');
      const mine = await addProfile(admin, 'private', []);
      const c = client(t, await adminKs(t, other));
      for (const req of [S.get(mine.id), S.update(mine.id, new O.AccessControlProfile({ name: 'x' })), S.deleteAction(mine.id)]) {
        expect(await failure(c, req)).toMatchObject({ code: 'ACCESS_CONTROL_ID_NOT_FOUND', args: { ID: String(mine.id) } });
      }
      expect((await run(c, S.listAction(new O.AccessControlProfileFilter({ idIn: String(mine.id) })))).totalCount).toBe(0);
      expect(await failure(admin, S.get(987654))).toMatchObject({ code: 'ACCESS_CONTROL_ID_NOT_FOUND', args: { ID: '987654' } });
    });

    it('system names are unique among live profiles; filters and pager work', async () => {
      const a = await addProfile(admin, 'sys a', [], { systemName: 'geo_sys' });
      expect(await failure(admin, S.add(new O.AccessControlProfile({ name: 'sys b', systemName: 'geo_sys' })))).toMatchObject({ code: 'SYSTEM_NAME_ALREADY_EXISTS', args: { SYS_NAME: 'geo_sys' } });
      const b = await addProfile(admin, 'sys b', [], { systemName: 'geo_sys_2' });
      expect(await failure(admin, S.update(b.id, new O.AccessControlProfile({ systemName: 'geo_sys' })))).toMatchObject({ code: 'SYSTEM_NAME_ALREADY_EXISTS' });
      const found = await run(admin, S.listAction(new O.AccessControlProfileFilter({ systemNameIn: 'geo_sys,geo_sys_2', orderBy: '-createdAt' }), new O.FilterPager({ pageSize: 1 })));
      expect(found.totalCount).toBe(2);
      expect(found.objects).toHaveLength(1);
      await run(admin, S.deleteAction(a.id));
      expect(await addProfile(admin, 'sys c', [], { systemName: 'geo_sys' })).toMatchObject({ systemName: 'geo_sys' });
    });

    it('update replaces the rule list and keeps what was not sent', async () => {
      const prof = await addProfile(admin, 'editable', [rule({ actions: [block()] })], { description: 'first' });
      const renamed = await run(admin, S.update(prof.id, new O.AccessControlProfile({ name: 'edited' })));
      expect(renamed).toMatchObject({ name: 'edited', description: 'first', rules: [{ actions: [{ type: 1 }] }] });
      const cleared = await run(admin, S.update(prof.id, new O.AccessControlProfile({ rules: [] })));
      expect(cleared.rules).toEqual([]);
    });

    it('USER sessions cannot manage profiles; every change is audited', async () => {
      const userKs = await run<string>(client(t), kaltura.services.session.start(p.secret, 'student', 0, p.id));
      expect(await failure(client(t, userKs), S.add(new O.AccessControlProfile({ name: 'x' })))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'accesscontrolprofile->add' } });
      expect(await failure(client(t, userKs), S.listAction())).toMatchObject({ code: 'SERVICE_FORBIDDEN' });
      const prof = await addProfile(admin, 'audited', []);
      await run(admin, S.update(prof.id, new O.AccessControlProfile({ description: 'd' })));
      await run(admin, S.deleteAction(prof.id));
      const rows = await t.store.db.selectFrom('audit_log').select(['action', 'outcome', 'partner_id']).where('target', '=', String(prof.id)).where('action', 'like', 'accessControlProfile.%').execute();
      expect(rows.map((r) => r.action)).toEqual(['accessControlProfile.add', 'accessControlProfile.update', 'accessControlProfile.delete']);
      expect(rows.every((r) => r.partner_id === p.id && r.outcome === 'success')).toBe(true);
    });
  });
}

/** The client sends enum values as strings; the server answers them as numbers. */
function numbersForEnums(key: string, value: unknown): unknown {
  if ((key === 'comparison' || key === 'matchType') && typeof value === 'string') return Number(value);
  return value;
}
