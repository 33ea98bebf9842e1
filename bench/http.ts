/**
 * session.get over HTTP at N connections against a real Gatehouse, and the same load against a
 * bare Fastify route, as a ratio measured in one run.
 *
 * Fairness: each server runs in its own child process, started the same way (plain node on the
 * compiled .js, or `node --import tsx` on the .ts with `--source`), while autocannon runs here in
 * the parent. On a 2-core machine that gives the server under test one core and the load generator
 * the other, and no shared event loop; in one process, autocannon's own work would be billed to
 * whichever server was slower. Both servers get the same path, headers and JSON body (the KS the
 * Gatehouse minted), and both have every response body compared with a checked sample
 * (`expectBody`), so the load generator spends the same per response. Both stay up for the whole
 * run and are loaded in alternating slices (bare, Gatehouse, bare, …), so other work on a shared
 * machine weighs on both alike; the server's own CPU time per slice (from /proc) shows how much of
 * a core it actually had.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { processCpuMs, selfCpuMs } from './cpu.js';
import { assertSessionInfo, isAppTokenSession, provisionAppTokenSession, provisionSession, SESSION_GET_PATH, type BenchSession } from './provision.js';

const START_SESSION_PATH = '/api_v3/service/apptoken/action/startSession';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
/** Compiled (bench/run.ts built us with tsc): run the servers' .js with plain node; else via tsx. */
const COMPILED = import.meta.url.endsWith('.js');

export interface LoadOptions {
  connections: number;
  warmupSeconds: number;
  measureSeconds: number;
  /** How many alternating slices the measured time of each server is cut into. */
  slices: number;
  /** When set, each server profiles its measured slices into `<dir>/<label>.cpuprofile`. */
  profileDir?: string;
}

export interface HttpRow {
  name: string;
  reqPerSec: number;
  /** Worst slice p99 (a conservative summary of several separate runs). */
  p99Ms: number;
  /** Request-weighted mean latency. */
  meanMs: number;
  total: number;
  non2xx: number;
  errors: number;
  mismatches: number;
  /** Server CPU time over wall time during its slices (1 = a full core). */
  serverCpuShare: number;
  /** Server CPU microseconds per request: its cost, whatever else ran on the machine. */
  cpuUsPerRequest: number;
  /** The load generator's (this process's) CPU share during the server's slices. */
  loaderCpuShare: number;
  /** Requests per second of each measured slice, in order (for pairedRatio). */
  sliceRates: number[];
}

export interface Server {
  label: string;
  name: string;
  url: string;
  pid: number;
  startProfile(): void;
  stop(): Promise<void>;
}

export async function startServer(label: string, name: string, script: string, profileDir: string | undefined, args: string[] = []): Promise<Server> {
  const file = path.join(BENCH_DIR, `${script}.${COMPILED ? 'js' : 'ts'}`);
  const profileFile = profileDir ? path.join(profileDir, `${label}.cpuprofile`) : undefined;
  const child = spawn(process.execPath, [...(COMPILED ? [] : ['--import', 'tsx']), file, ...args], {
    env: { ...process.env, GATEHOUSE_LOG_LEVEL: 'silent', ...(profileFile ? { BENCH_PROFILE_FILE: profileFile } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // A bench stopped half-way must not leave a server running.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${script} exited (code ${String(code)}) before it was listening`);
  });
  exited.catch(() => {}); // only raced below; after start-up, exiting is what stop() asks for
  const lines = createInterface({ input: child.stdout });
  const firstLine = once(lines, 'line').then(([line]) => JSON.parse(line as string) as { port: number });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s`)), 60_000);
  });
  try {
    const { port } = await Promise.race([firstLine, exited, timeout]);
    return {
      label,
      name,
      url: `http://127.0.0.1:${port}`,
      pid: child.pid as number,
      startProfile: () => child.kill('SIGUSR2'),
      stop: async () => {
        process.removeListener('exit', killOnExit);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await once(child, 'exit');
        }
        lines.close();
      },
    };
  } catch (e) {
    if (child.exitCode === null) child.kill('SIGTERM');
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

async function postText(url: string, body: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, text: await res.text() };
}

interface Target {
  server: Server;
  url: string;
  body: string;
  expectBody: string;
  /** Instead of `expectBody`, for answers that differ on every request. */
  verify?: (body: string) => boolean;
}

/** One server's measured slices, summed. */
export interface Totals {
  requests: number;
  seconds: number;
  latencyMsSum: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  mismatches: number;
  serverCpuMs: number;
  loaderCpuMs: number;
  sliceRates: number[];
}

export function newTotals(): Totals {
  return { requests: 0, seconds: 0, latencyMsSum: 0, p99Ms: 0, non2xx: 0, errors: 0, mismatches: 0, serverCpuMs: 0, loaderCpuMs: 0, sliceRates: [] };
}

/**
 * One autocannon run against `server`, added to `into` with the server's and this process's CPU
 * time (without `into`: a warm-up, nothing recorded). Every bench section measures through this.
 */
export async function measure(server: Server, opts: Parameters<typeof autocannon>[0], into?: Totals): Promise<void> {
  const serverCpu0 = processCpuMs(server.pid);
  const loaderCpu0 = selfCpuMs();
  const r = await autocannon(opts);
  if (!into) return;
  into.requests += r.requests.total;
  into.seconds += r.duration;
  into.latencyMsSum += r.latency.mean * r.requests.total;
  into.p99Ms = Math.max(into.p99Ms, r.latency.p99);
  into.non2xx += r.non2xx;
  into.errors += r.errors + r.timeouts;
  into.mismatches += r.mismatches;
  into.serverCpuMs += processCpuMs(server.pid) - serverCpu0;
  into.loaderCpuMs += selfCpuMs() - loaderCpu0;
  into.sliceRates.push(r.requests.total / r.duration);
}

export function totalsRow(name: string, t: Totals): HttpRow {
  return {
    name,
    reqPerSec: t.requests / t.seconds,
    p99Ms: t.p99Ms,
    meanMs: t.latencyMsSum / t.requests,
    total: t.requests,
    non2xx: t.non2xx,
    errors: t.errors,
    mismatches: t.mismatches,
    serverCpuShare: t.serverCpuMs / (t.seconds * 1000),
    cpuUsPerRequest: (t.serverCpuMs * 1000) / t.requests,
    loaderCpuShare: t.loaderCpuMs / (t.seconds * 1000),
    sliceRates: [...t.sliceRates],
  };
}

/** A row's throughput against a reference row measured in the same rounds of slices. */
export interface PairedRatio {
  /** The median of the per-round ratios: the figure a verdict is given on. */
  median: number;
  min: number;
  max: number;
  /** Whole-run totals, row req/s over reference req/s. */
  overall: number;
}

/**
 * Throughput ratio of `row` to `ref`, round by round. The sections measure every row once per
 * round, one after the other, so a row and its reference in the same round ran seconds apart,
 * under the same conditions; a ratio per round cancels the machine's slow drift (±30% between
 * minutes on the bench VMs), and the median drops a round in which a disturbance hit only one
 * of the two. `overall` (the totals' ratio) is printed beside it.
 */
export function pairedRatio(row: HttpRow, ref: HttpRow): PairedRatio {
  const n = Math.min(row.sliceRates.length, ref.sliceRates.length);
  const ratios = Array.from({ length: n }, (_, k) => (row.sliceRates[k] as number) / (ref.sliceRates[k] as number)).sort((a, b) => a - b);
  const mid = Math.floor(n / 2);
  const median = n === 0 ? Number.NaN : n % 2 === 1 ? (ratios[mid] as number) : ((ratios[mid - 1] as number) + (ratios[mid] as number)) / 2;
  return { median, min: ratios[0] ?? Number.NaN, max: ratios[n - 1] ?? Number.NaN, overall: row.reqPerSec / ref.reqPerSec };
}

function slice(t: Target, connections: number, seconds: number, into?: Totals): Promise<void> {
  return measure(t.server, { url: t.url, connections, duration: seconds, method: 'POST', headers: { 'content-type': 'application/json' }, body: t.body, ...(t.verify ? { verifyBody: t.verify } : { expectBody: t.expectBody }) }, into);
}

export interface HttpResult {
  bare: HttpRow;
  gatehouse: HttpRow;
  /** appToken.startSession (issue 3): widget KS + SHA-256 proof, a fresh KS per answer. */
  startSession: HttpRow;
  /** Only with `plumbing`: the bare route plus Gatehouse's logger and metrics hook. */
  plumbing?: HttpRow;
  session: BenchSession;
}

export async function runHttp(o: LoadOptions & { plumbing?: boolean }): Promise<HttpResult> {
  const servers: Server[] = [];
  try {
    const gh = await startServer('gatehouse', 'Gatehouse session.get', 'server-gatehouse', o.profileDir);
    servers.push(gh);
    const bare = await startServer('bare', 'bare Fastify route', 'server-bare', o.profileDir);
    servers.push(bare);
    const plumbing = o.plumbing ? await startServer('plumbing', 'bare + logger + metrics', 'server-bare', o.profileDir, ['plumbing']) : undefined;
    if (plumbing) servers.push(plumbing);

    const session = await provisionSession(async (p, b) => (await postText(gh.url + p, b)).text);
    const ghSample = await postText(gh.url + SESSION_GET_PATH, session.body);
    if (ghSample.status !== 200) throw new Error(`session.get answered HTTP ${ghSample.status}`);
    assertSessionInfo(ghSample.text, session);
    const bareSample = await postText(bare.url + SESSION_GET_PATH, session.body);
    if (bareSample.status !== 200) throw new Error(`bare route answered HTTP ${bareSample.status}: ${bareSample.text}`);

    const app = await provisionAppTokenSession(async (p, b) => (await postText(gh.url + p, b)).text, session);
    const verifyMinted = (body: string) => isAppTokenSession(body, app.tokenId);
    const mintedSample = await postText(gh.url + START_SESSION_PATH, app.body);
    if (!verifyMinted(mintedSample.text)) throw new Error(`appToken.startSession did not mint a session: ${mintedSample.text.slice(0, 300)}`);

    const targets: Target[] = [
      { server: bare, url: bare.url + SESSION_GET_PATH, body: session.body, expectBody: bareSample.text },
      { server: gh, url: gh.url + SESSION_GET_PATH, body: session.body, expectBody: ghSample.text },
      { server: gh, url: gh.url + START_SESSION_PATH, body: app.body, expectBody: '', verify: verifyMinted },
    ];
    // Same answer as the bare route: the plumbing does not change the body.
    if (plumbing) targets.push({ server: plumbing, url: plumbing.url + SESSION_GET_PATH, body: session.body, expectBody: bareSample.text });
    for (const t of targets) await slice(t, o.connections, o.warmupSeconds);
    if (o.profileDir) {
      for (const s of servers) s.startProfile();
      await sleep(200);
    }
    const totals = targets.map(newTotals);
    for (let s = 0; s < o.slices; s++) {
      for (let i = 0; i < targets.length; i++) await slice(targets[i] as Target, o.connections, o.measureSeconds / o.slices, totals[i]);
    }
    // Still the same success after the run: the KS did not expire or get limited on the way.
    assertSessionInfo((await postText(gh.url + SESSION_GET_PATH, session.body)).text, session);
    return {
      bare: totalsRow(bare.name, totals[0] as Totals),
      gatehouse: totalsRow(gh.name, totals[1] as Totals),
      startSession: totalsRow('Gatehouse appToken.startSession', totals[2] as Totals),
      ...(plumbing ? { plumbing: totalsRow(plumbing.name, totals[3] as Totals) } : {}),
      session,
    };
  } finally {
    for (const s of servers) await s.stop();
  }
}
