/**
 * Issue 19's figure: `/authz/api` for a self-registered device of `mobile_device` on a partner with
 * 471 services (the size of Sunbird's kong-api list) and 100,000 device credentials, as a ratio to
 * the same request on a partner with 10 services and 10 device credentials (target ≥ 0.9).
 *
 * In-process (Fastify inject, SQLite), both Gatehouses in this process, rounds alternating which
 * goes first; each round sends `batch` requests per server, rotating through devices' tokens. The
 * figure sends both servers the same traffic: 10 devices in rotation (on the large server, 10 of
 * its active devices spread over its table), so it shows what 100,000 stored devices and 471
 * services cost one request. Beside it, the large server rotating through all `active` devices
 * (each verified once before measuring, as the first minutes of traffic would warm the caches):
 * a 100× larger working set, which costs CPU caches whatever is stored (reported, no target). Every answer
 * must be a 200 granted as `mobile_device`. Devices are written in bulk in the repository's column
 * formats (100,000 registrations through the door would take minutes and write as many audit
 * rows); the load's first pass sends each active device through the real lookups, so a drifted
 * format would fail the bench, not flatter it.
 *
 * Standalone: `npx tsx bench/device-gateway.ts [devices] [rounds]` (e.g. `1000 5` to try it).
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Insertable } from 'kysely';
import { loadConfig } from '../src/config/index.js';
import { SecretBox } from '../src/core/crypto/secret-box.js';
import { createGatehouse, type Gatehouse } from '../src/gatehouse.js';
import { openStore, type Store } from '../src/store/index.js';
import type { ConsumerCredentialsTable } from '../src/store/schema.js';
import { BENCH_ADMIN_EMAIL, BENCH_ADMIN_PASSWORD } from './provision.js';

export interface DeviceGatewayRow {
  devices: number;
  routes: number;
  active: number;
  rounds: number;
  /** Requests per second, median over the rounds. */
  smallPerSec: number;
  largePerSec: number;
  /** Median over the rounds of (large req/s / small req/s), each pair back to back. */
  ratio: number;
  ratioRange: [number, number];
  /** The large server rotating through all `active` devices (a 100× larger working set), and its ratio to the small one. */
  widePerSec: number;
  wideRatio: number;
}

/** Sunbird's kong-api areas; 471 prefixes are drawn from them like its route list. */
const AREAS = ['content', 'course', 'user', 'org', 'framework', 'data', 'dialcode', 'learner', 'assessment', 'composite', 'notification', 'channel', 'badge', 'group', 'discussion', 'report'];
const ACTIONS = ['read', 'create', 'update', 'search', 'list', 'publish', 'review', 'retire', 'upload', 'hierarchy', 'assign', 'link', 'export', 'status', 'batch', 'enrol', 'consumption', 'feed', 'profile', 'type'];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function sunbirdToken(key: string, secret: string): string {
  const input = `${Buffer.from('{"typ":"JWT","alg":"HS256"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: key })).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

interface Server {
  gh: Gatehouse;
  store: Store;
  dir: string;
  tokens: string[];
  uri: string;
}

async function startServer(routes: number, devices: number, active: number): Promise<Server> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-bench-devices-'));
  const config = loadConfig({ env: { GATEHOUSE_DATA_DIR: dir, GATEHOUSE_ADMIN_EMAIL: BENCH_ADMIN_EMAIL, GATEHOUSE_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD, GATEHOUSE_LOG_LEVEL: 'silent' } });
  const store = openStore({ sqlitePath: path.join(dir, 'gatehouse.sqlite') });
  const masterKey = randomBytes(32);
  const gh = await createGatehouse({ config, store, masterKey, logger: false });
  const call = async <T>(url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}, method: 'POST' | 'PATCH' = 'POST'): Promise<T> => {
    const res = await gh.app.inject({ method, url, payload, headers });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
    return res.json() as T;
  };
  const admin = { email: 'bench-devices-admin@uni.test', password: 'correct-Horse-battery-9' };
  const operatorKs = await call<string>('/api_v3/service/user/action/loginByLoginId', { loginId: BENCH_ADMIN_EMAIL, password: BENCH_ADMIN_PASSWORD, partnerId: -2, format: 1 });
  const partner = await call<{ id: number }>('/api_v3/service/partner/action/register', {
    ks: operatorKs,
    format: 1,
    partner: { objectType: 'KalturaPartner', name: 'Bench Devices', adminName: 'Bench Admin', adminEmail: admin.email, description: 'bench' },
    cmsPassword: admin.password,
  });
  const token = (await call<{ data: { access_token: string } }>('/api/auth/access-token', { username: admin.email, password: admin.password, partnerId: partner.id })).data.access_token;
  const bearer = { authorization: `Bearer ${token}` };

  // The services: distinct Sunbird-like prefixes, each open to one or two of a few groups.
  const prefixes: string[] = [];
  for (let i = 0; prefixes.length < routes; i++) {
    const p = `/api/${AREAS[i % AREAS.length]}/v${1 + (Math.floor(i / AREAS.length) % 3)}/${ACTIONS[Math.floor(i / (AREAS.length * 3)) % ACTIONS.length]}${i >= AREAS.length * 3 * ACTIONS.length ? `/${i}` : ''}`;
    if (!prefixes.includes(p)) prefixes.push(p);
  }
  for (const [i, routePrefix] of prefixes.entries()) await call('/api/services', { name: `svc-${i}`, routePrefix, allowedGroups: i % 2 ? ['contentAccess'] : ['contentAccess', 'userAccess'] }, bearer);
  await call('/v1/consumer/create', { request: { username: 'mobile_device' } }, bearer);
  await call('/v1/consumer/mobile_device/grant', { request: { groups: ['contentAccess'] } }, bearer);
  await call('/api/consumers/mobile_device', { registrationGroup: 'deviceRegister' }, bearer, 'PATCH');
  const consumerId = (await store.db.selectFrom('consumers').select('id').where('username', '=', 'mobile_device').executeTakeFirstOrThrow()).id;

  const box = new SecretBox(masterKey);
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  const BATCH = 500;
  for (let from = 0; from < devices; from += BATCH) {
    const rows: Insertable<ConsumerCredentialsTable>[] = [];
    for (let i = from; i < Math.min(devices, from + BATCH); i++) {
      const id = randomUUID();
      const key = `device-${randomBytes(8).toString('hex')}`;
      const secret = randomBytes(16).toString('hex');
      rows.push({ id, partner_id: partner.id, consumer_id: consumerId, key, algorithm: 'HS256', secret_enc: box.seal(secret, `consumer_credential:${id}:secret`), public_key: null, created_at: now, deprecated_at: null, expires_at: null, replaced_by: null, kind: 'device', private_key_enc: null });
      // The active devices are spread over the whole table, not its first rows.
      if (i % Math.max(1, Math.floor(devices / active)) === 0 && tokens.length < active) tokens.push(sunbirdToken(key, secret));
    }
    await store.db.insertInto('consumer_credentials').values(rows).execute();
  }
  // A route from the middle of the table.
  return { gh, store, dir, tokens, uri: `${prefixes[Math.floor(prefixes.length / 2)]}/do_2137?fields=name` };
}

async function burst(s: Server, n: number, offset: number, tokens: readonly string[] = s.tokens): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const res = await s.gh.app.inject({ method: 'GET', url: '/authz/api', headers: { 'x-original-uri': s.uri, 'x-original-method': 'GET', authorization: `Bearer ${tokens[(offset + i) % tokens.length]}` } });
    if (res.statusCode !== 200 || res.headers['x-consumer-username'] !== 'mobile_device') throw new Error(`/authz/api refused a bench device: HTTP ${res.statusCode} ${res.body}`);
  }
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

export async function runDeviceGatewayBench(o: { devices: number; rounds: number; routes?: number; active?: number; batch?: number }): Promise<DeviceGatewayRow> {
  const routes = o.routes ?? 471;
  const active = Math.min(o.active ?? 1000, o.devices);
  const batch = o.batch ?? 2000;
  const small = await startServer(10, 10, 10);
  const large = await startServer(routes, o.devices, active);
  try {
    // Every active device verified once (the caches warm as in the first minutes of traffic).
    await burst(small, small.tokens.length, 0);
    await burst(large, large.tokens.length, 0);
    await burst(small, batch, 0);
    await burst(large, batch, 0);
    // The figure sends the same traffic to both (10 devices in rotation: on the large server, 10 of
    // its active devices spread over the table), so it shows what storing 100,000 devices and 471
    // services costs a request; the wide rotation (every active device) is reported beside it: a
    // working set 100 times larger, which costs CPU caches whatever is stored.
    const same = large.tokens.filter((_, i) => i % Math.max(1, Math.floor(large.tokens.length / small.tokens.length)) === 0).slice(0, small.tokens.length);
    const rates = { small: [] as number[], large: [] as number[], wide: [] as number[] };
    const ratios: number[] = [];
    const wideRatios: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      // Alternate which goes first, so neither always runs on a warmer machine.
      const runs = [() => burst(small, batch, r * batch), () => burst(large, batch, r * batch, same), () => burst(large, batch, r * batch)];
      const order = r % 2 ? [2, 1, 0] : [0, 1, 2];
      const got: number[] = [0, 0, 0];
      for (const i of order) got[i] = await (runs[i] as () => Promise<number>)();
      rates.small.push(got[0]!);
      rates.large.push(got[1]!);
      rates.wide.push(got[2]!);
      ratios.push(got[1]! / got[0]!);
      wideRatios.push(got[2]! / got[0]!);
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!;
    return { devices: o.devices, routes, active, rounds: o.rounds, smallPerSec: median(rates.small), largePerSec: median(rates.large), ratio: median(ratios), ratioRange: [q(0.25), q(0.75)], widePerSec: median(rates.wide), wideRatio: median(wideRatios) };
  } finally {
    for (const s of [small, large]) {
      await s.gh.close();
      await s.store.close();
      rmSync(s.dir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const devices = Number(process.argv[2] ?? 100_000);
  const rounds = Number(process.argv[3] ?? 20);
  const r = await runDeviceGatewayBench({ devices, rounds });
  console.log(
    `/authz/api, device of mobile_device: ${r.routes} services + ${r.devices.toLocaleString("en-US")} device credentials, the same 10 devices in rotation: ${Math.round(r.largePerSec)} req/s vs 10 + 10 ${Math.round(r.smallPerSec)} req/s; paired ratio ${r.ratio.toFixed(2)} (middle half ${r.ratioRange[0].toFixed(2)}–${r.ratioRange[1].toFixed(2)}) (target ≥ 0.9); rotating ${r.active} active devices: ${Math.round(r.widePerSec)} req/s, ${r.wideRatio.toFixed(2)}×`,
  );
}
