/**
 * `gatehouse import kong` (issue 19): the real binary, server-side against the running server's
 * database and master key, like `migrate`. Dry run, import, second import, and a token signed with
 * an imported secret granted by the running server's /authz/api once the change feed reached it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, gatehouse } from '../support/cli.js';
import { authz, sunbirdToken } from '../support/consumer.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { buildKongFixture, kongDecision, type FixtureConsumer } from '../support/kong-fixture.js';
import { adminToken, api } from '../support/rest.js';

const fixture = buildKongFixture(60);

for (const dialect of DIALECTS) {
  describe(`gatehouse import kong [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let env: Record<string, string>;
    let files: string[];
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'cli-import');
      p = await registerPartner(t);
      env = cliEnv({
        GATEHOUSE_DATA_DIR: t.sqlitePath ? path.dirname(t.sqlitePath) : mkdtempSync(path.join(tmpdir(), 'gh-cli-import-')),
        GATEHOUSE_MASTER_KEY: t.masterKey.toString('base64'),
        GATEHOUSE_DATABASE_URL: t.databaseUrl,
      });
      const dir = mkdtempSync(path.join(tmpdir(), 'gh-kong-files-'));
      files = [path.join(dir, 'sunbird.yml'), path.join(dir, 'kong.json')];
      writeFileSync(files[0] as string, fixture.sunbirdYaml);
      writeFileSync(files[1] as string, fixture.deckJson);
    });
    afterAll(() => t?.close());

    it('--dry-run prints what would change and writes nothing', async () => {
      const r = await gatehouse(['import', 'kong', '--partner', String(p.id), '--dry-run', ...files], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`partner ${p.id}: dry run, nothing written`);
      expect(r.stdout).toMatch(/services: +62 created, 0 updated, 0 unchanged, 0 skipped/);
      expect(r.stdout).toMatch(/not imported \(\d+\):\n {2}60 × plugin cors: plugin not enforced by Gatehouse/);
      expect((await api(t, 'GET', '/api/services', { token: await adminToken(t, p) })).json.totalCount).toBe(0);
    });

    it('imports (--json), then a second import changes nothing; imported tokens work on the running server', async () => {
      const r = await gatehouse(['import', 'kong', '--partner', String(p.id), '--json', ...files], env);
      expect(r.code).toBe(0);
      const credentials = fixture.consumers.reduce((n, c) => n + c.credentials.length, 0);
      expect(r.json().counts).toMatchObject({ created: 62 + 5 + credentials, updated: 0, unchanged: 0 });
      const again = await gatehouse(['import', 'kong', '--partner', String(p.id), '--json', ...files], env);
      expect(again.json().counts).toMatchObject({ created: 0, updated: 0, unchanged: 62 + 5 + credentials });

      const md = fixture.consumers.find((c) => c.username === 'mobile_device') as FixtureConsumer;
      const route = fixture.routes.find((x) => x.allow.length > 0 && kongDecision(x, md) === 200);
      const token = sunbirdToken(md.credentials[0]?.key as string, md.credentials[0]?.secret as string);
      let status = 0;
      for (let i = 0; i < 50 && status !== 200; i++) {
        status = (await authz(t, { uri: `${route?.path}/x`, token })).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    });

    it('refuses an unknown partner, an unreadable or malformed file with exit 2 and a message', async () => {
      const none = await gatehouse(['import', 'kong', '--partner', '99999', files[0] as string], env);
      expect([none.code, none.stderr.trim()]).toEqual([2, 'error: PARTNER_NOT_FOUND: partner 99999 does not exist']);
      const missing = await gatehouse(['import', 'kong', '--partner', String(p.id), '/nonexistent/kong.yml'], env);
      expect([missing.code, missing.stderr]).toEqual([2, 'error: FILE: /nonexistent/kong.yml: not a readable file\n']);
      const bad = path.join(path.dirname(files[0] as string), 'bad.yml');
      writeFileSync(bad, 'kong_apis: [\n');
      const malformed = await gatehouse(['import', 'kong', '--partner', String(p.id), bad], env);
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toMatch(/^error: BAD_FILE: bad\.yml: not valid JSON or YAML/);
      expect((await gatehouse(['import', 'kong', '--partner', 'abc', bad], env)).code).toBe(2);
    });
  });
}
