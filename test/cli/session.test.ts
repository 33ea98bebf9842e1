/**
 * `gatehouse session start|check|end`, connection settings (environment, flags, profile file) and
 * error reporting of the real binary against a real server.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliEnv, gatehouse, type CliResult } from '../support/cli.js';
import { post, registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';

let t: TestGatehouse;
let p: TestPartner;
let env: Record<string, string>;
const runs: CliResult[] = [];
const BAD_SECRET = 'not-the-admin-secret-0123456789';

async function cli(args: string[], vars: Record<string, string> = env): Promise<CliResult> {
  const r = await gatehouse(args, vars);
  runs.push(r);
  return r;
}

beforeAll(async () => {
  t = await startGatehouse('sqlite', 'cli-session');
  p = await registerPartner(t);
  env = cliEnv({ KALTURA_SERVICE_URL: t.url, KALTURA_PARTNER_ID: String(p.id), KALTURA_ADMIN_SECRET: p.adminSecret, KALTURA_USER_ID: 'media-admin' });
});
afterAll(async () => {
  await t?.close();
});

// Each case spawns the real binary several times; on a loaded 2-core machine that can take a while.
vi.setConfig({ testTimeout: 120_000 });

describe('gatehouse session (real binary, real server)', () => {
  it('start → check → end: the ended KS is refused', async () => {
    // The server's clock is a test clock; bring it to the wall clock the CLI reads ("in 1h 59m").
    t.clock.set(Date.now());
    const [plain, json, admin] = await Promise.all([
      cli(['session', 'start', '--type', 'admin', '--expiry', '2h']),
      cli(['session', 'start', '--user', 'student-7', '--privileges', 'privacycontext:MEDIASPACE', '--json']),
      cli(['session', 'start', '--type', 'admin']),
    ]);
    expect(plain.code, plain.stderr).toBe(0);
    const ks = plain.stdout.trim();
    expect(ks).toMatch(/^djJ8[A-Za-z0-9_-]+$/);
    const s = json.json();
    expect(Object.keys(s)).toEqual(['ks', 'partnerId', 'userId', 'expiry', 'sessionType', 'privileges']);
    expect(s).toMatchObject({ partnerId: p.id, userId: 'student-7', sessionType: 0, privileges: 'privacycontext:MEDIASPACE' });
    expect(s.expiry).toBeGreaterThan(Math.floor(Date.now() / 1000) + 86_000);
    const adminKs = admin.stdout.trim();

    const [check, checkJson, checkUser, viaUserKs] = await Promise.all([
      cli(['session', 'check', ks]),
      cli(['session', 'check', ks, '--json']),
      cli(['session', 'check', s.ks, '--json']),
      // A KS in KALTURA_SESSION replaces the admin secret (and a USER KS may not call session.get).
      cli(['session', 'check', s.ks], cliEnv({ KALTURA_SERVICE_URL: t.url, KALTURA_SESSION: s.ks })),
    ]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(new RegExp(`^partner\\s+${p.id}$`, 'm'));
    // KALTURA_USER_ID is the user of sessions the CLI starts.
    expect(check.stdout).toMatch(/^user\s+media-admin$/m);
    expect(check.stdout).toMatch(/^type\s+ADMIN \(2\)$/m);
    expect(check.stdout).toMatch(/^expiry\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 1h 59m\)$/m);
    const c = checkJson.json();
    expect(c).toEqual({ partnerId: p.id, userId: 'media-admin', expiry: expect.any(Number), sessionType: 2, privileges: '' });
    expect(checkUser.json()).toEqual({ partnerId: p.id, userId: 'student-7', expiry: s.expiry, sessionType: 0, privileges: 'privacycontext:MEDIASPACE' });
    expect(viaUserKs.code).toBe(1);
    expect(viaUserKs.stderr).toMatch(/^error: SERVICE_FORBIDDEN: /);

    // `end` needs nothing but the URL and the KS.
    const end = await cli(['session', 'end', ks, '--json'], cliEnv({ KALTURA_SERVICE_URL: t.url }));
    expect(end.code, end.stderr).toBe(0);
    expect(end.json()).toEqual({ ended: true });
    const after = (await post(t, '/api_v3/service/session/action/get', JSON.stringify({ ks, format: 1 }), 'application/json')).json();
    expect(after).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'LOGOUT' } });

    // A KS issued an hour ago (server clock moved back) for 60 s reads "expired 59m ago".
    t.clock.set(Date.now() - 3_600_000);
    const expired = (await cli(['session', 'start', '--expiry', '60'])).stdout.trim();
    t.clock.set(Date.now());
    const viaAdminKs = await cli(['session', 'check', expired], cliEnv({ KALTURA_SERVICE_URL: t.url, KALTURA_SESSION: adminKs }));
    expect(viaAdminKs.code, viaAdminKs.stderr).toBe(0);
    expect(viaAdminKs.stdout).toMatch(/^expiry\s+\S+Z \(expired 59m ago\)$/m);
  });

  it('API errors: error: <CODE>: <message> on stderr, exit 1, no secret or KS echoed', async () => {
    const bogusKs = 'djJ8' + 'A'.repeat(60);
    const [badSecret, unknownToken, badKs] = await Promise.all([
      cli(['role', 'find', 'manager'], { ...env, KALTURA_ADMIN_SECRET: BAD_SECRET }),
      cli(['app-token', 'get', '0_zzzzzzzz']),
      cli(['session', 'check', bogusKs]),
    ]);
    expect(badSecret.code).toBe(1);
    expect(badSecret.stdout).toBe('');
    expect(badSecret.stderr).toBe(`error: START_SESSION_ERROR: Error while starting session for partner [${p.id}]\n`);
    expect(unknownToken.code).toBe(1);
    expect(unknownToken.stderr).toBe('error: APP_TOKEN_ID_NOT_FOUND: Application token id "0_zzzzzzzz" not found\n');
    expect(badKs.code).toBe(1);
    expect(badKs.stderr).toMatch(/^error: INVALID_KS: /);
    expect(badKs.stderr).not.toContain(bogusKs);
  });

  it('usage and configuration errors exit 2', async () => {
    const [noUrl, noSecret, badType, unknownFlag, noSub, badUrl, badPid] = await Promise.all([
      cli(['role', 'find', 'x'], cliEnv()),
      cli(['session', 'start'], cliEnv({ KALTURA_SERVICE_URL: t.url, KALTURA_PARTNER_ID: String(p.id) })),
      cli(['session', 'start', '--type', 'root']),
      cli(['session', 'start', '--bogus']),
      cli(['app-token']),
      cli(['role', 'find', 'x', '--url', 'ftp://example.org']),
      cli(['role', 'find', 'x', '--partner-id', 'abc']),
    ]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toBe('error: CONFIG: no service URL: pass --url or set KALTURA_SERVICE_URL (or use --profile)\n');
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/^error: CONFIG: no admin secret: set KALTURA_ADMIN_SECRET/);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/--type must be user or admin/);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/unknown option '--bogus'/);
    expect(noSub.code).toBe(2);
    expect(badUrl.code).toBe(2);
    expect(badPid.code).toBe(2);
    expect(badPid.stderr).toMatch(/--partner-id must be an integer/);
  });

  it('--profile: settings from the config file override the environment; a readable file is warned about', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gh-cli-profile-'));
    const file = path.join(dir, 'cli.json');
    writeFileSync(file, JSON.stringify({ profiles: { uni: { url: t.url, partnerId: p.id, adminSecret: p.adminSecret, userId: 'profile-admin' } } }));
    chmodSync(file, 0o644);
    // The environment points at the wrong secret: a named profile is self-contained.
    const vars = { ...env, KALTURA_ADMIN_SECRET: BAD_SECRET, GATEHOUSE_CLI_CONFIG: file };
    const [shared, missing] = await Promise.all([cli(['session', 'start', '--type', 'admin', '--profile', 'uni', '--json'], vars), cli(['role', 'find', 'x', '--profile', 'nope'], vars)]);
    expect(shared.code, shared.stderr).toBe(0);
    expect(shared.json()).toMatchObject({ partnerId: p.id, userId: 'profile-admin', sessionType: 2 });
    expect(shared.stderr).toBe(`warning: ${file} is accessible by group or others (mode 0644); it may hold an admin secret: chmod 600 ${file}\n`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: CONFIG: no profile "nope" in .* \(profiles: uni\)$/m);

    chmodSync(file, 0o600);
    // Flags still win over the profile.
    const quiet = await cli(['session', 'start', '--profile', 'uni', '--user', 'flag-user', '--json'], vars);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.json()).toMatchObject({ userId: 'flag-user', sessionType: 0 });
  });

  it('never prints the admin secret or a wrong secret', () => {
    for (const r of runs) {
      expect(r.stdout + r.stderr).not.toContain(p.adminSecret);
      expect(r.stdout + r.stderr).not.toContain(BAD_SECRET);
    }
  });
});
