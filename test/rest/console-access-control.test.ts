/**
 * /api/access-control-profiles in the Kaltura rule shapes (the Kaltura door's codec), and the
 * simulator's per-rule, per-condition trace: a geo-block profile with the country forced to a
 * blocked and an allowed one, a site/referrer rule, contexts, ADMIN sessions and stopProcessing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, client, kaltura, registerPartner, run, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, expectProblem, userWithPermissions } from '../support/rest.js';

const values = (...vs: string[]) => vs.map((value) => ({ objectType: 'KalturaStringValue', value }));
const block = { objectType: 'KalturaAccessControlBlockAction' };
const PLAY = [{ objectType: 'KalturaContextTypeHolder', type: 1 }];
const geoBlock = { objectType: 'KalturaRule', message: 'Not available in your country', code: 'GEO', conditions: [{ objectType: 'KalturaCountryCondition', values: values('DE', 'FR') }], actions: [block], contexts: PLAY };
const siteOnly = { objectType: 'KalturaRule', message: 'Embed only on example.com', conditions: [{ objectType: 'KalturaSiteCondition', not: true, values: values('*.example.com') }], actions: [block] };

for (const dialect of DIALECTS) {
  describe(`/api/access-control-profiles and the simulator [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    let geoId: number;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-console-acp');
      p = await registerPartner(t);
      token = await adminToken(t, p);
      const r = await api(t, 'POST', '/api/access-control-profiles', { token, body: { name: 'Geo block', systemName: 'geo', description: 'no DE/FR', rules: [geoBlock] } });
      expect(r.status).toBe(201);
      geoId = r.json.data.id;
    });
    afterAll(() => t?.close());

    it('answers Kaltura rule shapes, the same profile the Kaltura door sees', async () => {
      const r = await api(t, 'GET', `/api/access-control-profiles/${geoId}`, { token });
      expect(r.status).toBe(200);
      expect(r.json.data).toMatchObject({ id: geoId, name: 'Geo block', systemName: 'geo', description: 'no DE/FR', isDefault: false, createdAt: expect.any(String), updatedAt: expect.any(String) });
      const [rule] = r.json.data.rules;
      expect(rule).toMatchObject({ objectType: 'KalturaRule', message: 'Not available in your country', code: 'GEO', stopProcessing: false, forceAdminValidation: 0 });
      expect(rule.conditions).toEqual([{ objectType: 'KalturaCountryCondition', type: 2, not: false, values: [{ objectType: 'KalturaStringValue', value: 'DE' }, { objectType: 'KalturaStringValue', value: 'FR' }] }]);
      expect(rule.actions).toEqual([{ objectType: 'KalturaAccessControlBlockAction', type: 1 }]);
      expect(rule.contexts).toEqual([{ objectType: 'KalturaAccessControlContextTypeHolder', type: 1 }]);
      const viaKaltura = await run(client(t, await adminKs(t, p)), kaltura.services.accessControlProfile.get(geoId));
      expect(viaKaltura.rules[0].conditions[0].values.map((v: { value: string }) => v.value)).toEqual(['DE', 'FR']);
      const list = await api(t, 'GET', '/api/access-control-profiles', { token });
      expect(list.json.data.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['Geo block']));
      expect(list.json.data.filter((x: { isDefault: boolean }) => x.isDefault).length).toBe(1);
    });

    it('simulator: geo block with the country forced to a blocked one', async () => {
      const r = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, context: 'PLAY', ip: '10.0.0.1', country: 'de' } });
      expect(r.status).toBe(200);
      expect(r.json.data).toEqual({
        allowed: false,
        isScheduledNow: true,
        messages: ['Not available in your country'],
        actions: [{ objectType: 'KalturaAccessControlBlockAction', type: 1 }],
        rules: [{ index: 0, fired: true, conditions: [{ index: 0, type: 'country', not: false, fulfilled: true, why: 'country DE is in [DE, FR]' }] }],
        country: 'DE',
        ip: '10.0.0.1',
        profileId: geoId,
      });
    });

    it('simulator: the same profile from an allowed country, and in a context the rule does not cover', async () => {
      const us = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, context: 'PLAY', country: 'US' } });
      expect(us.json.data).toMatchObject({ allowed: true, messages: [], actions: [], country: 'US', rules: [{ index: 0, fired: false, conditions: [{ type: 'country', fulfilled: false, why: 'country US is not in [DE, FR]' }] }] });
      const download = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, context: 'DOWNLOAD', country: 'DE' } });
      expect(download.json.data).toMatchObject({ allowed: true, rules: [{ index: 0, fired: false, skipped: 'context', conditions: [] }] });
      // Without a forced country the IP is looked up: a private address has none.
      const lookedUp = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, ip: '192.168.1.1' } });
      expect(lookedUp.json.data).toMatchObject({ allowed: true, country: null, rules: [{ conditions: [{ fulfilled: false, why: 'the country of 192.168.1.1 is unknown, so it is not in [DE, FR]' }] }] });
    });

    it('simulator: a site/referrer rule (negated wildcard), on unsaved rules', async () => {
      const evil = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { rules: [siteOnly], referrer: 'https://evil.example/page' } });
      expect(evil.status).toBe(200);
      expect(evil.json.data).toMatchObject({
        allowed: false,
        profileId: null,
        messages: ['Embed only on example.com'],
        rules: [{ index: 0, fired: true, conditions: [{ index: 0, type: 'site', not: true, fulfilled: true, why: 'referrer host evil.example does not match *.example.com; negated by "not"' }] }],
      });
      const good = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { rules: [siteOnly], referrer: 'https://www.example.com/watch' } });
      expect(good.json.data).toMatchObject({ allowed: true, rules: [{ fired: false, conditions: [{ fulfilled: false, why: 'referrer host www.example.com matches *.example.com; negated by "not"' }] }] });
    });

    it('simulator: ADMIN sessions skip rules without forceAdminValidation; stopProcessing stops later rules', async () => {
      const admin = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, country: 'DE', session: { type: 'admin' } } });
      expect(admin.json.data).toMatchObject({ allowed: true, rules: [{ fired: false, skipped: 'admin' }] });
      const forced = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { rules: [{ ...geoBlock, forceAdminValidation: 1 }], country: 'FR', session: { type: 'admin' } } });
      expect(forced.json.data).toMatchObject({ allowed: false, rules: [{ fired: true }] });
      const stop = { objectType: 'KalturaRule', stopProcessing: true, message: 'first', conditions: [{ objectType: 'KalturaAuthenticatedCondition' }], actions: [{ objectType: 'KalturaAccessControlPreviewAction', limit: 30 }] };
      const r = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { rules: [stop, geoBlock], country: 'DE', session: { type: 'user', privileges: 'sview:*' } } });
      expect(r.json.data).toMatchObject({
        allowed: true,
        messages: ['first'],
        actions: [{ objectType: 'KalturaAccessControlPreviewAction', limit: 30 }],
        rules: [{ index: 0, fired: true, conditions: [{ type: 'authenticated', fulfilled: true, why: expect.stringContaining('sview:*') }] }, { index: 1, fired: false, skipped: 'stopped' }],
      });
    });

    it('simulator on an entry: its profile and schedule; bad input is 400/404', async () => {
      const entry = await api(t, 'POST', '/api/entries', { token, body: { name: 'Trailer', accessControlId: geoId } });
      expect(entry.status).toBe(201);
      const r = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { entryId: entry.json.data.id, country: 'FR' } });
      expect(r.json.data).toMatchObject({ allowed: false, profileId: geoId, isScheduledNow: true });
      expectProblem(await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { entryId: '0_nosuchid' } }), 404, 'ENTRY_ID_NOT_FOUND');
      expectProblem(await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { country: 'DE' } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, rules: [] } }), 400, 'INVALID_REQUEST');
      expectProblem(await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: 999999 } }), 404, 'ACCESS_CONTROL_ID_NOT_FOUND');
      expectProblem(await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, context: 'WATCH' } }), 400, 'INVALID_REQUEST');
    });

    it("a KS given to the simulator is checked like a request's: a blocked user's KS is refused, another partner's too", async () => {
      const admin = client(t, await adminKs(t, p));
      await run(admin, kaltura.services.user.add(new kaltura.objects.User({ id: 'sim-viewer' })));
      const ks = await run<string>(client(t), kaltura.services.session.start(p.adminSecret, 'sim-viewer', 0, p.id));
      expect((await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, country: 'US', ks } })).status).toBe(200);
      await run(admin, kaltura.services.user.update('sim-viewer', new kaltura.objects.User({ status: 0 })));
      expectProblem(await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, country: 'US', ks } }), 403, 'USER_BLOCKED');
      const other = await registerPartner(t, 'Other simulated');
      const foreign = await adminKs(t, other);
      const r = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, ks: foreign } });
      expectProblem(r, 401, 'INVALID_KS');
      expect(r.text).not.toContain(foreign);
    });

    it('the simulator agrees with the real decision (baseEntry.getContextData) for the same request', async () => {
      const stopFirst = { objectType: 'KalturaRule', message: 'preview only', stopProcessing: true, conditions: [{ objectType: 'KalturaUserAgentCondition', values: values('bot') }], actions: [{ objectType: 'KalturaAccessControlPreviewAction', limit: 10 }] };
      const profile = await api(t, 'POST', '/api/access-control-profiles', { token, body: { name: 'Site and bots', rules: [stopFirst, siteOnly] } });
      const entry = await api(t, 'POST', '/api/entries', { token, body: { name: 'Compared', accessControlId: profile.json.data.id } });
      // A player's (widget) session: an ADMIN KS would skip every rule.
      const ks = (await run(client(t), kaltura.services.session.startWidgetSession(`_${p.id}`))).ks;
      for (const [referrer, userAgent] of [['https://evil.example/x', 'Mozilla'], ['https://www.example.com/', 'Mozilla'], ['https://evil.example/x', 'GoodBot/1.0'], ['', 'curl']]) {
        const real = await run(client(t, ks), kaltura.services.baseEntry.getContextData(entry.json.data.id, new kaltura.objects.EntryContextDataParams({ referrer, userAgent })));
        const sim = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { entryId: entry.json.data.id, referrer, userAgent } });
        expect(sim.json.data.messages).toEqual((real.messages ?? []).map((m: { value: string }) => m.value));
        expect(sim.json.data.actions.map((a: { objectType: string }) => a.objectType)).toEqual((real.actions ?? []).map((a: { objectType: string }) => a.objectType));
        expect(sim.json.data.isScheduledNow).toBe(real.isScheduledNow);
      }
    });

    it('refuses rules that cannot compile with a 400 naming the field; unknown classes too', async () => {
      const bad = { objectType: 'KalturaRule', conditions: [{ objectType: 'KalturaCountryCondition', values: values('DE') }, { objectType: 'KalturaUserAgentCondition', values: values('(unclosed') }], actions: [block] };
      const r = await api(t, 'POST', '/api/access-control-profiles', { token, body: { name: 'Broken', rules: [bad] } });
      expectProblem(r, 400, 'INVALID_ACCESS_CONTROL_RULE');
      expect(r.json.detail).toContain('rules[0].conditions[1].values[0]');
      expectProblem(await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { rules: [bad] } }), 400, 'INVALID_ACCESS_CONTROL_RULE');
      expectProblem(await api(t, 'POST', '/api/access-control-profiles', { token, body: { name: 'Abstract', rules: [{ objectType: 'KalturaRule', conditions: [{ objectType: 'KalturaCondition' }] }] } }), 400, 'OBJECT_TYPE_ABSTRACT');
      expectProblem(await api(t, 'POST', '/api/access-control-profiles', { token, body: { name: 'Bad IP', rules: [{ objectType: 'KalturaRule', conditions: [{ objectType: 'KalturaIpAddressCondition', values: values('10.0.0.0/33') }] }] } }), 400, 'INVALID_ACCESS_CONTROL_RULE');
    });

    it('PATCH replaces rules; DELETE: the default is 409, another is 204; every change audited', async () => {
      const patched = await api(t, 'PATCH', `/api/access-control-profiles/${geoId}`, { token, body: { description: 'site only now', rules: [siteOnly] } });
      expect(patched.status).toBe(200);
      expect(patched.json.data.rules[0].conditions[0]).toMatchObject({ objectType: 'KalturaSiteCondition', not: true });
      const sim = await api(t, 'POST', '/api/access-control-profiles/simulate', { token, body: { profileId: geoId, referrer: 'https://evil.example/' } });
      expect(sim.json.data.rules[0].conditions[0].type).toBe('site');
      const def = (await api(t, 'GET', '/api/access-control-profiles', { token })).json.data.find((x: { isDefault: boolean }) => x.isDefault);
      expectProblem(await api(t, 'DELETE', `/api/access-control-profiles/${def.id}`, { token }), 409, 'CANNOT_DELETE_DEFAULT_ACCESS_CONTROL');
      expect((await api(t, 'DELETE', `/api/access-control-profiles/${geoId}`, { token })).status).toBe(204);
      expectProblem(await api(t, 'GET', `/api/access-control-profiles/${geoId}`, { token }), 404, 'ACCESS_CONTROL_ID_NOT_FOUND');
      for (const action of ['accessControlProfile.add', 'accessControlProfile.update', 'accessControlProfile.delete']) {
        expect((await auditRows(t, action)).some((x) => x.target === String(geoId) && x.actor === p.adminEmail)).toBe(true);
      }
    });

    it('permissions: readers may list and simulate but not write; viewers get 403', async () => {
      const reader = await userWithPermissions(t, p, 'ACCESS_CONTROL_BASE');
      const tok = await accessToken(t, reader.email, reader.password);
      expect((await api(t, 'GET', '/api/access-control-profiles', { token: tok })).status).toBe(200);
      expect((await api(t, 'POST', '/api/access-control-profiles/simulate', { token: tok, body: { rules: [geoBlock], country: 'DE' } })).status).toBe(200);
      expectProblem(await api(t, 'POST', '/api/access-control-profiles', { token: tok, body: { name: 'x' } }), 403, 'PERMISSION_REQUIRED');
      const viewer = await userWithPermissions(t, p, '');
      expectProblem(await api(t, 'POST', '/api/access-control-profiles/simulate', { token: await accessToken(t, viewer.email, viewer.password), body: { rules: [] } }), 403, 'PERMISSION_REQUIRED');
    });
  });
}
