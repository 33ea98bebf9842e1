/**
 * A partner's own settings through PATCH /api/partners/{id} `settings` (today
 * `deliveryAllowedOrigins`, the CORS list of its delivery URLs): set by the operator or by the
 * partner's administrator (ACCOUNT_UPDATE_SETTINGS) for its own partner only, shown by
 * GET /api/partners/{id}, stored canonical, bad values refused with 400 problem+json, audited.
 * Everything else on that route stays the operator's, `defaultEntitlementEnforcement` included
 * (Kaltura's account-level entitlement default, kept in its admin console).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRows, operatorToken } from '../support/console.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, createKey, expectProblem, userWithPermissions } from '../support/rest.js';

const LMS = 'https://lms.example.edu';

for (const dialect of DIALECTS) {
  describe(`partner settings: deliveryAllowedOrigins [${dialect}]`, () => {
    let t: TestGatehouse;
    let a: TestPartner;
    let b: TestPartner;
    let op: string;
    let tokenA: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'partner-settings');
      a = await registerPartner(t, 'Settings U');
      b = await registerPartner(t, 'Other U');
      op = await operatorToken(t);
      tokenA = await adminToken(t, a);
    });
    afterAll(() => t?.close());

    const patch = (id: number, settings: unknown, auth: { token?: string; key?: string } = { token: op }) => api(t, 'PATCH', `/api/partners/${id}`, { ...auth, body: { settings } });
    const origins = async (id: number) => (await api(t, 'GET', `/api/partners/${id}`, { token: op })).json.data.settings.deliveryAllowedOrigins;

    it('the operator sets, reads and clears it; [] (the default) means any origin', async () => {
      expect(await origins(a.id)).toEqual([]);
      const set = await patch(a.id, { deliveryAllowedOrigins: [LMS, 'http://127.0.0.1:8443'] });
      expect(set.status, set.text).toBe(200);
      expect(set.json.data.settings).toEqual({ deliveryAllowedOrigins: [LMS, 'http://127.0.0.1:8443'], defaultEntitlementEnforcement: false, twoFactor: 'off', blockDirectLogin: false });
      expect(await origins(a.id)).toEqual([LMS, 'http://127.0.0.1:8443']);
      expect(await origins(b.id)).toEqual([]);
      // Other settings and limits are untouched by a settings patch, and the other way round.
      expect((await api(t, 'PATCH', `/api/partners/${a.id}`, { token: op, body: { limits: { gatewayRateLimit: 5 } } })).json.data.settings.deliveryAllowedOrigins).toEqual([LMS, 'http://127.0.0.1:8443']);
      expect((await patch(a.id, {})).json.data.limits.gatewayRateLimit).toBe(5);
      expect((await patch(a.id, { deliveryAllowedOrigins: [] })).json.data.settings).toEqual({ deliveryAllowedOrigins: [], defaultEntitlementEnforcement: false, twoFactor: 'off', blockDirectLogin: false });
      expect(await origins(a.id)).toEqual([]);
      const stored = (await t.store.db.selectFrom('partners').select('settings').where('id', '=', a.id).executeTakeFirstOrThrow()) as { settings: unknown };
      const raw = typeof stored.settings === 'string' ? JSON.parse(stored.settings) : stored.settings;
      expect(raw).not.toHaveProperty('deliveryAllowedOrigins');
    });

    it('the partner administrator sets its own; it may not touch status, name or limits, nor another partner', async () => {
      const own = await patch(a.id, { deliveryAllowedOrigins: [LMS] }, { token: tokenA });
      expect(own.status, own.text).toBe(200);
      expect(own.json.data.settings.deliveryAllowedOrigins).toEqual([LMS]);
      expect(await origins(a.id)).toEqual([LMS]);
      expectProblem(await patch(b.id, { deliveryAllowedOrigins: [LMS] }, { token: tokenA }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await patch(424242, { deliveryAllowedOrigins: [LMS] }, { token: tokenA }), 403, 'PERMISSION_REQUIRED');
      for (const body of [{ status: 'blocked' }, { name: 'Mine' }, { description: 'x' }, { limits: { gatewayRateLimit: 1000 } }, { settings: { deliveryAllowedOrigins: [] }, name: 'Mine' }]) {
        expectProblem(await api(t, 'PATCH', `/api/partners/${a.id}`, { token: tokenA, body }), 403, 'PERMISSION_REQUIRED');
      }
      expect(await origins(a.id)).toEqual([LMS]);
      // Reading the partner (with its limits) stays the operator's.
      expectProblem(await api(t, 'GET', `/api/partners/${a.id}`, { token: tokenA }), 403, 'PERMISSION_REQUIRED');
      const rows = await auditRows(t, 'partner.update');
      const mine = rows.find((r) => JSON.parse(r.detail).byPartnerId === a.id);
      expect(JSON.parse(mine!.detail)).toMatchObject({ fields: ['settings'], byPartnerId: a.id, settings: { deliveryAllowedOrigins: [LMS] } });
    });

    it('defaultEntitlementEnforcement: the operator turns it on and off (shown, stored only when on, audited); the partner administrator may not', async () => {
      const on = await patch(b.id, { defaultEntitlementEnforcement: true });
      expect(on.status, on.text).toBe(200);
      expect(on.json.data.settings).toEqual({ deliveryAllowedOrigins: [], defaultEntitlementEnforcement: true, twoFactor: 'off', blockDirectLogin: false });
      expect((await api(t, 'GET', `/api/partners/${b.id}`, { token: op })).json.data.settings.defaultEntitlementEnforcement).toBe(true);
      expect((await api(t, 'GET', `/api/partners/${a.id}`, { token: op })).json.data.settings.defaultEntitlementEnforcement).toBe(false);
      const rows = await auditRows(t, 'partner.update');
      expect(rows.map((r) => JSON.parse(r.detail)).find((d) => d.settings?.defaultEntitlementEnforcement === true)).toMatchObject({ fields: ['settings'] });
      expectProblem(await patch(a.id, { defaultEntitlementEnforcement: true }, { token: tokenA }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await patch(a.id, { deliveryAllowedOrigins: [], defaultEntitlementEnforcement: false }, { token: tokenA }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await patch(b.id, { defaultEntitlementEnforcement: 'yes' }), 400, 'INVALID_REQUEST');
      expect((await patch(b.id, { defaultEntitlementEnforcement: false })).json.data.settings.defaultEntitlementEnforcement).toBe(false);
      const stored = (await t.store.db.selectFrom('partners').select('settings').where('id', '=', b.id).executeTakeFirstOrThrow()) as { settings: unknown };
      expect(typeof stored.settings === 'string' ? JSON.parse(stored.settings) : stored.settings).not.toHaveProperty('defaultEntitlementEnforcement');
    });

    it('a user or API key without ACCOUNT_UPDATE_SETTINGS gets 403; a key with it may', async () => {
      const manager = await userWithPermissions(t, a, 'KMC_ACCESS,ADMIN_BASE,ACCOUNT_BASE');
      const managerToken = await accessToken(t, manager.email, manager.password, a.id);
      expectProblem(await patch(a.id, { deliveryAllowedOrigins: [] }, { token: managerToken }), 403, 'PERMISSION_REQUIRED');
      expectProblem(await patch(a.id, { deliveryAllowedOrigins: [] }, { key: await createKey(t, tokenA, { permissions: ['ADMIN_BASE'] }) }), 403, 'PERMISSION_REQUIRED');
      const key = await createKey(t, tokenA, { permissions: ['ACCOUNT_UPDATE_SETTINGS'] });
      expect((await patch(a.id, { deliveryAllowedOrigins: ['https://player.example.org'] }, { key })).json.data.settings.deliveryAllowedOrigins).toEqual(['https://player.example.org']);
    });

    it('origins are stored as browsers send them: lower case, no default port, punycode, no duplicates', async () => {
      const r = await patch(a.id, { deliveryAllowedOrigins: ['HTTPS://LMS.Example.EDU:443', 'https://lms.example.edu', 'http://localhost:80', 'https://bücher.example', 'http://[::1]:8080'] });
      expect(r.status, r.text).toBe(200);
      expect(r.json.data.settings.deliveryAllowedOrigins).toEqual([LMS, 'http://localhost', 'https://xn--bcher-kva.example', 'http://[::1]:8080']);
    });

    it('anything but a list of http(s) origins is a 400 problem, and nothing changes', async () => {
      await patch(a.id, { deliveryAllowedOrigins: [LMS] });
      const bad = [
        ['*'],
        ['https://*.example.edu'],
        ['null'],
        ['https://lms.example.edu/'],
        ['https://lms.example.edu/player'],
        ['https://lms.example.edu?x=1'],
        ['https://user@lms.example.edu'],
        ['lms.example.edu'],
        ['ftp://lms.example.edu'],
        ['chrome-extension://abcdef'],
        ['https://lms.example.edu:99999'],
        ['https://lms.example.edu.'],
        ['https://lms example.edu'],
        [LMS, 'https://ok.example', ' https://lead.example'],
      ];
      for (const list of bad) expectProblem(await patch(a.id, { deliveryAllowedOrigins: list }), 400, 'PROPERTY_VALIDATION_WRONG_FORMAT');
      const wrongIndex = await patch(a.id, { deliveryAllowedOrigins: [LMS, 'https://ok.example', 'https://*.example'] });
      expect(wrongIndex.json.detail).toContain('deliveryAllowedOrigins[2]');
      for (const value of ['https://a.example', null, 42, [[LMS]], [42], [null], ['']]) {
        expectProblem(await patch(a.id, { deliveryAllowedOrigins: value }), 400, 'INVALID_REQUEST');
      }
      expectProblem(await patch(a.id, { deliveryAllowedOrigins: Array.from({ length: 33 }, (_, i) => `https://h${i}.example`) }), 400, 'INVALID_REQUEST');
      expectProblem(await patch(a.id, { deliveryAllowedOrigins: [`https://${'a'.repeat(250)}.example`] }), 400, 'INVALID_REQUEST');
      expectProblem(await patch(a.id, { otherSetting: 1 }), 400, 'INVALID_REQUEST');
      expect(await origins(a.id)).toEqual([LMS]);
      // 32 is allowed.
      expect((await patch(a.id, { deliveryAllowedOrigins: Array.from({ length: 32 }, (_, i) => `https://h${i}.example`) })).status).toBe(200);
    });
  });
}
