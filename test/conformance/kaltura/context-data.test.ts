/** baseEntry.getContextData (protocol §5.5) on every dialect: scope defaults and overrides, decisions, X-Kaltura-ACP. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addEntry, addProfile, block, blocked, contextData, form, play, rule, strings } from '../../support/access-control.js';
import { DIALECTS } from '../../support/dialects.js';
import { adminKs, client, failure, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../../support/gatehouse.js';

const O = kaltura.objects;
const US = '8.8.8.8';
const FR = '90.0.0.1';

for (const dialect of DIALECTS) {
  describe(`baseEntry.getContextData [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let adminKsString: string;
    let admin: any;
    let widgetKs: string;
    const now = () => Math.floor(t.clock.nowMs() / 1000);
    const userKs = (userId: string, privileges: string | null = null) => run<string>(client(t), kaltura.services.session.start(p.secret, userId, 0, p.id, 86400, privileges));
    /** A fresh entry under a fresh profile with `rules`. */
    async function entryWith(rules: any[], entryFields: Record<string, unknown> = {}) {
      const profile = await addProfile(admin, `p${Math.random()}`, rules);
      const entry = await addEntry(admin, { accessControlId: profile.id, ...entryFields });
      return { profile, entry };
    }
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'context-data');
      p = await registerPartner(t, 'Context Data U');
      adminKsString = await adminKs(t, p);
      admin = client(t, adminKsString);
      widgetKs = (await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`))).ks;
    });
    afterAll(() => t?.close());

    it('an entry under a profile without rules is allowed; the result has the deprecated fields and no ACP header', async () => {
      const e = await addEntry(admin);
      const { result, acp } = await contextData(t, widgetKs, e.id);
      expect(result).toEqual({
        messages: [],
        actions: [],
        isSiteRestricted: false,
        isCountryRestricted: false,
        isSessionRestricted: false,
        isIpAddressRestricted: false,
        isUserAgentRestricted: false,
        previewLength: -1,
        isScheduledNow: true,
        isAdmin: false,
        accessControlMessages: [],
        accessControlActions: [],
        objectType: 'KalturaEntryContextDataResult',
      });
      expect(acp).toBeNull();
      expect((await contextData(t, adminKsString, e.id)).result.isAdmin).toBe(true);
    });

    it('country: the caller IP decides, overridable by the ip parameter; X-Kaltura-ACP names the fulfilled rules', async () => {
      const { profile, entry } = await entryWith([rule({ conditions: [new O.CountryCondition({ not: true, values: strings('US') })], actions: [block()], contexts: [play()], message: 'Content not available in your region' })]);
      const fr = await contextData(t, widgetKs, entry.id, { ip: FR });
      expect(fr.result).toMatchObject({
        messages: [{ value: 'Content not available in your region', objectType: 'KalturaString' }],
        actions: [{ type: 1, objectType: 'KalturaAccessControlBlockAction' }],
        accessControlMessages: [{ value: 'Content not available in your region', objectType: 'KalturaString' }],
        accessControlActions: [{ type: 1, objectType: 'KalturaAccessControlBlockAction' }],
        isCountryRestricted: false,
      });
      expect(fr.acp).toBe(`${profile.id} 0`);
      const us = await contextData(t, widgetKs, entry.id, { ip: US });
      expect(blocked(us.result)).toBe(false);
      expect(us.acp?.trim()).toBe(String(profile.id));
      // Inside a multirequest too (the real server's header() call does not care how it was reached).
      const multi = await form(t, 'multirequest', '', [
        ['ks', widgetKs],
        ['1:service', 'baseEntry'],
        ['1:action', 'getContextData'],
        ['1:entryId', entry.id],
        ['1:contextDataParams:objectType', 'KalturaEntryContextDataParams'],
        ['1:contextDataParams:ip', FR],
      ]);
      expect(blocked(multi.json[0])).toBe(true);
      expect(multi.headers.get('x-kaltura-acp')).toBe(`${profile.id} 0`);
      // No override: the socket address (loopback) has no country, so "not US" holds.
      expect(blocked((await contextData(t, widgetKs, entry.id)).result)).toBe(true);
    });

    it('ADMIN sessions skip rules unless forceAdminValidation; isAdmin follows the scope KS', async () => {
      const { entry } = await entryWith([rule({ actions: [block()] })]);
      const asAdmin = await contextData(t, adminKsString, entry.id);
      expect(asAdmin.result).toMatchObject({ isAdmin: true, actions: [] });
      expect(blocked((await contextData(t, widgetKs, entry.id)).result)).toBe(true);
      // The ks parameter replaces the request's session for the decision.
      expect((await contextData(t, widgetKs, entry.id, { ks: adminKsString })).result).toMatchObject({ isAdmin: true, actions: [] });
      expect((await contextData(t, adminKsString, entry.id, { ks: widgetKs })).result).toMatchObject({ isAdmin: false, actions: [{ type: 1 }] });
      const forced = await entryWith([rule({ actions: [block()], forceAdminValidation: 1 })]);
      expect((await contextData(t, adminKsString, forced.entry.id)).result).toMatchObject({ isAdmin: true, actions: [{ type: 1 }] });
    });

    it('preview for anonymous viewers: an sview KS (request or ks parameter) gets the full entry', async () => {
      const { entry } = await entryWith([rule({ conditions: [new O.AuthenticatedCondition({ not: true })], actions: [new O.AccessControlPreviewAction({ limit: 30 })] })]);
      const anon = await contextData(t, widgetKs, entry.id);
      expect(anon.result).toMatchObject({ actions: [{ type: 2, limit: 30, objectType: 'KalturaAccessControlPreviewAction' }], previewLength: -1 });
      const subscriber = await userKs('subscriber', `sview:${entry.id}`);
      expect((await contextData(t, subscriber, entry.id)).result.actions).toEqual([]);
      expect((await contextData(t, widgetKs, entry.id, { ks: subscriber })).result.actions).toEqual([]);
      const otherEntry = await userKs('subscriber', 'sview:0_zzzzzzzz');
      expect((await contextData(t, otherEntry, entry.id)).result.actions).toHaveLength(1);
    });

    it('an invalid or foreign ks parameter fails the call', async () => {
      const e = await addEntry(admin);
      const bad = await contextData(t, widgetKs, e.id, { ks: 'not-a-ks' });
      expect(bad.result).toMatchObject({ code: 'INVALID_KS', objectType: 'KalturaAPIException' });
      const other = await registerPartner(t, 'Context Other');
      const foreign = await adminKs(t, other);
      expect((await contextData(t, widgetKs, e.id, { ks: foreign })).result).toMatchObject({ code: 'INVALID_KS', args: { ERR_DESC: 'INVALID_PARTNER' } });
      // ... and so does an expired one.
      const short = await run<string>(client(t), kaltura.services.session.start(p.secret, 'u', 0, p.id, 10));
      t.clock.advance(11);
      expect((await contextData(t, widgetKs, e.id, { ks: short })).result).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'EXPIRED' } });
      expect((await contextData(t, widgetKs, '0_nosuch00')).result).toMatchObject({ code: 'ENTRY_ID_NOT_FOUND', args: { ENTRY_ID: '0_nosuch00' } });
    });

    it("a blocked user's KS as the ks parameter fails with USER_BLOCKED, as it does as the request KS", async () => {
      const e = await addEntry(admin);
      await run(admin, kaltura.services.user.add(new O.User({ id: 'cd-blocked', firstName: 'B', email: 'cd-blocked@uni.test' })));
      const ks = await userKs('cd-blocked', `sview:${e.id}`);
      expect((await contextData(t, widgetKs, e.id, { ks })).result.isScheduledNow).toBe(true);
      await run(admin, kaltura.services.user.update('cd-blocked', new O.User({ status: 0 })));
      expect((await contextData(t, widgetKs, e.id, { ks })).result).toMatchObject({ code: 'USER_BLOCKED', objectType: 'KalturaAPIException' });
      expect((await contextData(t, ks, e.id)).result).toMatchObject({ code: 'USER_BLOCKED' });
    });

    it('referrer and user agent come from the request headers unless overridden', async () => {
      const site = await entryWith([rule({ conditions: [new O.SiteCondition({ not: true, values: strings('*.publisher.com') })], actions: [block()] })]);
      expect(blocked((await contextData(t, widgetKs, site.entry.id, {}, { referer: 'https://www.publisher.com/course/1' })).result)).toBe(false);
      expect(blocked((await contextData(t, widgetKs, site.entry.id, {}, { referer: 'https://evil.example/embed' })).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, site.entry.id, { referrer: 'https://video.publisher.com/x' }, { referer: 'https://evil.example/' })).result)).toBe(false);
      const ua = await entryWith([rule({ conditions: [new O.UserAgentCondition({ values: strings('.*iPad.*') })], actions: [block()] })]);
      expect(blocked((await contextData(t, widgetKs, ua.entry.id, {}, { 'user-agent': 'Mozilla/5.0 (iPad; CPU OS 17_0)' })).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, ua.entry.id, { userAgent: 'curl/8' }, { 'user-agent': 'Mozilla/5.0 (iPad)' })).result)).toBe(false);
      const header = await entryWith([rule({ conditions: [new O.HttpHeaderCondition({ headerName: 'X-Tenant', values: strings('^acme$') })], actions: [block()] })]);
      expect(blocked((await contextData(t, widgetKs, header.entry.id, {}, { 'x-tenant': 'ACME' })).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, header.entry.id, {}, { 'x-tenant': 'other' })).result)).toBe(false);
    });

    it('IP ranges, contexts, rule order and stopProcessing', async () => {
      const { profile, entry } = await entryWith([
        rule({ conditions: [new O.IpAddressCondition({ values: strings('192.168.1.0/24') })], stopProcessing: true, message: 'campus' }),
        rule({ actions: [block()], message: 'off campus', contexts: [play()] }),
        rule({ actions: [new O.AccessControlLimitFlavorsAction({ flavorParamsIds: '1,2', isBlockedList: true })], contexts: [new O.ContextTypeHolder({ type: '2' })] }),
      ]);
      const campus = await contextData(t, widgetKs, entry.id, { ip: '192.168.1.77' });
      expect(campus.result).toMatchObject({ messages: [{ value: 'campus' }], actions: [] });
      expect(campus.acp).toBe(`${profile.id} 0`);
      const away = await contextData(t, widgetKs, entry.id, { ip: '10.1.1.1' });
      expect(away.result.messages.map((m: any) => m.value)).toEqual(['off campus']);
      expect(away.acp).toBe(`${profile.id} 1`);
      const download = await contextData(t, widgetKs, entry.id, { ip: '10.1.1.1', 'contexts[0][objectType]': 'KalturaContextTypeHolder', 'contexts[0][type]': 2 });
      expect(download.result.actions).toEqual([{ type: 3, flavorParamsIds: '1,2', isBlockedList: true, objectType: 'KalturaAccessControlLimitFlavorsAction' }]);
      expect(download.acp).toBe(`${profile.id} 2`);
      const both = await contextData(t, widgetKs, entry.id, { ip: '10.1.1.1', 'contexts[0][objectType]': 'KalturaAccessControlContextTypeHolder', 'contexts[0][type]': 1, 'contexts[1][type]': 2 });
      expect(both.acp).toBe(`${profile.id} 1,2`);
    });

    it('scheduling: isScheduledNow follows the entry dates and the time parameter; sview forces it', async () => {
      const start = now() + 3600;
      const e = await addEntry(admin, { startDate: start, endDate: start + 3600 });
      expect((await contextData(t, widgetKs, e.id)).result.isScheduledNow).toBe(false);
      expect((await contextData(t, widgetKs, e.id, { time: start + 10 })).result.isScheduledNow).toBe(true);
      expect((await contextData(t, widgetKs, e.id, { time: start + 7200 })).result.isScheduledNow).toBe(false);
      // Relative time: seconds from now.
      expect((await contextData(t, widgetKs, e.id, { time: 3700 })).result.isScheduledNow).toBe(true);
      expect((await contextData(t, await userKs('viewer', 'sview:*'), e.id)).result.isScheduledNow).toBe(true);
      expect((await contextData(t, adminKsString, e.id)).result).toMatchObject({ isScheduledNow: false, isAdmin: true });
      // Scheduling blocks only through a rule; that rule looks at the real clock, not the scope time.
      const gated = await addProfile(admin, 'gated', [rule({ conditions: [new O.EntryScheduledCondition({ not: true })], actions: [block()] })]);
      await run(admin, kaltura.services.media.update(e.id, new O.MediaEntry({ accessControlId: gated.id })));
      expect(blocked((await contextData(t, widgetKs, e.id, { time: start + 10 })).result)).toBe(true);
      t.clock.advance(3610);
      expect(blocked((await contextData(t, widgetKs, e.id)).result)).toBe(false);
    });

    it('hash conditions compare md5(secret + ks) with the hashes parameter', async () => {
      const { entry } = await entryWith([rule({ conditions: [new O.HashCondition({ hashName: 'sig', hashSecret: 'shh' })], actions: [block()] })]);
      const good = createHash('md5').update(`shh${widgetKs}`).digest('hex');
      const withHash = (value: string) => ({ 'hashes[0][objectType]': 'KalturaKeyValue', 'hashes[0][key]': 'sig', 'hashes[0][value]': value });
      expect(blocked((await contextData(t, widgetKs, entry.id)).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, entry.id, withHash('nope'))).result)).toBe(true);
      expect(blocked((await contextData(t, widgetKs, entry.id, withHash(good))).result)).toBe(false);
    });

    it('the official client sends the scope as JSON (both context holder names)', async () => {
      const { entry } = await entryWith([rule({ conditions: [new O.CountryCondition({ values: strings('FR') })], actions: [new O.AccessControlPreviewAction({ limit: 45 })], contexts: [new O.ContextTypeHolder({ type: '1' })] })]);
      const c = client(t, await userKs('json'));
      for (const holder of [new O.AccessControlContextTypeHolder({ type: '1' }), new O.ContextTypeHolder({ type: '1' })]) {
        const r = await run(c, kaltura.services.baseEntry.getContextData(entry.id, new O.EntryContextDataParams({ ip: FR, contexts: [holder] })));
        expect(r).toMatchObject({ objectType: 'KalturaEntryContextDataResult', actions: [{ type: 2, limit: 45 }], isAdmin: false });
      }
      const r = await run(c, kaltura.services.baseEntry.getContextData(entry.id, new O.EntryContextDataParams({ ip: FR, contexts: [new O.AccessControlContextTypeHolder({ type: '3' })] })));
      expect(r.actions).toEqual([]);
      expect(await failure(c, kaltura.services.baseEntry.getContextData(entry.id, new O.EntryContextDataParams({ contexts: [new O.ContextTypeHolder({ type: '9' })] })))).toMatchObject({ code: 'INVALID_ENUM_VALUE' });
    });

    it('a profile edited on one node changes the decision on another within a poll interval', async () => {
      const { profile, entry } = await entryWith([rule({ conditions: [new O.CountryCondition({ values: strings('FR') })], actions: [block()] })]);
      const second = await startGatehouse(dialect, 'context-data-node2', { share: t, syncIntervalMs: 100 });
      try {
        expect(blocked((await contextData(second, widgetKs, entry.id, { ip: FR })).result)).toBe(true);
        expect(blocked((await contextData(second, widgetKs, entry.id, { ip: US })).result)).toBe(false);
        await run(admin, kaltura.services.accessControlProfile.update(profile.id, new O.AccessControlProfile({ rules: [rule({ conditions: [new O.CountryCondition({ values: strings('US') })], actions: [block()] })] })));
        // This node sees it at once; the other after its next poll (100 ms here).
        expect(blocked((await contextData(t, widgetKs, entry.id, { ip: US })).result)).toBe(true);
        await new Promise((r) => setTimeout(r, 350));
        expect(blocked((await contextData(second, widgetKs, entry.id, { ip: US })).result)).toBe(true);
        expect(blocked((await contextData(second, widgetKs, entry.id, { ip: FR })).result)).toBe(false);
        // Deleting the profile moves the entry to the (rule-less) default everywhere.
        await run(admin, kaltura.services.accessControlProfile.deleteAction(profile.id));
        await new Promise((r) => setTimeout(r, 350));
        const after = await contextData(second, widgetKs, entry.id, { ip: US });
        expect(after.result.actions).toEqual([]);
        expect(after.acp).toBeNull();
      } finally {
        await second.close();
      }
    });

    it('an entry without a profile of its own falls back to the partner default', async () => {
      const strict = await addProfile(admin, 'strict default', [rule({ actions: [block()], message: 'partner default' })]);
      const q = await registerPartner(t, 'Fallback U');
      const qc = client(t, await adminKs(t, q));
      const qStrict = await addProfile(qc, 'strict', [rule({ actions: [block()], message: 'partner default' })], { isDefault: 1 });
      const e = await addEntry(qc, { accessControlId: -1 });
      expect(e).not.toHaveProperty('accessControlId');
      const qWidget = (await run(client(t), kaltura.services.session.startWidgetSession(`_${q.id}`))).ks;
      const r = await contextData(t, qWidget, e.id);
      expect(r.result.messages).toEqual([{ value: 'partner default', objectType: 'KalturaString' }]);
      expect(r.acp).toBe(`${qStrict.id} 0`);
      expect(strict.id).not.toBe(qStrict.id);
    });
  });
}
