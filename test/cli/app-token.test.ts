/**
 * The seed toolkit's flow through the real `gatehouse` binary against a real server: find a role,
 * create a token that bakes in role, widget, URI restriction, privacy context and expiry, list /
 * get / update it, mint a session from it with only URL + partner id, inspect that session, use
 * it, revoke the token and watch the minted session die.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliEnv, gatehouse, type CliResult } from '../support/cli.js';
import { post, registerPartner, startGatehouse, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';

let t: TestGatehouse;
let p: TestPartner;
let env: Record<string, string>;
const runs: CliResult[] = [];

async function cli(args: string[], vars: Record<string, string> = env): Promise<CliResult> {
  const r = await gatehouse(args, vars);
  runs.push(r);
  return r;
}

/** A call made WITH the given KS, as any integration would make it. */
async function callWith(ks: string, service: string, action: string): Promise<any> {
  return (await post(t, `/api_v3/service/${service}/action/${action}`, JSON.stringify({ ks, format: 1 }), 'application/json')).json();
}

beforeAll(async () => {
  t = await startGatehouse('sqlite', 'cli-app-token');
  p = await registerPartner(t);
  env = cliEnv({ KALTURA_SERVICE_URL: t.url, KALTURA_PARTNER_ID: String(p.id), KALTURA_ADMIN_SECRET: p.adminSecret });
});
afterAll(async () => {
  await t?.close();
});

// Each case spawns the real binary several times; on a loaded 2-core machine that can take a while.
vi.setConfig({ testTimeout: 120_000 });

describe('gatehouse app-token (real binary, real server)', () => {
  let roleId: number;
  let tokenId: string;
  let tokenValue: string;
  let legacyId: string;
  let minted: string;

  it('role find: ids of roles whose name contains the text, case-insensitively', async () => {
    const [table, json, none] = await Promise.all([cli(['role', 'find', 'moderator']), cli(['role', 'find', 'MODERATOR', '--json']), cli(['role', 'find', 'no such role', '--json'])]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+SYSTEMNAME\s+PARTNERID/);
    expect(table.stdout).toMatch(/\d+\s+Content Moderator\s+CONTENT_MODERATOR\s+\d+/);
    expect(json.code).toBe(0);
    const roles = json.json();
    expect(roles).toHaveLength(1);
    expect(Object.keys(roles[0])).toEqual(['id', 'name', 'systemName', 'partnerId']);
    expect(roles[0]).toMatchObject({ name: 'Content Moderator', systemName: 'CONTENT_MODERATOR', partnerId: p.id });
    roleId = roles[0].id;
    expect(table.stdout).toContain(String(roleId));
    expect(none.json()).toEqual([]);
  });

  it('create: role by name → setrole id, widget, URI restriction, privacy context, 30d → absolute expiry', async () => {
    const before = Math.floor(Date.now() / 1000);
    const [r, legacy] = await Promise.all([
      cli([
        'app-token', 'create', '--json',
        '--role', 'content moderator',
        '--widget',
        '--entitlement',
        '--uri-restrict', '/api_v3/service/session/*',
        '--privacy-context', 'MEDIASPACE',
        '--expiry', '30d',
        '--session-type', 'admin',
        '--session-user', 'lms-bot',
        '--duration', '12h',
        '--description', 'LMS integration',
      ]),
      cli(['app-token', 'create', '--hash-type', 'sha1', '--description', 'legacy caption vendor']),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: the token value is shown only this once/);
    const tok = r.json();
    expect(Object.keys(tok)).toEqual(['id', 'token', 'partnerId', 'status', 'hashType', 'sessionType', 'sessionUserId', 'sessionDuration', 'sessionPrivileges', 'expiry', 'description', 'createdAt', 'updatedAt']);
    expect(tok.id).toMatch(/^0_[a-z0-9]{8}$/);
    expect(tok.token).toMatch(/^[0-9a-f]{32}$/);
    expect(tok).toMatchObject({ partnerId: p.id, status: 2, hashType: 'SHA256', sessionType: 2, sessionUserId: 'lms-bot', sessionDuration: 43_200, description: 'LMS integration' });
    expect(tok.sessionPrivileges).toBe(`setrole:${roleId},widget:1,enableentitlement,urirestrict:/api_v3/service/session/*,privacycontext:MEDIASPACE`);
    expect(tok.expiry).toBeGreaterThanOrEqual(before + 30 * 86_400);
    expect(tok.expiry).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 30 * 86_400);
    tokenId = tok.id;
    tokenValue = tok.token;

    // Without --json: a readable record that includes the value, and the same warning.
    expect(legacy.code, legacy.stderr).toBe(0);
    expect(legacy.stderr).toContain('shown only this once');
    expect(legacy.stdout).toMatch(/^id\s+0_[a-z0-9]{8}$/m);
    expect(legacy.stdout).toMatch(/^token\s+[0-9a-f]{32}$/m);
    expect(legacy.stdout).toMatch(/^hash type\s+SHA1$/m);
    expect(legacy.stdout).toMatch(/^expiry\s+never$/m);
    legacyId = /^id\s+(\S+)$/m.exec(legacy.stdout)![1]!;
  });

  it('list, get and update show the token, never its value', async () => {
    const [table, json, disabled, get, getJson] = await Promise.all([
      cli(['app-token', 'list']),
      cli(['app-token', 'list', '--json']),
      cli(['app-token', 'list', '--status', 'disabled', '--json']),
      cli(['app-token', 'get', tokenId]),
      cli(['app-token', 'get', tokenId, '--json']),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+STATUS\s+HASH\s+TYPE\s+USER\s+EXPIRY\s+DESCRIPTION\s+PRIVILEGES/);
    expect(table.stdout).toMatch(new RegExp(`${tokenId}\\s+ACTIVE\\s+SHA256\\s+ADMIN\\s+lms-bot\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z\\s+LMS integration\\s+setrole:${roleId}`));
    expect(table.stdout).toContain(legacyId);
    const listed = json.json();
    expect(listed.map((x: any) => x.id).sort()).toEqual([tokenId, legacyId].sort());
    expect(listed[0]).not.toHaveProperty('token');
    expect(disabled.json()).toEqual([]);
    expect(get.stdout).toMatch(/^session privileges\s+setrole:/m);
    expect(get.stdout).toMatch(/^expiry\s+\S+Z \(in 29d 23h\)$/m);
    expect(getJson.json()).toMatchObject({ id: tokenId, sessionUserId: 'lms-bot', hashType: 'SHA256' });
    expect(getJson.json()).not.toHaveProperty('token');
    for (const r of [table, json, get, getJson]) expect(r.stdout).not.toContain(tokenValue);

    const [upd, upd2] = await Promise.all([
      cli(['app-token', 'update', tokenId, '--description', 'LMS integration (prod)', '--json']),
      cli(['app-token', 'update', legacyId, '--privileges', 'iprestrict:10.0.0.1', '--entitlement', '--expiry', '2h', '--json']),
    ]);
    expect(upd.code, upd.stderr).toBe(0);
    // Only the description changed: the privileges baked in at creation are intact.
    expect(upd.json()).toMatchObject({ description: 'LMS integration (prod)', sessionPrivileges: `setrole:${roleId},widget:1,enableentitlement,urirestrict:/api_v3/service/session/*,privacycontext:MEDIASPACE` });
    expect(upd.json()).not.toHaveProperty('token');
    expect(upd2.json()).toMatchObject({ sessionPrivileges: 'iprestrict:10.0.0.1,enableentitlement' });
    expect(upd2.json().expiry).toBeGreaterThan(Math.floor(Date.now() / 1000) + 7000);

    // A single flag edits the current privileges; "" removes one, --no-* drops a switch; "never" clears the expiry.
    const edit = await cli(['app-token', 'update', legacyId, '--no-entitlement', '--uri-restrict', '/api_v3/service/media/*', '--expiry', 'never', '--json']);
    expect(edit.code, edit.stderr).toBe(0);
    expect(edit.json()).toMatchObject({ sessionPrivileges: 'iprestrict:10.0.0.1,urirestrict:/api_v3/service/media/*', expiry: null });
  });

  it('app-token session: URL + partner id + token → a KS carrying the token\'s type, user and privileges', async () => {
    // The server's clock is a test clock; bring it to the wall clock the CLI reads ("in 11h 59m").
    t.clock.set(Date.now());
    // No admin secret anywhere: the holder of a token needs nothing else.
    const tokenEnv = cliEnv({ KALTURA_SERVICE_URL: t.url, KALTURA_PARTNER_ID: String(p.id) });
    const [json, plain, wrongHash] = await Promise.all([
      cli(['app-token', 'session', '--id', tokenId, '--token', tokenValue, '--json'], tokenEnv),
      cli(['app-token', 'session', '--id', tokenId, '--expiry', '1h'], { ...tokenEnv, KALTURA_APP_TOKEN: tokenValue }),
      cli(['app-token', 'session', '--id', tokenId, '--token', tokenValue, '--hash-type', 'SHA1'], tokenEnv),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const s = json.json();
    expect(Object.keys(s)).toEqual(['ks', 'partnerId', 'userId', 'expiry', 'sessionType', 'privileges']);
    expect(s).toMatchObject({ partnerId: p.id, userId: 'lms-bot', sessionType: 2 });
    expect(s.privileges).toBe(`sessionid:${tokenId},apptoken:${tokenId},setrole:${roleId},widget:1,enableentitlement,urirestrict:/api_v3/service/session/*,privacycontext:MEDIASPACE`);
    // The token's 12 h duration bounds the session.
    expect(s.expiry).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 43_200);
    minted = s.ks;
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.trim()).toMatch(/^[A-Za-z0-9+/=_-]{40,}$/);
    expect(plain.stdout.trim().split('\n')).toHaveLength(1);

    expect(wrongHash.code).toBe(1);
    expect(wrongHash.stderr).toMatch(/^error: INVALID_APP_TOKEN_HASH: Invalid application token hash: check the token value and --hash-type \(SHA1 used/);
    expect(wrongHash.stderr).not.toContain(tokenValue);

    const [check, checkJson] = await Promise.all([cli(['session', 'check', minted]), cli(['session', 'check', minted, '--json'])]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(new RegExp(`^partner\\s+${p.id}$`, 'm'));
    expect(check.stdout).toMatch(/^user\s+lms-bot$/m);
    expect(check.stdout).toMatch(/^type\s+ADMIN \(2\)$/m);
    expect(check.stdout).toMatch(new RegExp(`^privileges\\s+sessionid:${tokenId},apptoken:${tokenId},`, 'm'));
    expect(check.stdout).toMatch(/^expiry\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in 11h 59m\)$/m);
    expect(checkJson.json()).toEqual({ partnerId: p.id, userId: 'lms-bot', expiry: s.expiry, sessionType: 2, privileges: s.privileges });
  });

  it('the minted KS works within its restrictions, and dies when the token is revoked', async () => {
    const ok = await callWith(minted, 'session', 'get');
    expect(ok).toMatchObject({ objectType: 'KalturaSessionInfo', userId: 'lms-bot' });
    // urirestrict:/api_v3/service/session/* keeps it away from every other service.
    expect(await callWith(minted, 'user', 'list')).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'EXCEEDED_RESTRICTED_URI' } });

    const revoke = await cli(['app-token', 'revoke', tokenId, '--json']);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.json()).toEqual({ id: tokenId, revoked: true });
    expect(await callWith(minted, 'session', 'get')).toMatchObject({ code: 'INVALID_KS', args: { KSID: 'LOGOUT' } });

    const [gone, again, plainRevoke] = await Promise.all([
      cli(['app-token', 'get', tokenId]),
      cli(['app-token', 'session', '--id', tokenId, '--token', tokenValue]),
      cli(['app-token', 'revoke', legacyId]),
    ]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(`error: APP_TOKEN_ID_NOT_FOUND: Application token id "${tokenId}" not found\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: APP_TOKEN_ID_NOT_FOUND: /);
    expect(plainRevoke.stdout).toBe(`revoked ${legacyId}: the token is deleted and every session started from it has ended\n`);
  });

  it('usage errors exit 2 with a message naming the flag', async () => {
    const [expiry, hash, status, nothing, role] = await Promise.all([
      cli(['app-token', 'create', '--expiry', 'yesterday']),
      cli(['app-token', 'create', '--hash-type', 'CRC32']),
      cli(['app-token', 'list', '--status', 'deleted']),
      cli(['app-token', 'update', legacyId]),
      cli(['app-token', 'create', '--role', 'No Such Role']),
    ]);
    expect(expiry.code).toBe(2);
    expect(expiry.stderr).toMatch(/^error: USAGE: --expiry must be a unix time, a duration like 30d/);
    expect(hash.code).toBe(2);
    expect(hash.stderr).toMatch(/--hash-type must be one of MD5, SHA1, SHA256, SHA512/);
    expect(status.code).toBe(2);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to update/);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/^error: ROLE_NOT_FOUND: no role named "No Such Role"/);
  });

  it('never prints the admin secret, and token values only on create', () => {
    expect(runs.length).toBeGreaterThan(20);
    for (const r of runs) {
      expect(r.stdout + r.stderr).not.toContain(p.adminSecret);
      if (!/"token": "|^token /m.test(r.stdout)) expect(r.stdout + r.stderr).not.toContain(tokenValue);
    }
  });
});
