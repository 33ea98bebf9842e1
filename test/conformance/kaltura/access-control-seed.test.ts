/**
 * The seed guide's curl examples (form-encoded POSTs, `format=1`), sent as written, on every
 * dialect: profile CRUD (§6), each condition of §7, the actions of §8, contexts (§9),
 * getContextData (§10.1) and assigning a profile to an entry (§11).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry, blocked, contextData, form, XSD, xml } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

type Fields = Array<[string, string | number]>;
const R = 'accessControlProfile[rules][0]';
const C = `${R}[conditions][0]`;

for (const dialect of DIALECTS) {
  describe(`seed 001 curl examples [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let ks: string;
    let widgetKs: string;
    /** accessControlProfile.add with the guide's fields; returns the JSON answer. */
    const add = async (name: string, fields: Fields) =>
      (await form(t, 'accessControlProfile', 'add', [['ks', ks], ['accessControlProfile[objectType]', 'KalturaAccessControlProfile'], ['accessControlProfile[name]', name], [`${R}[objectType]`, 'KalturaRule'], ...fields])).json;
    /** A block rule around the given condition fields, assigned to a new entry the way §11 does it. */
    async function guarded(fields: Fields, action: Fields = [[`${R}[actions][0][objectType]`, 'KalturaAccessControlBlockAction']]) {
      const profile = await add(`guarded ${Math.random()}`, [...fields, ...action]);
      expect(profile.objectType).toBe('KalturaAccessControlProfile');
      const entry = await addEntry(client(t, ks));
      const assigned = await form(t, 'media', 'update', [['ks', ks], ['entryId', entry.id], ['mediaEntry[objectType]', 'KalturaMediaEntry'], ['mediaEntry[accessControlId]', profile.id]]);
      expect(assigned.json).toMatchObject({ objectType: 'KalturaMediaEntry', accessControlId: profile.id });
      return { profile, entry };
    }
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'access-control-seed');
      p = await registerPartner(t, 'Seed Publisher');
      ks = await adminKs(t, p);
      widgetKs = (await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`))).ks;
    });
    afterAll(() => t?.close());

    it('6.1–6.6: create, create with rules, get, list, update, delete', async () => {
      const plain = (await form(t, 'accessControlProfile', 'add', [['ks', ks], ['accessControlProfile[objectType]', 'KalturaAccessControlProfile'], ['accessControlProfile[name]', 'Geo Restricted'], ['accessControlProfile[description]', 'Block playback outside US']])).json;
      expect(plain).toMatchObject({ objectType: 'KalturaAccessControlProfile', name: 'Geo Restricted', description: 'Block playback outside US', partnerId: p.id, isDefault: false, rules: [] });
      const withRules = await add('US Only Playback', [
        ['accessControlProfile[description]', 'Block playback outside United States'],
        [`${R}[actions][0][objectType]`, 'KalturaAccessControlBlockAction'],
        [`${C}[objectType]`, 'KalturaCountryCondition'],
        [`${C}[not]`, 'true'],
        [`${C}[values][0][objectType]`, 'KalturaStringValue'],
        [`${C}[values][0][value]`, 'US'],
        [`${R}[contexts][0][objectType]`, 'KalturaAccessControlContextTypeHolder'],
        [`${R}[contexts][0][type]`, 1],
        [`${R}[message]`, 'Content not available in your region'],
      ]);
      expect(withRules.rules).toEqual([
        {
          message: 'Content not available in your region',
          actions: [{ type: 1, objectType: 'KalturaAccessControlBlockAction' }],
          conditions: [{ type: 2, not: true, values: [{ value: 'US', objectType: 'KalturaStringValue' }], objectType: 'KalturaCountryCondition' }],
          contexts: [{ type: 1, objectType: 'KalturaAccessControlContextTypeHolder' }],
          stopProcessing: false,
          forceAdminValidation: 0,
          objectType: 'KalturaRule',
        },
      ]);
      expect((await form(t, 'accessControlProfile', 'get', [['ks', ks], ['id', withRules.id]])).json).toEqual(withRules);
      const list = (await form(t, 'accessControlProfile', 'list', [['ks', ks], ['filter[objectType]', 'KalturaAccessControlProfileFilter'], ['pager[pageSize]', 50]])).json;
      expect(list).toMatchObject({ objectType: 'KalturaAccessControlProfileListResponse', totalCount: 3 });
      expect(list.objects.filter((o: any) => o.isDefault)).toHaveLength(1);
      const updated = (await form(t, 'accessControlProfile', 'update', [['ks', ks], ['id', withRules.id], ['accessControlProfile[objectType]', 'KalturaAccessControlProfile'], ['accessControlProfile[description]', 'Updated restrictions']])).json;
      expect(updated).toMatchObject({ description: 'Updated restrictions', rules: withRules.rules });
      expect((await form(t, 'accessControlProfile', 'delete', [['ks', ks], ['id', plain.id]])).json).toBeNull();
      expect((await form(t, 'accessControlProfile', 'get', [['ks', ks], ['id', plain.id]])).json).toMatchObject({ code: 'ACCESS_CONTROL_ID_NOT_FOUND' });
    });

    it('7.2 IP: block all IPs except 192.168.1.0/24', async () => {
      const { entry } = await guarded([[`${C}[objectType]`, 'KalturaIpAddressCondition'], [`${C}[not]`, 'true'], [`${C}[values][0][objectType]`, 'KalturaStringValue'], [`${C}[values][0][value]`, '192.168.1.0/24']]);
      expect(blocked((await contextData(t, widgetKs, entry.id, { ip: '192.168.1.20' })).result)).toBe(false);
      expect(blocked((await contextData(t, widgetKs, entry.id, { ip: '192.168.2.20' })).result)).toBe(true);
    });

    it('7.3 country: block viewers outside US and Canada', async () => {
      const { entry } = await guarded([
        [`${C}[objectType]`, 'KalturaCountryCondition'],
        [`${C}[not]`, 'true'],
        [`${C}[values][0][objectType]`, 'KalturaStringValue'],
        [`${C}[values][0][value]`, 'US'],
        [`${C}[values][1][objectType]`, 'KalturaStringValue'],
        [`${C}[values][1][value]`, 'CA'],
      ]);
      for (const [ip, denied] of [['8.8.8.8', false], ['24.48.0.1', false], ['90.0.0.1', true], ['5.5.5.5', true], ['10.0.0.1', true]] as const) {
        expect(blocked((await contextData(t, widgetKs, entry.id, { ip })).result)).toBe(denied);
      }
    });

    it('7.4 site: allow only publisher.com subdomains (*.publisher.com)', async () => {
      const { entry } = await guarded([[`${C}[objectType]`, 'KalturaSiteCondition'], [`${C}[not]`, 'true'], [`${C}[values][0][objectType]`, 'KalturaStringValue'], [`${C}[values][0][value]`, '*.publisher.com']]);
      for (const [referrer, denied] of [['https://www.publisher.com/lesson', false], ['http://a.b.publisher.com', false], ['https://publisher.com.evil.test/', true], ['https://notpublisher.com/', true]] as const) {
        expect(blocked((await contextData(t, widgetKs, entry.id, { referrer })).result)).toBe(denied);
      }
    });

    it('7.5 user agent: match iPad devices (regex)', async () => {
      const { entry } = await guarded([[`${C}[objectType]`, 'KalturaUserAgentCondition'], [`${C}[values][0][objectType]`, 'KalturaStringValue'], [`${C}[values][0][value]`, '.*iPad.*']]);
      expect(blocked((await contextData(t, widgetKs, entry.id, { userAgent: 'Mozilla/5.0 (iPad; CPU OS 17_0)' })).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, entry.id, { userAgent: 'Mozilla/5.0 (Macintosh)' })).result)).toBe(false);
    });

    it('7.6 + 8: authenticated with not=true and a 30-second preview (12.4 paywall)', async () => {
      const { entry } = await guarded(
        [[`${C}[objectType]`, 'KalturaAuthenticatedCondition'], [`${C}[not]`, 'true']],
        [[`${R}[actions][0][objectType]`, 'KalturaAccessControlPreviewAction'], [`${R}[actions][0][limit]`, 30]],
      );
      expect((await contextData(t, widgetKs, entry.id)).result.actions).toEqual([{ type: 2, limit: 30, objectType: 'KalturaAccessControlPreviewAction' }]);
      const subscriber = await run<string>(client(t), kaltura.services.session.start(p.secret, 'subscriber', 0, p.id, 3600, 'sview:*'));
      expect((await contextData(t, subscriber, entry.id)).result.actions).toEqual([]);
    });

    it('7.7 metadata: block if AudioLanguage is not French; compare ipadSunrise with the time field', async () => {
      const mp = await run(client(t, ks), kaltura.services.metadataProfile.add(new kaltura.objects.MetadataProfile({ name: 'seed', metadataObjectType: '1' }), XSD));
      const { entry } = await guarded([
        [`${C}[objectType]`, 'KalturaMatchMetadataCondition'],
        [`${C}[xPath]`, 'AudioLanguage'],
        [`${C}[profileId]`, mp.id],
        [`${C}[not]`, 'true'],
        [`${C}[values][0][objectType]`, 'KalturaStringValue'],
        [`${C}[values][0][value]`, 'French'],
      ]);
      const add = (e: string, doc: string) => form(t, 'metadata_metadata', 'add', [['ks', ks], ['metadataProfileId', mp.id], ['objectType', '1'], ['objectId', e], ['xmlData', doc]]);
      expect((await add(entry.id, xml({ AudioLanguage: 'French' }))).json).toMatchObject({ objectType: 'KalturaMetadata' });
      expect(blocked((await contextData(t, widgetKs, entry.id)).result)).toBe(false);
      const now = Math.floor(t.clock.nowMs() / 1000);
      const sunrise = await guarded([
        [`${C}[objectType]`, 'KalturaCompareMetadataCondition'],
        [`${C}[comparison]`, 4],
        [`${C}[xPath]`, 'ipadSunrise'],
        [`${C}[profileId]`, mp.id],
        [`${C}[value][objectType]`, 'KalturaTimeContextField'],
      ]);
      expect(sunrise.profile.rules[0].conditions[0]).toMatchObject({ type: 'metadata.FieldCompare', comparison: 4, xPath: 'ipadSunrise', profileId: mp.id, value: { objectType: 'KalturaTimeContextField' } });
      await add(sunrise.entry.id, xml({ ipadSunrise: now - 60 }));
      // Server enum 4 = LESS_THAN: the sunrise lies before now, so the (block) rule fires.
      expect(blocked((await contextData(t, widgetKs, sunrise.entry.id)).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, sunrise.entry.id, { time: now - 120 })).result)).toBe(false);
    });

    it('8: limit flavors; 9: PLAY + DOWNLOAD contexts leave thumbnails alone', async () => {
      const { entry } = await guarded(
        [
          [`${R}[contexts][0][objectType]`, 'KalturaAccessControlContextTypeHolder'],
          [`${R}[contexts][0][type]`, 1],
          [`${R}[contexts][1][objectType]`, 'KalturaAccessControlContextTypeHolder'],
          [`${R}[contexts][1][type]`, 2],
        ],
        [[`${R}[actions][0][objectType]`, 'KalturaAccessControlLimitFlavorsAction'], [`${R}[actions][0][flavorParamsIds]`, '487041,487051'], [`${R}[actions][0][isBlockedList]`, 'false']],
      );
      const limit = [{ type: 3, flavorParamsIds: '487041,487051', isBlockedList: false, objectType: 'KalturaAccessControlLimitFlavorsAction' }];
      expect((await contextData(t, widgetKs, entry.id)).result.actions).toEqual(limit);
      expect((await contextData(t, widgetKs, entry.id, { 'contexts[0][objectType]': 'KalturaAccessControlContextTypeHolder', 'contexts[0][type]': 2 })).result.actions).toEqual(limit);
      expect((await contextData(t, widgetKs, entry.id, { 'contexts[0][objectType]': 'KalturaAccessControlContextTypeHolder', 'contexts[0][type]': 3 })).result.actions).toEqual([]);
    });

    it('10.1: getContextData with only the objectType reports isScheduledNow, actions and messages', async () => {
      const e = await addEntry(client(t, ks), { startDate: 86400 });
      const r = await form(t, 'baseEntry', 'getContextData', [['ks', ks], ['entryId', e.id], ['contextDataParams[objectType]', 'KalturaEntryContextDataParams']]);
      expect(r.json).toMatchObject({ objectType: 'KalturaEntryContextDataResult', isScheduledNow: false, isAdmin: true, actions: [], messages: [] });
    });
  });
}
