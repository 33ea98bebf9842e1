/**
 * `gatehouse consumer key-pool add|list|retire` (issue 19): the real binary, server-side against
 * the running server's database and master key. A key added by the CLI signs the running server's
 * `/v2/consumer/{username}/credential/register` tokens, which `/authz/api` grants by `kid`; `list`
 * never prints a private key; `retire` refuses the key's tokens once the change feed reached the
 * server; bad usage exits 2 with a message.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { cliEnv, gatehouse } from '../support/cli.js';
import { authz, createConsumer, createService, expectEnvelope, expectKong, grant, sunbirdToken } from '../support/consumer.js';
import { DIALECTS } from '../support/dialects.js';
import { registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { adminToken, api } from '../support/rest.js';

for (const dialect of DIALECTS) {
  describe(`gatehouse consumer key-pool [${dialect}]`, () => {
    let t: TestGatehouse;
    let p: TestPartner;
    let env: Record<string, string>;
    let appToken: string;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'cli-key-pool');
      p = await registerPartner(t);
      env = cliEnv({
        GATEHOUSE_DATA_DIR: t.sqlitePath ? path.dirname(t.sqlitePath) : mkdtempSync(path.join(tmpdir(), 'gh-cli-pool-')),
        GATEHOUSE_MASTER_KEY: t.masterKey.toString('base64'),
        GATEHOUSE_DATABASE_URL: t.databaseUrl,
      });
      const admin = await adminToken(t, p);
      await createService(t, admin, { name: 'Content', routePrefix: '/content', allowedGroups: ['contentAccess'] });
      await createConsumer(t, admin, 'mobile_device');
      await grant(t, admin, 'mobile_device', ['contentAccess']);
      expect((await api(t, 'PATCH', '/api/consumers/mobile_device', { token: admin, body: { registrationGroup: 'deviceRegister' } })).status).toBe(200);
      const app = await createConsumer(t, admin, 'mobile_app');
      await grant(t, admin, 'mobile_app', ['deviceRegister']);
      appToken = sunbirdToken(app.key, app.secret);
    });
    afterAll(() => t?.close());

    const pool = (...args: string[]) => gatehouse(['consumer', 'key-pool', ...args], env);
    const registerV2 = (key: string) => api(t, 'POST', '/v2/consumer/mobile_device/credential/register', { token: appToken, body: { request: { key } } });

    it('add, list (no private key), sign at the running server, retire', async () => {
      const added = await pool('add', '--partner', String(p.id), 'mobile_device', 'mobile_devicev2_key1');
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      expect(added.stdout).toMatch(/^added mobile_devicev2_key1\tactive\tRS256\tcreated \S+\tretired -\tsha256 [A-Za-z0-9_-]{43}\n$/);
      const generated = await pool('add', '--partner', String(p.id), '--json', 'mobile_device');
      expect(generated.json()).toMatchObject({ kid: expect.stringMatching(/^mobile_device_key_[0-9a-f]{8}$/), status: 'active', algorithm: 'RS256' });

      const listed = await pool('list', '--partner', String(p.id), '--json', 'mobile_device');
      expect(listed.code).toBe(0);
      expect(listed.json().map((k: { kid: string }) => k.kid).sort()).toEqual(['mobile_devicev2_key1', generated.json().kid].sort());
      expect(listed.stdout).not.toMatch(/PRIVATE|BEGIN/);
      expect((await pool('list', '--partner', String(p.id), 'mobile_device')).stdout).not.toMatch(/PRIVATE|BEGIN/);

      // The running server signs with a CLI-made key (it opens it with the same master key).
      const tokens = new Map<string, string>();
      for (let i = 0; tokens.size < 2 && i < 200; i++) {
        const r = expectEnvelope(await registerV2(`dev-${i}`), 200, 'credential.register');
        tokens.set(decodeProtectedHeader(r.token).kid as string, r.token);
      }
      const key1Token = tokens.get('mobile_devicev2_key1') as string;
      expect((await authz(t, { uri: '/content/a', token: key1Token })).headers.get('x-consumer-username')).toBe('mobile_device');

      const retired = await pool('retire', '--partner', String(p.id), 'mobile_device', 'mobile_devicev2_key1');
      expect(retired.code).toBe(0);
      expect(retired.stdout).toMatch(/^retired mobile_devicev2_key1\tretired\t/);
      await vi.waitFor(async () => expectKong(await authz(t, { uri: '/content/a', token: key1Token }), 401), { timeout: 5000, interval: 50 });
      expect((await authz(t, { uri: '/content/a', token: tokens.get(generated.json().kid) as string })).status).toBe(200);
      const audit = await t.store.db.selectFrom('audit_log').select(['actor', 'action']).where('action', 'like', 'consumer.keypool.%').execute();
      expect(audit).toEqual(expect.arrayContaining([{ actor: 'cli:key-pool', action: 'consumer.keypool.add' }, { actor: 'cli:key-pool', action: 'consumer.keypool.retire' }]));
    });

    it('bad usage exits 2 with a message', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['add', '--partner', 'x', 'mobile_device'], /--partner must be a partner id/],
        [['add', '--partner', '999999', 'mobile_device'], /PARTNER_NOT_FOUND: partner 999999 does not exist/],
        [['list', '--partner', String(p.id), 'nobody'], /CONSUMER_GET_ERROR/],
        [['retire', '--partner', String(p.id), 'mobile_device', 'no-such-kid'], /CREDENTIAL_NOT_FOUND/],
        [['add', '--partner', String(p.id), 'mobile_device', 'has space'], /BAD_REQUEST/],
      ];
      for (const [args, message] of cases) {
        const r = await pool(...args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr).toMatch(message);
      }
      // A kid already taken (by this pool or any credential) is refused.
      const taken = await pool('add', '--partner', String(p.id), 'mobile_device', 'mobile_devicev2_key1');
      expect(taken.code).toBe(2);
      expect(taken.stderr).toMatch(/CREATE_CREDENTIAL_ERROR.*already exists/);
    });
  });
}
