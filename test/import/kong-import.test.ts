/**
 * Importing a Sunbird-sized Kong set-up through POST /api/import/kong (issue 19): 471 Sunbird APIs
 * (YAML lists) and a decK file (JSON) with the consumers' credentials; a dry run writes nothing, a
 * second import changes nothing, secrets are sealed at rest; then /authz/api decides on sampled
 * routes for mobile_device, portal_anonymous, a consumer without groups and no credential exactly
 * as Kong's acl plugin would (kongDecision, written apart from Gatehouse), with tokens signed by the
 * imported HS256 secrets and RS256 keys (`kid`).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { accessToken, adminToken, api, expectProblem, userWithPermissions } from '../support/rest.js';
import { authz, signAsym, sunbirdToken } from '../support/consumer.js';
import { buildKongFixture, kongDecision, type FixtureConsumer } from '../support/kong-fixture.js';

const fixture = buildKongFixture();
const importFile = (t: TestGatehouse, token: string, text: string, contentType: string, dryRun = false) =>
  api(t, 'POST', '/api/import/kong', { token, raw: text, contentType, ...(dryRun ? { query: { dryRun: 'true' } } : {}) });

for (const dialect of DIALECTS) {
  describe(`Kong import [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let token: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'kong-import');
      p = await registerPartner(t);
      token = await adminToken(t, p);
    });
    afterAll(() => t?.close());

    it('a dry run answers what would change and writes nothing', async () => {
      const r = await importFile(t, token, fixture.sunbirdYaml, 'application/yaml', true);
      expect(r.status).toBe(200);
      expect(r.json.dryRun).toBe(true);
      expect(r.json.counts).toMatchObject({ created: 471 + 5, updated: 0, unchanged: 0 });
      expect((await api(t, 'GET', '/api/services', { token })).json.totalCount).toBe(0);
      expect((await api(t, 'GET', '/api/consumers', { token })).json.totalCount ?? 0).toBe(0);
    });

    it('imports 471 APIs, consumers and their credentials; the second import changes nothing', async () => {
      const first = await importFile(t, token, fixture.sunbirdYaml, 'application/yaml');
      expect(first.status).toBe(200);
      expect(first.json.counts).toMatchObject({ created: 476, updated: 0, unchanged: 0 });
      // Every cors and request-size-limiting plugin is listed as not imported, with its reason.
      expect(first.json.notImported.filter((s: { name: string }) => s.name === 'cors')).toHaveLength(471);
      const deck = await importFile(t, token, fixture.deckJson, 'application/json');
      expect(deck.status).toBe(200);
      const credentials = fixture.consumers.reduce((n, c) => n + c.credentials.length, 0);
      expect(deck.json.counts).toMatchObject({ created: 2 + credentials, updated: 0, unchanged: 5 });
      expect((await api(t, 'GET', '/api/services', { token, query: { pageSize: '500' } })).json.totalCount).toBe(473);
      for (const [text, type] of [[fixture.sunbirdYaml, 'application/yaml'], [fixture.deckJson, 'application/json']] as const) {
        const again = await importFile(t, token, text, type);
        expect(again.json.counts).toMatchObject({ created: 0, updated: 0 });
        expect(again.json.items.every((i: { outcome: string }) => i.outcome === 'unchanged')).toBe(true);
      }
    });

    it('imported secrets are sealed at rest, like generated ones', async () => {
      const md = fixture.consumers[0] as FixtureConsumer;
      const rows = await sql<{ key: string; secret_enc: unknown; public_key: string | null }>`select key, secret_enc, public_key from consumer_credentials`.execute(t.store.db);
      const hs = rows.rows.find((r) => r.key === 'mobile-device-app-key');
      expect(hs?.secret_enc).toBeTruthy();
      expect(Buffer.from(String(hs?.secret_enc)).toString()).not.toContain(md.credentials[0]?.secret as string);
      expect(rows.rows.find((r) => r.key === 'mobile_devicev2_key1')?.public_key).toContain('BEGIN PUBLIC KEY');
    });

    it("/authz/api decides on sampled routes as Kong's acl plugin would", async () => {
      const sample = fixture.routes.filter((_, i) => i % 6 === 0 || i >= fixture.routes.length - 2);
      expect(sample.some((r) => !r.jwt) && sample.some((r) => r.jwt && r.allow.length === 0) && sample.some((r) => r.deny.length > 0)).toBe(true);
      const byName = (u: string) => fixture.consumers.find((c) => c.username === u) as FixtureConsumer;
      const who = [byName('mobile_device'), byName('portal_anonymous'), byName('no_groups'), byName('desktop')];
      const pin = { 'x-gatehouse-partner': String(p.id) };
      const mismatches: string[] = [];
      let granted = 0;
      for (const route of sample) {
        const uri = `${route.path}/do_2137`;
        const anon = await authz(t, { uri, headers: pin });
        if (anon.status !== kongDecision(route, undefined)) mismatches.push(`${route.path} anonymous: ${anon.status}`);
        for (const c of who) {
          const hs = c.credentials[0];
          const r = await authz(t, { uri, token: sunbirdToken(hs?.key as string, hs?.secret as string) });
          if (r.status !== kongDecision(route, c)) mismatches.push(`${route.path} ${c.username}: ${r.status} (${r.text})`);
          if (r.status === 200) {
            granted++;
            expect(r.headers.get('x-consumer-username')).toBe(c.username);
          }
        }
        // The device flow's token: RS256, found by the header kid, iss = <kid>-<device>-<epoch ms>.
        const md = byName('mobile_device');
        const kid = md.credentials[1];
        const rs = await authz(t, { uri, token: await signAsym('RS256', kid?.privateKey as never, { iss: `${kid?.key}-device42-1700000000000` }, { kid: kid?.key }) });
        if (rs.status !== kongDecision(route, md)) mismatches.push(`${route.path} mobile_device RS256: ${rs.status}`);
      }
      expect(mismatches).toEqual([]);
      expect(granted).toBeGreaterThan(20);
      // The sample exercises every answer Kong gives: let through, 401 without a credential, 403 by acl.
      const expected = new Set(sample.flatMap((r) => [kongDecision(r, undefined), ...who.map((c) => kongDecision(r, c))]));
      expect([...expected].sort()).toEqual([200, 401, 403]);
    });

    it('bad input is a 400 naming the problem; the permissions are both needed', async () => {
      const bad = await importFile(t, token, 'kong_apis: [', 'application/yaml');
      expectProblem(bad, 400, 'INVALID_REQUEST');
      expect(bad.json.detail).toMatch(/not valid JSON or YAML/);
      expectProblem(await importFile(t, token, '{"_format_version": "3.0", "services": {"a": 1}}', 'application/json'), 400, 'INVALID_REQUEST');
      expectProblem(await importFile(t, token, '[1, 2]', 'application/json'), 400, 'INVALID_REQUEST');
      expectProblem(await importFile(t, token, '', 'application/yaml'), 400, 'INVALID_REQUEST');
      expectProblem(await importFile(t, token, 'kong_apis: []', 'text/plain'), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectProblem(await importFile(t, token, `kong_apis: "${'x'.repeat(9 * 1024 * 1024)}"`, 'application/yaml'), 413, 'REQUEST_TOO_LARGE');
      const consumersOnly = await userWithPermissions(t, p, 'CONSUMER_MANAGE,ADMIN_BASE');
      expectProblem(await importFile(t, await accessToken(t, consumersOnly.email, consumersOnly.password), 'kong_apis: []', 'application/yaml'), 403, 'PERMISSION_REQUIRED');
      const both = await userWithPermissions(t, p, 'CONSUMER_MANAGE,SERVICE_MANAGE,ADMIN_BASE');
      expect((await importFile(t, await accessToken(t, both.email, both.password), 'kong_apis: []', 'application/yaml')).status).toBe(200);
    });
  });
}
