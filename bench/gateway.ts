/**
 * Issue 5's gateway figures: `/authz/api` requests per second at N connections, as nginx's
 * auth_request asks (GET, `X-Original-URI` / `X-Original-Method`, the client's credential), with an
 * API key and with a Sunbird consumer JWT (HS256 `{"iss": key}`), each as a ratio to a bare Fastify
 * GET route, with p99 latency; then the same with 100,000 API keys and 100,000 consumer
 * credentials stored, the load rotating through `pool` distinct stored credentials so the caches
 * hold thousands of entries and every credential's first use reads the big tables.
 *
 * Set-up as http.ts and delivery.ts do it: servers in child processes, autocannon here, alternating
 * slices, the server's own CPU per request. Every target, the bare route included, builds its
 * request through autocannon's `setupRequest` (rotating through its credential list, of length 1
 * for the small server), so the load generator does the same work for every row. Every answer
 * must be a 200: a refused credential would be a fast 401, not the figure we want.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { processCpuMs, selfCpuMs } from './cpu.js';
import { startServer, type HttpRow, type LoadOptions, type Server } from './http.js';

export interface GatewayBenchResult {
  bare: HttpRow;
  apiKey: HttpRow;
  jwt: HttpRow;
  /** The same rotation as the large rows, on a server storing only the rotated credentials. */
  apiKeyPool: HttpRow;
  jwtPool: HttpRow;
  apiKeyLarge: HttpRow;
  jwtLarge: HttpRow;
  seeded: number;
  pool: number;
}

interface Credentials {
  partnerId: number;
  prefix: string;
  apiKeys: string[];
  tokens: string[];
}

interface Target {
  server: Server;
  url: string;
  headers: Array<Record<string, string>>;
}

interface Totals {
  requests: number;
  seconds: number;
  latencyMsSum: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  serverCpuMs: number;
  loaderCpuMs: number;
}

async function slice(t: Target, connections: number, seconds: number, into?: Totals): Promise<void> {
  const serverCpu0 = processCpuMs(t.server.pid);
  const loaderCpu0 = selfCpuMs();
  let i = 0;
  const r = await autocannon({
    url: t.url,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, headers: t.headers[i++ % t.headers.length] }) }],
  });
  if (!into) return;
  into.requests += r.requests.total;
  into.seconds += r.duration;
  into.latencyMsSum += r.latency.mean * r.requests.total;
  into.p99Ms = Math.max(into.p99Ms, r.latency.p99);
  into.non2xx += r.non2xx;
  into.errors += r.errors + r.timeouts;
  into.serverCpuMs += processCpuMs(t.server.pid) - serverCpu0;
  into.loaderCpuMs += selfCpuMs() - loaderCpu0;
}

function row(name: string, t: Totals): HttpRow {
  return {
    name,
    reqPerSec: t.requests / t.seconds,
    p99Ms: t.p99Ms,
    meanMs: t.latencyMsSum / t.requests,
    total: t.requests,
    non2xx: t.non2xx,
    errors: t.errors,
    mismatches: 0,
    serverCpuShare: t.serverCpuMs / (t.seconds * 1000),
    cpuUsPerRequest: (t.serverCpuMs * 1000) / t.requests,
    loaderCpuShare: t.loaderCpuMs / (t.seconds * 1000),
  };
}

const CONCURRENT_CHECKS = 50;
const asked = (uri: string) => ({ 'x-original-uri': uri, 'x-original-method': 'GET' });

export async function runGatewayBench(o: LoadOptions & { seed: number; pool: number }): Promise<GatewayBenchResult> {
  const servers: Server[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'gh-bench-gateway-out-'));
  try {
    const smallFile = path.join(dir, 'small.json');
    const largeFile = path.join(dir, 'large.json');
    const small = await startServer('gateway', 'Gatehouse /authz/api', 'server-gateway', o.profileDir, [`out=${smallFile}`]);
    servers.push(small);
    const large = await startServer('gateway-large', 'Gatehouse /authz/api, large', 'server-gateway', o.profileDir, [`out=${largeFile}`, `seed=${o.seed}`, `pool=${o.pool}`]);
    servers.push(large);
    // "Within 10%" is about how many credentials are STORED: compare the large server with one
    // storing only the `pool` credentials both rotate through, so the working set (caches, CPU
    // caches) is the same and only the table size differs.
    const poolFile = path.join(dir, 'pool.json');
    const mid = await startServer('gateway-pool', 'Gatehouse /authz/api, pool only', 'server-gateway', o.profileDir, [`out=${poolFile}`, `seed=${o.pool}`, `pool=${o.pool}`]);
    servers.push(mid);
    const bare = await startServer('gateway-bare', 'bare Fastify GET route', 'server-bare', o.profileDir);
    servers.push(bare);
    const s = JSON.parse(readFileSync(smallFile, 'utf8')) as Credentials;
    const l = JSON.parse(readFileSync(largeFile, 'utf8')) as Credentials;
    const uri = `${s.prefix}/content/read/do_2137?fields=name,appIcon`;
    const byKey = (c: Credentials) => c.apiKeys.map((key) => ({ ...asked(uri), 'x-api-key': key }));
    const byJwt = (c: Credentials) => c.tokens.map((jwt) => ({ ...asked(uri), authorization: `Bearer ${jwt}` }));
    const largeKeys = byKey(l).slice(1);
    const largeJwts = byJwt(l).slice(1);
    const m = JSON.parse(readFileSync(poolFile, 'utf8')) as Credentials;
    const poolKeys = byKey(m).slice(1);
    const poolJwts = byJwt(m).slice(1);

    // Every credential must be a full, allowed decision; check each one once (this also warms the
    // caches the way the first minutes of traffic would).
    const check = async (server: Server, headers: Record<string, string>) => {
      const res = await fetch(`${server.url}/authz/api`, { headers });
      if (res.status !== 200 || !res.headers.get('x-consumer-id')) throw new Error(`/authz/api refused a bench credential: HTTP ${res.status} ${await res.text()}`);
    };
    for (const [server, list] of [[small, [...byKey(s), ...byJwt(s)]], [mid, [...poolKeys, ...poolJwts]], [large, [...largeKeys, ...largeJwts]]] as const) {
      for (let i = 0; i < list.length; i += CONCURRENT_CHECKS) await Promise.all(list.slice(i, i + CONCURRENT_CHECKS).map((h) => check(server, h)));
    }

    // bench/delivery.ts's bare GET route: an empty 200 with the headers unread.
    const targets: Target[] = [
      { server: bare, url: `${bare.url}/authz/delivery`, headers: largeKeys },
      { server: small, url: `${small.url}/authz/api`, headers: byKey(s) },
      { server: small, url: `${small.url}/authz/api`, headers: byJwt(s) },
      { server: mid, url: `${mid.url}/authz/api`, headers: poolKeys },
      { server: mid, url: `${mid.url}/authz/api`, headers: poolJwts },
      { server: large, url: `${large.url}/authz/api`, headers: largeKeys },
      { server: large, url: `${large.url}/authz/api`, headers: largeJwts },
    ];
    for (const t of targets) await slice(t, o.connections, o.warmupSeconds);
    if (o.profileDir) for (const sv of servers) sv.startProfile();
    const totals = targets.map((): Totals => ({ requests: 0, seconds: 0, latencyMsSum: 0, p99Ms: 0, non2xx: 0, errors: 0, serverCpuMs: 0, loaderCpuMs: 0 }));
    for (let k = 0; k < o.slices; k++) {
      for (let i = 0; i < targets.length; i++) await slice(targets[i] as Target, o.connections, o.measureSeconds / o.slices, totals[i]);
    }
    const t = totals as [Totals, Totals, Totals, Totals, Totals, Totals, Totals];
    return {
      bare: row('bare Fastify GET route', t[0]),
      apiKey: row('/authz/api, API key', t[1]),
      jwt: row('/authz/api, consumer JWT', t[2]),
      apiKeyPool: row(`… ${poolKeys.length.toLocaleString('en-US')} keys, ${o.pool.toLocaleString('en-US')} stored`, t[3]),
      jwtPool: row(`… ${poolJwts.length.toLocaleString('en-US')} JWTs, ${o.pool.toLocaleString('en-US')} stored`, t[4]),
      apiKeyLarge: row(`… ${largeKeys.length.toLocaleString('en-US')} keys, ${o.seed.toLocaleString('en-US')} stored`, t[5]),
      jwtLarge: row(`… ${largeJwts.length.toLocaleString('en-US')} JWTs, ${o.seed.toLocaleString('en-US')} stored`, t[6]),
      seeded: o.seed,
      pool: largeKeys.length,
    };
  } finally {
    for (const sv of servers) await sv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
