/**
 * First start and restarts (bootstrap), the operations endpoints, and the audit log of mutations
 * and authentication attempts, on every dialect.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.js';
import { DIALECTS, freshDatabaseUrl } from '../../support/dialects.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  client,
  failure,
  kaltura,
  operatorKs,
  registerPartner,
  run,
  startGatehouse,
  type Dialect,
  type TestGatehouse,
} from '../../support/gatehouse.js';

const TABLES = ['partners', 'user_roles', 'users', 'login_data', 'access_control_profiles', 'widgets'] as const;

async function counts(t: TestGatehouse): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const r = await t.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(r.n);
  }
  return out;
}

/** What `opts.share` needs to point a Gatehouse at a database nobody has started on yet. */
async function emptyDatabase(dialect: Dialect, label: string): Promise<{ share: TestGatehouse; cleanup: () => void }> {
  const dir = mkdtempSync(path.join(tmpdir(), `gh-${label}-`));
  const share = {
    databaseUrl: dialect === 'postgres' ? await freshDatabaseUrl(label) : undefined,
    sqlitePath: dialect === 'sqlite' ? path.join(dir, 'gatehouse.sqlite') : undefined,
    clock: new ManualClock(Date.now()),
    masterKey: randomBytes(32),
  } as unknown as TestGatehouse;
  return { share, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

for (const dialect of DIALECTS) {
  describe(`bootstrap and operations [${dialect}]`, () => {
    let t: TestGatehouse;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'bootstrap');
    });
    afterAll(() => t?.close());

    it('the first start creates the system partners and the operator login', async () => {
      expect(t.gh.bootstrap.created).toBe(true);
      const partners = await t.store.db.selectFrom('partners').select(['id', 'status']).orderBy('id').execute();
      expect(partners).toEqual([-2, -1, 0, 99].map((id) => ({ id, status: 1 })));
      const login = await t.store.db.selectFrom('login_data').selectAll().where('login_key', '=', ADMIN_EMAIL.toLowerCase()).executeTakeFirstOrThrow();
      expect(login.password_hash.startsWith('$argon2id$')).toBe(true);
      const operator = await t.store.db.selectFrom('users').selectAll().where('login_data_id', '=', login.id).execute();
      expect(operator).toHaveLength(1);
      expect(operator[0]).toMatchObject({ partner_id: -2, puser_id: ADMIN_EMAIL, is_admin: 1 });
      // Template roles live in 99, global ones in 0; the template has a default access-control profile.
      const roles = await t.store.db.selectFrom('user_roles').select(['partner_id', 'system_name']).execute();
      expect(roles.filter((r) => r.partner_id === 0).map((r) => r.system_name)).toEqual(expect.arrayContaining(['PARTNER_ADMIN_ROLE', 'BASE_USER_SESSION_ROLE', 'WIDGET_SESSION_ROLE']));
      expect(roles.filter((r) => r.partner_id === 99).map((r) => r.system_name)).toEqual(expect.arrayContaining(['MANAGER', 'CONTENT_UPLOADER']));
      const template = await t.store.db.selectFrom('partners').select('default_access_control_id').where('id', '=', 99).executeTakeFirstOrThrow();
      expect(template.default_access_control_id).toBeGreaterThan(0);
      // The operator logs into the admin console with an ADMIN KS.
      const ks = await operatorKs(t);
      expect(await run(client(t, ks), kaltura.services.session.get())).toMatchObject({ partnerId: '-2', sessionType: '2', userId: ADMIN_EMAIL });
    });

    it('a second node on the same database creates, duplicates and resets nothing', async () => {
      await registerPartner(t, 'Before Restart');
      const before = await counts(t);
      const second = await startGatehouse(dialect, 'bootstrap-node2', { share: t, env: { GATEHOUSE_ADMIN_PASSWORD: 'another-Password-9', GATEHOUSE_ADMIN_EMAIL: 'someone-else@gatehouse.test' } });
      try {
        expect(second.gh.bootstrap.created).toBe(false);
        expect(second.gh.bootstrap.generatedPassword).toBeUndefined();
        expect(await counts(t)).toEqual(before);
        // The stored operator password was not reset by the second node's configuration.
        expect(await run<string>(client(second), kaltura.services.user.loginByLoginId(ADMIN_EMAIL, ADMIN_PASSWORD, -2))).toMatch(/^djJ8/);
        expect(await failure(client(second), kaltura.services.user.loginByLoginId(ADMIN_EMAIL, 'another-Password-9', -2))).toMatchObject({ code: 'USER_WRONG_PASSWORD' });
        expect(await failure(client(second), kaltura.services.user.loginByLoginId('someone-else@gatehouse.test', 'another-Password-9', -2))).toMatchObject({ code: 'USER_WRONG_PASSWORD' });
      } finally {
        await second.close();
      }
      expect(await counts(t)).toEqual(before);
    });

    // Several nodes share one database only on PostgreSQL (DESIGN.md "Storage and scale").
    it.runIf(dialect === 'postgres')('two nodes bootstrapping one empty database at once create one set', async () => {
      const { share, cleanup } = await emptyDatabase(dialect, 'bootstrap-race');
      const nodes = await Promise.all([startGatehouse(dialect, 'race-a', { share }), startGatehouse(dialect, 'race-b', { share })]);
      try {
        expect(nodes.map((n) => n.gh.bootstrap.created).sort()).toEqual([false, true]);
        expect((await counts(nodes[0]!)).partners).toBe(4);
        const logins = await nodes[0]!.store.db.selectFrom('login_data').select('id').execute();
        expect(logins).toHaveLength(1);
        for (const n of nodes) expect(await operatorKs(n)).toMatch(/^djJ8/);
      } finally {
        for (const n of nodes) await n.close();
        cleanup();
      }
    });

    it('/healthz, /readyz and /metrics', async () => {
      const health = await fetch(`${t.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${t.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true, geoip: expect.stringMatching(/^loaded \(/) } });
      await fetch(`${t.url}/api_v3/service/session/action/get`, { method: 'POST' });
      const metrics = await fetch(`${t.url}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toContain('# TYPE gatehouse_http_requests_total counter');
      expect(text).toMatch(/gatehouse_http_requests_total\{method="POST",route="\/api_v3\/\*",status="200"\} [1-9]/);
      expect(text).not.toContain('/api_v3/service/session');
    });
  });

  describe(`audit log [${dialect}]`, () => {
    let t: TestGatehouse;
    beforeAll(async () => {
      t = await startGatehouse(dialect, 'audit');
    });
    afterAll(() => t?.close());

    it('records registrations, logins and session starts, with outcome and never a secret', async () => {
      t.clock.advance(1000);
      const at = t.clock.nowMs();
      const issued: string[] = [await operatorKs(t)];
      const p = await registerPartner(t, 'Audited Partner');
      const wrongPassword = 'wrong-Unique-Password-314';
      const wrongSecret = 'abcdef0123456789abcdef0123456789';
      issued.push(await run<string>(client(t), kaltura.services.user.loginByLoginId(p.adminEmail, p.password, p.id)));
      await failure(client(t), kaltura.services.user.loginByLoginId(p.adminEmail, wrongPassword, p.id));
      issued.push(await run<string>(client(t), kaltura.services.session.start(p.adminSecret, 'audited-user', 2, p.id)));
      await failure(client(t), kaltura.services.session.start(wrongSecret, 'intruder', 2, p.id));

      const rows = await t.store.db.selectFrom('audit_log').selectAll().where('at_ms', '>=', at).orderBy('id').execute();
      const find = (action: string, outcome: string) => rows.filter((r) => r.action === action && r.outcome === outcome);
      const expectRow = (action: string, outcome: string, partnerId: number, actor: string, times = 1) => {
        const hit = find(action, outcome).filter((r) => r.partner_id === partnerId && r.actor === actor);
        expect(hit, `${action} ${outcome} ${actor}`).toHaveLength(times);
        expect(Number(hit[0]!.at_ms)).toBe(at);
        expect(hit[0]!.client_ip).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
        return hit[0]!;
      };
      expect(expectRow('partner.register', 'success', p.id, ADMIN_EMAIL).target).toBe(String(p.id));
      expectRow('user.loginByLoginId', 'success', -2, ADMIN_EMAIL, 2); // ours and registerPartner's
      expectRow('user.loginByLoginId', 'success', p.id, p.adminEmail);
      expectRow('user.loginByLoginId', 'failure', p.id, p.adminEmail);
      expectRow('session.start', 'success', p.id, 'audited-user');
      expectRow('session.start', 'failure', p.id, 'intruder');

      const all = JSON.stringify(await t.store.db.selectFrom('audit_log').selectAll().execute());
      for (const secret of [p.secret, p.adminSecret, p.password, wrongPassword, wrongSecret, ADMIN_PASSWORD, ...issued]) {
        expect(all.includes(secret), `audit_log holds ${secret.slice(0, 12)}…`).toBe(false);
      }
      expect(all).not.toContain('djJ8');
      expect(all).not.toContain('$argon2');
    });

    it('a login for an unknown identity and a start for an unknown partner are audited as failures', async () => {
      const before = await t.store.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
      await failure(client(t), kaltura.services.user.loginByLoginId('ghost@nowhere.test', 'ghost-Password-1'));
      await failure(client(t), kaltura.services.session.start('0'.repeat(32), 'ghost', 2));
      const rows = await t.store.db.selectFrom('audit_log').selectAll().where('id', '>', Number(before.id ?? 0)).execute();
      expect(rows.find((r) => r.action === 'user.loginByLoginId')).toMatchObject({ outcome: 'failure', actor: 'ghost@nowhere.test' });
      expect(rows.find((r) => r.action === 'session.start')).toMatchObject({ outcome: 'failure', actor: 'ghost' });
      expect(JSON.stringify(rows)).not.toContain('ghost-Password-1');
    });
  });
}
