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
import { measure, newTotals, startServer, totalsRow, type HttpRow, type LoadOptions, type Server, type Totals } from './http.js';

export interface GatewayBenchResult {
  bare: HttpRow;
  apiKey: HttpRow;
  jwt: HttpRow;
  /** The same rotation as the large rows, on a server storing only the rotated credentials. */
  apiKeyPool: HttpRow;
  jwtPool: HttpRow;
  apiKeyLarge: HttpRow;
  jwtLarge: HttpRow;
  /** The floor (server-floor.ts `/floor/api`): the door's reads, digest and answer without its decision. */
  floor: HttpRow;
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

function slice(t: Target, connections: number, seconds: number, into?: Totals): Promise<void> {
  let i = 0;
  const requests = [{ method: 'GET' as const, setupRequest: (req: { headers?: Record<string, string> }) => ({ ...req, headers: t.headers[i++ % t.headers.length] }) }];
  return measure(t.server, { url: t.url, connections, duration: seconds, requests }, into);
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
    const floor = await startServer('gateway-floor', 'floor', 'server-floor', o.profileDir);
    servers.push(floor);
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

    const floorCheck = await fetch(`${floor.url}/floor/api`, { headers: byKey(s)[0] });
    if (floorCheck.status !== 200 || !floorCheck.headers.get('x-consumer-id')) throw new Error(`floor route /floor/api answered HTTP ${floorCheck.status}`);

    // bench/delivery.ts's bare GET route: an empty 200 with the headers unread.
    const targets: Target[] = [
      { server: bare, url: `${bare.url}/authz/delivery`, headers: largeKeys },
      { server: small, url: `${small.url}/authz/api`, headers: byKey(s) },
      { server: small, url: `${small.url}/authz/api`, headers: byJwt(s) },
      { server: mid, url: `${mid.url}/authz/api`, headers: poolKeys },
      { server: mid, url: `${mid.url}/authz/api`, headers: poolJwts },
      { server: large, url: `${large.url}/authz/api`, headers: largeKeys },
      { server: large, url: `${large.url}/authz/api`, headers: largeJwts },
      { server: floor, url: `${floor.url}/floor/api`, headers: byKey(s) },
    ];
    for (const t of targets) await slice(t, o.connections, o.warmupSeconds);
    if (o.profileDir) for (const sv of servers) sv.startProfile();
    const totals = targets.map(newTotals);
    for (let k = 0; k < o.slices; k++) {
      for (let i = 0; i < targets.length; i++) await slice(targets[i] as Target, o.connections, o.measureSeconds / o.slices, totals[i]);
    }
    const t = totals as [Totals, Totals, Totals, Totals, Totals, Totals, Totals, Totals];
    return {
      bare: totalsRow('bare Fastify GET route', t[0]),
      apiKey: totalsRow('/authz/api, API key', t[1]),
      jwt: totalsRow('/authz/api, consumer JWT', t[2]),
      apiKeyPool: totalsRow(`… ${poolKeys.length.toLocaleString('en-US')} keys, ${o.pool.toLocaleString('en-US')} stored`, t[3]),
      jwtPool: totalsRow(`… ${poolJwts.length.toLocaleString('en-US')} JWTs, ${o.pool.toLocaleString('en-US')} stored`, t[4]),
      apiKeyLarge: totalsRow(`… ${largeKeys.length.toLocaleString('en-US')} keys, ${o.seed.toLocaleString('en-US')} stored`, t[5]),
      jwtLarge: totalsRow(`… ${largeJwts.length.toLocaleString('en-US')} JWTs, ${o.seed.toLocaleString('en-US')} stored`, t[6]),
      floor: totalsRow('floor: read, digest, answer', t[7]),
      seeded: o.seed,
      pool: largeKeys.length,
    };
  } finally {
    for (const sv of servers) await sv.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
