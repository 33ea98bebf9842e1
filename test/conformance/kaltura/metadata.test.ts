/** metadataProfile.* and metadata.* (entries only) and the metadata conditions, on every dialect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry, addProfile, block, blocked, contextData, rule, strings, XSD, xml } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const MP = kaltura.services.metadataProfile;
const M = kaltura.services.metadata;
const ENTRY = kaltura.enums.MetadataObjectType.ENTRY;

for (const dialect of DIALECTS) {
  describe(`metadataProfile and metadata services [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let admin: any;
    let widgetKs: string;
    let profile: any;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'metadata');
      p = await registerPartner(t, 'Metadata U');
      admin = client(t, await adminKs(t, p));
      widgetKs = (await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`))).ks;
      profile = await run(admin, MP.add(new O.MetadataProfile({ name: 'Scheduling', systemName: 'sched', metadataObjectType: ENTRY }), XSD));
    });
    afterAll(() => t?.close());

    it('metadataProfile.add keeps the XSD and extracts its field names', async () => {
      expect(profile).toMatchObject({ objectType: 'KalturaMetadataProfile', partnerId: p.id, name: 'Scheduling', systemName: 'sched', metadataObjectType: 1, status: 1, xsd: XSD, version: 1 });
      expect(await run(admin, MP.get(profile.id))).toEqual(profile);
      const row = await t.store.db.selectFrom('metadata_profiles').select('field_names').where('id', '=', profile.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.field_names)).toEqual(['AudioLanguage', 'FormatType', 'ipadSunrise', 'ipadSunset']);
      const list = await run(admin, MP.listAction(new O.MetadataProfileFilter({ systemNameEqual: 'sched' })));
      expect(list).toMatchObject({ objectType: 'KalturaMetadataProfileListResponse', totalCount: 1, objects: [{ id: profile.id }] });
    });

    it('metadataProfile.add refuses a bad XSD, an unsupported object type and a taken system name', async () => {
      const add = (fields: Record<string, unknown>, xsd: string) => failure(admin, MP.add(new O.MetadataProfile({ name: 'x', metadataObjectType: ENTRY, ...fields }), xsd));
      const broken = await add({}, '<xsd:schema><xsd:element name="a"></xsd:schema>');
      expect(broken.code).toBe('INVALID_METADATA_PROFILE_SCHEMA');
      expect(broken.message).toMatch(/^invalid metadata profile schema: .*closing tag/);
      expect(await add({}, '<metadata><a/></metadata>')).toMatchObject({ code: 'INVALID_METADATA_PROFILE_SCHEMA', args: { ERR_MSG: 'the root element must be an XML Schema (xsd:schema)' } });
      expect(await add({}, '<!DOCTYPE x [<!ENTITY a "b">]><xsd:schema/>')).toMatchObject({ code: 'INVALID_METADATA_PROFILE_SCHEMA', args: { ERR_MSG: 'DOCTYPE declarations are not accepted' } });
      expect(await add({ metadataObjectType: '2' }, XSD)).toMatchObject({ code: 'INVALID_METADATA_PROFILE_TYPE', args: { TYPE: '2' } });
      expect(await add({ metadataObjectType: undefined }, XSD)).toMatchObject({ code: 'PROPERTY_VALIDATION_CANNOT_BE_NULL', args: { PROP_NAME: 'KalturaMetadataProfile::metadataObjectType' } });
      expect(await add({ systemName: 'sched' }, XSD)).toMatchObject({ code: 'SYSTEM_NAME_ALREADY_EXISTS', args: { SYS_NAME: 'sched' } });
      expect(await failure(admin, MP.get(424242))).toMatchObject({ code: 'METADATA_PROFILE_NOT_FOUND', args: { ID: '424242' }, message: 'metadata profile not found, id [424242]' });
      // Ids beyond PostgreSQL's integer columns are not found either (they failed the statement: a fault).
      expect(await failure(admin, MP.get(3000000000))).toMatchObject({ code: 'METADATA_PROFILE_NOT_FOUND' });
      expect(await failure(admin, M.get(3000000000))).toMatchObject({ code: 'METADATA_NOT_FOUND' });
      expect((await run(admin, MP.listAction(new O.MetadataProfileFilter({ idEqual: 3000000000 })))).totalCount).toBe(0);
    });

    it('metadata.add stores the XML and its values; the entry must exist and have none of that profile yet', async () => {
      const e = await addEntry(admin);
      const doc = xml({ AudioLanguage: ['French', ' English '], FormatType: 'Long Form', ipadSunrise: 1700000000 });
      const m = await run(admin, M.add(profile.id, ENTRY, e.id, doc));
      expect(m).toMatchObject({ objectType: 'KalturaMetadata', partnerId: p.id, metadataProfileId: profile.id, metadataObjectType: 1, objectId: e.id, version: 1, status: 1, xml: doc });
      expect(await run(admin, M.get(m.id))).toEqual(m);
      const row = await t.store.db.selectFrom('metadata').select('fields').where('id', '=', m.id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.fields)).toMatchObject({ '/': [], AudioLanguage: ['French', 'English'], FormatType: ['Long Form'], ipadSunrise: ['1700000000'], '/AudioLanguage': ['French', 'English'] });
      expect(await failure(admin, M.add(profile.id, ENTRY, e.id, doc))).toMatchObject({ code: 'METADATA_ALREADY_EXISTS', args: { ID: String(m.id) } });
      expect(await failure(admin, M.add(profile.id, ENTRY, '0_nosuch00', doc))).toMatchObject({ code: 'INVALID_METADATA_OBJECT', args: { OBJECT: '0_nosuch00' } });
      expect(await failure(admin, M.add(999999, ENTRY, e.id, doc))).toMatchObject({ code: 'METADATA_PROFILE_NOT_FOUND', args: { ID: '999999' } });
      expect(await failure(admin, M.add(profile.id, '3', e.id, doc))).toMatchObject({ code: 'INCOMPATIBLE_METADATA_PROFILE_OBJECT_TYPE', args: { OBJ_TYPE: '1', META_OBJ_TYPE: '3' } });
    });

    it('XML must be well-formed: a clear INVALID_METADATA_DATA otherwise', async () => {
      const e = await addEntry(admin);
      const bad = await failure(admin, M.add(profile.id, ENTRY, e.id, '<metadata><FormatType>Long</metadata>'));
      expect(bad).toMatchObject({ code: 'INVALID_METADATA_DATA' });
      expect(bad.message).toMatch(/^invalid metadata data: Expected closing tag 'FormatType'.*\(line 1, column \d+\)$/);
      expect(await failure(admin, M.add(profile.id, ENTRY, e.id, 'not xml'))).toMatchObject({ code: 'INVALID_METADATA_DATA' });
      expect(await failure(admin, M.add(profile.id, ENTRY, e.id, '<a/><b/>'))).toMatchObject({ code: 'INVALID_METADATA_DATA', args: { ERR_MSG: 'the document must have exactly one root element' } });
      expect((await run(admin, M.listAction(new O.MetadataFilter({ objectIdEqual: e.id })))).totalCount).toBe(0);
    });

    it('update bumps the version (guarded by the version sent); delete hides the object', async () => {
      const e = await addEntry(admin);
      const m = await run(admin, M.add(profile.id, ENTRY, e.id, xml({ FormatType: 'Short' })));
      const u = await run(admin, M.update(m.id, xml({ FormatType: 'Long Form' }), 1));
      expect(u).toMatchObject({ version: 2, xml: xml({ FormatType: 'Long Form' }) });
      expect(await failure(admin, M.update(m.id, xml({ FormatType: 'x' }), 1))).toMatchObject({ code: 'INVALID_METADATA_VERSION', args: { VERSION: '2' } });
      expect(await failure(admin, M.update(m.id, '<metadata>'))).toMatchObject({ code: 'INVALID_METADATA_DATA' });
      expect((await run(admin, M.get(m.id))).version).toBe(2);
      const list = await run(admin, M.listAction(new O.MetadataFilter({ metadataProfileIdEqual: profile.id, objectIdIn: `${e.id},0_other000` })));
      expect(list).toMatchObject({ objectType: 'KalturaMetadataListResponse', totalCount: 1, objects: [{ id: m.id, version: 2 }] });
      expect(await run(admin, M.deleteAction(m.id))).toBeNull();
      expect(await failure(admin, M.get(m.id))).toMatchObject({ code: 'METADATA_NOT_FOUND', args: { ID: String(m.id) } });
      // The object may have metadata of that profile again.
      expect(await run(admin, M.add(profile.id, ENTRY, e.id, xml({ FormatType: 'Again' })))).toMatchObject({ version: 1 });
    });

    it('USER sessions write metadata only on entries they may edit', async () => {
      const ks = await run<string>(client(t), kaltura.services.session.start(p.secret, 'uploader', 0, p.id));
      const uploader = client(t, ks);
      const own = await addEntry(uploader);
      expect(await run(uploader, M.add(profile.id, ENTRY, own.id, xml({ FormatType: 'Mine' })))).toMatchObject({ objectId: own.id });
      const foreign = await addEntry(admin);
      expect(await failure(uploader, M.add(profile.id, ENTRY, foreign.id, xml({ FormatType: 'x' })))).toMatchObject({ code: 'METADATA_NO_PERMISSION_ON_ENTRY', args: { ID: foreign.id } });
      expect(await failure(uploader, MP.add(new O.MetadataProfile({ name: 'x', metadataObjectType: ENTRY }), XSD))).toMatchObject({ code: 'SERVICE_FORBIDDEN', args: { SERVICE: 'metadata_metadataprofile->add' } });
      const other = await registerPartner(t, 'Metadata Other');
      expect(await failure(client(t, await adminKs(t, other)), MP.get(profile.id))).toMatchObject({ code: 'METADATA_PROFILE_NOT_FOUND' });
    });

    it('metadata conditions read the values in all three xPath forms, and see updates at once', async () => {
      const e = await addEntry(admin);
      const m = await run(admin, M.add(profile.id, ENTRY, e.id, xml({ AudioLanguage: 'German', FormatType: 'Long Form' })));
      for (const xPath of ['AudioLanguage', '/metadata/AudioLanguage', "/*[local-name()='metadata']/*[local-name()='AudioLanguage']"]) {
        const prof = await addProfile(admin, `lang ${xPath}`, [rule({ conditions: [new O.MatchMetadataCondition({ xPath, profileId: profile.id, not: true, values: strings('French') })], actions: [block()] })]);
        await run(admin, kaltura.services.media.update(e.id, new O.MediaEntry({ accessControlId: prof.id })));
        expect(blocked((await contextData(t, widgetKs, e.id)).result)).toBe(true);
      }
      await run(admin, M.update(m.id, xml({ AudioLanguage: 'French', FormatType: 'Long Form' })));
      expect(blocked((await contextData(t, widgetKs, e.id)).result)).toBe(false);
      // By system name instead of id.
      const bySys = await addProfile(admin, 'by system name', [rule({ conditions: [new O.MatchMetadataCondition({ xPath: 'FormatType', profileSystemName: 'sched', values: strings('Long Form') })], actions: [block()] })]);
      await run(admin, kaltura.services.media.update(e.id, new O.MediaEntry({ accessControlId: bySys.id })));
      expect(blocked((await contextData(t, widgetKs, e.id)).result)).toBe(true);
      // Deleting the metadata profile removes its values: nothing to match any more.
      const tmp = await run(admin, MP.add(new O.MetadataProfile({ name: 'tmp', systemName: 'tmp', metadataObjectType: ENTRY }), XSD));
      const tm = await run(admin, M.add(tmp.id, ENTRY, e.id, xml({ FormatType: 'Temp' })));
      const tmpRule = await addProfile(admin, 'tmp rule', [rule({ conditions: [new O.MatchMetadataCondition({ xPath: 'FormatType', profileId: tmp.id, values: strings('Temp') })], actions: [block()] })]);
      await run(admin, kaltura.services.media.update(e.id, new O.MediaEntry({ accessControlId: tmpRule.id })));
      expect(blocked((await contextData(t, widgetKs, e.id)).result)).toBe(true);
      expect(await run(admin, MP.deleteAction(tmp.id))).toBeNull();
      expect(await failure(admin, M.get(tm.id))).toMatchObject({ code: 'METADATA_NOT_FOUND' });
      expect(blocked((await contextData(t, widgetKs, e.id)).result)).toBe(false);
    });

    it('scenario 12.3: iPad viewers inside the metadata window play, everyone else is blocked', async () => {
      const now = Math.floor(t.clock.nowMs() / 1000);
      const e = await addEntry(admin);
      await run(admin, M.add(profile.id, ENTRY, e.id, xml({ ipadSunrise: now - 3600, ipadSunset: now + 3600 })));
      const window = await addProfile(admin, 'ipad window', [
        rule({
          conditions: [
            new O.UserAgentCondition({ values: strings('.*iPad.*') }),
            // Server enum: 4 = LESS_THAN (metadata value < now), 2 = GREATER_THAN.
            new O.CompareMetadataCondition({ xPath: 'ipadSunrise', profileId: profile.id, comparison: '4', value: new O.TimeContextField() }),
            new O.CompareMetadataCondition({ xPath: 'ipadSunset', profileId: profile.id, comparison: '2', value: new O.TimeContextField() }),
          ],
          stopProcessing: true,
        }),
        rule({ actions: [block()], message: 'not available on this device or at this time' }),
      ]);
      await run(admin, kaltura.services.media.update(e.id, new O.MediaEntry({ accessControlId: window.id })));
      const ipad = 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)';
      expect(blocked((await contextData(t, widgetKs, e.id, { userAgent: ipad })).result)).toBe(false);
      expect(blocked((await contextData(t, widgetKs, e.id, { userAgent: 'Mozilla/5.0 (Windows NT 10.0)' })).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, e.id, { userAgent: ipad, time: now + 7200 })).result)).toBe(true);
    });

    it('scenario 12.5: long-form content is blocked on mobile devices', async () => {
      const e = await addEntry(admin);
      const m = await run(admin, M.add(profile.id, ENTRY, e.id, xml({ FormatType: 'Long Form' })));
      const prof = await addProfile(admin, 'no long form on mobile', [
        rule({ conditions: [new O.UserAgentCondition({ values: strings('Android|iPhone') }), new O.MatchMetadataCondition({ xPath: 'FormatType', profileId: profile.id, values: strings('Long Form') })], actions: [block()] }),
      ]);
      await run(admin, kaltura.services.media.update(e.id, new O.MediaEntry({ accessControlId: prof.id })));
      expect(blocked((await contextData(t, widgetKs, e.id, { userAgent: 'Mozilla/5.0 (Linux; Android 14)' })).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, e.id, { userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' })).result)).toBe(false);
      await run(admin, M.update(m.id, xml({ FormatType: 'Short Form' })));
      expect(blocked((await contextData(t, widgetKs, e.id, { userAgent: 'Mozilla/5.0 (Linux; Android 14)' })).result)).toBe(false);
    });

    it('every change is audited', async () => {
      const mp = await run(admin, MP.add(new O.MetadataProfile({ name: 'audited', metadataObjectType: ENTRY }), XSD));
      const e = await addEntry(admin);
      const m = await run(admin, M.add(mp.id, ENTRY, e.id, xml({ FormatType: 'a' })));
      await run(admin, M.update(m.id, xml({ FormatType: 'b' })));
      await run(admin, M.deleteAction(m.id));
      await run(admin, MP.deleteAction(mp.id));
      const actions = (await t.store.db.selectFrom('audit_log').select('action').where('action', 'like', 'metadata%').where('target', 'in', [String(mp.id), String(m.id)]).execute()).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['metadataProfile.add', 'metadata.add', 'metadata.update', 'metadata.delete', 'metadataProfile.delete']));
    });
  });
}
