/** POST /api/auth/api-key → 201: the key shown once, Kala's defaults, stored only as an HMAC. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api, fromNow } from '../support/rest.js';

const USER_MANAGEMENT = '01968c91-8789-7288-a337-f0e398711aac';
const DATA_MANAGEMENT = '01968c91-8789-7724-b62d-946b118ce9d6';

for (const dialect of DIALECTS) {
  describe(`POST /api/auth/api-key 201 [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'rest-key-201');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('answers {"data":"<key>"} once, with a recognisable prefix; the defaults are no permissions and all services', async () => {
      const validTo = fromNow(t, 30);
      const r = await api(t, 'POST', '/api/auth/api-key', { token, body: { validTo } });
      expect(r.status).toBe(201);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(Object.keys(r.json)).toEqual(['data']);
      const key = r.json.data as string;
      expect(key).toMatch(/^gh_[0-9A-Za-z]{43}$/);

      const list = await api(t, 'GET', '/api/auth/api-keys', { token });
      expect(list.status).toBe(200);
      expect(list.json.totalCount).toBe(1);
      const meta = list.json.data[0];
      expect(meta).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        start: key.slice(0, 9),
        validFrom: new Date(Math.floor(t.clock.nowMs() / 1000) * 1000).toISOString(),
        validTo: new Date(Math.floor(Date.parse(validTo) / 1000) * 1000).toISOString(),
        permissions: [],
        services: [],
        createdBy: p.adminEmail,
        createdAt: expect.any(String),
        revoked: false,
        revokedAt: null,
      });
      // Metadata only: neither the key nor its hash is ever listed.
      expect(list.text).not.toContain(key);
      expect(list.text).not.toContain(key.slice(9));
    });

    it('Kala permission UUIDs are stored as our names; services limit the key', async () => {
      const svc = await api(t, 'POST', '/api/services', { token, body: { name: 'catalogue', routePrefix: '/catalogue' } });
      expect(svc.status).toBe(201);
      const r = await api(t, 'POST', '/api/auth/api-key', {
        token,
        body: { validFrom: fromNow(t, 1), validTo: fromNow(t, 10), permissions: [USER_MANAGEMENT, DATA_MANAGEMENT.toUpperCase(), 'APP_TOKEN_BASE'], services: [svc.json.data.id] },
      });
      expect(r.status).toBe(201);
      const list = await api(t, 'GET', '/api/auth/api-keys', { token });
      const meta = list.json.data.find((k: { start: string }) => k.start === (r.json.data as string).slice(0, 9));
      expect(meta.permissions).toEqual(expect.arrayContaining(['ADMIN_BASE', 'ADMIN_USER_ADD', 'ADMIN_USER_UPDATE', 'ADMIN_USER_DELETE', 'CONTENT_MANAGE_BASE', 'CUSTOM_DATA_FIELD_DELETE', 'APP_TOKEN_BASE']));
      expect(meta.services).toEqual([svc.json.data.id]);
    });

    it('the key is never stored in plain text: only an HMAC and a short start', async () => {
      const key = (await api(t, 'POST', '/api/auth/api-key', { token, body: { validTo: fromNow(t, 5) } })).json.data as string;
      const rows = await t.store.db.selectFrom('api_keys').selectAll().execute();
      const row = rows.find((x) => x.start === key.slice(0, 9))!;
      expect(row.hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(row.hash).not.toBe(key);
      // Not in any table: keys, audit log, change feed, system state.
      for (const table of ['api_keys', 'audit_log', 'change_log', 'system_state'] as const) {
        const dump = JSON.stringify(await t.store.db.selectFrom(table).selectAll().execute());
        expect(dump, table).not.toContain(key.slice(9));
      }
      // The pepper is sealed, not stored in clear.
      const pepper = await t.store.db.selectFrom('system_state').selectAll().where('key', '=', 'api_key_pepper').executeTakeFirstOrThrow();
      expect(pepper.value).toMatch(/^v1\./);
    });

    it('creation is audited with the key id and start, never the key', async () => {
      const rows = await t.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'apiKey.create').execute();
      expect(rows.length).toBe(3);
      expect(rows.every((r) => r.actor === p.adminEmail && r.partner_id === p.id && r.outcome === 'success')).toBe(true);
      expect(JSON.parse(rows[0]!.detail)).toMatchObject({ start: expect.stringMatching(/^gh_/), permissions: [], services: [] });
    });
  });
}
