/**
 * Two Gatehouse processes (`src/main.ts`, as an operator runs them) on one PostgreSQL of their own,
 * under traffic through every door, while every backend is killed with `pg_terminate_backend` and
 * while the server is restarted. What must hold (issue 15, point 6): no process exits; a request
 * that needed the database meanwhile gets its door's clean "unavailable" answer (Kaltura: HTTP 200
 * with a SERVICE_UNAVAILABLE exception; REST, consumer and forward-auth: 503) and nothing else, no
 * other 5xx; `/readyz` says 503 while the server is down; both nodes serve every door again within
 * 5 s of the server being back, and the change feed reaches the other node after the reconnect.
 *
 * Its own server, not the run's shared one: that one is not ours to restart.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, createService, grant, sunbird, sunbirdToken } from '../support/consumer.js';
import { DIALECTS } from '../support/dialects.js';
import { adminKs, kaltura, registerPartner, run, type TestGatehouse, type TestPartner } from '../support/gatehouse.js';
import { startNode, type Node } from '../support/nodes.js';
import { postgresAvailable, startPostgres, type PostgresServer } from '../support/postgres.js';
import { adminToken } from '../support/rest.js';

/** Every node must serve every door again within this of the server accepting connections. */
const BACK_WITHIN_MS = 5_000;

type Outcome = 'ok' | 'unavailable';
interface Answer {
  status: number;
  type: string;
  retryAfter: string | null;
  body: any;
}

/** One request kind: how to send it and how to read its answer (an Error for anything unclean). */
interface Kind {
  name: string;
  /** Sends the request over HTTP, judged by `judge`... */
  send?(node: Node): Promise<Response>;
  judge?(a: Answer): Outcome | Error;
  /** ...or through a client library that judges its own result. */
  call?(node: Node): Promise<Outcome | Error>;
}

const bad = (a: Answer) => new Error(`${a.status} ${a.type} ${JSON.stringify(a.body)}`);

/** Kaltura door: always HTTP 200; a failure is an exception object, and only SERVICE_UNAVAILABLE is clean. */
function kalturaJudge(ok: (body: any) => boolean) {
  return (a: Answer): Outcome | Error => {
    if (a.status !== 200) return bad(a);
    if (a.body?.objectType === 'KalturaAPIException') return a.body.code === 'SERVICE_UNAVAILABLE' ? 'unavailable' : bad(a);
    return ok(a.body) ? 'ok' : bad(a);
  };
}
/** REST door: problem+json 503 with Retry-After. */
function restJudge(okStatus: number) {
  return (a: Answer): Outcome | Error => {
    if (a.status === okStatus) return 'ok';
    const clean = a.status === 503 && a.type.startsWith('application/problem+json') && a.body?.code === 'SERVICE_UNAVAILABLE' && a.retryAfter !== null;
    return clean ? 'unavailable' : bad(a);
  };
}
/** Forward-auth doors: their usual answer, or 503; never a 200 where a refusal was due, never a 500. */
function forwardJudge(okStatus: number) {
  return (a: Answer): Outcome | Error => (a.status === okStatus ? 'ok' : a.status === 503 ? 'unavailable' : bad(a));
}

/** The official client without its log of every request (hundreds under this traffic). */
function quietClient(serviceUrl: string, ks: string): any {
  const config = new kaltura.Configuration();
  config.serviceUrl = serviceUrl;
  const silent = () => undefined;
  config.setLogger({ log: silent, error: silent, debug: silent });
  const c = new kaltura.Client(config);
  c.setKs(ks);
  return c;
}

interface World {
  p: TestPartner;
  ks: string;
  token: string;
  consumerJwt: string;
}

function kinds(w: World): Kind[] {
  const form = (node: Node, action: string, params: Record<string, string>) =>
    fetch(`${node.url}/api_v3/service/${action}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...params, format: '1' }) });
  const json = (node: Node, method: string, p: string, o: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${node.url}${p}`, {
      method,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
      ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
    });
  const unique = () => randomBytes(6).toString('hex');
  return [
    {
      // The official client: a failure reaches the application as the exception object.
      name: 'kaltura-client user.list',
      call: async (n) => {
        try {
          const list = await run(quietClient(n.url, w.ks), kaltura.services.user.listAction());
          return Array.isArray(list?.objects) ? 'ok' : new Error(`unexpected ${JSON.stringify(list)}`);
        } catch (e) {
          const ex = e as { objectType?: string; code?: string; message?: string };
          if (ex?.objectType === 'KalturaAPIException' && ex.code === 'SERVICE_UNAVAILABLE') return 'unavailable';
          return new Error(`client: ${ex?.objectType ?? ''} ${ex?.code ?? ''} ${ex?.message ?? String(e)}`);
        }
      },
    },
    { name: 'kaltura user.list', send: (n) => form(n, 'user/action/list', { ks: w.ks }), judge: kalturaJudge((b) => b?.objectType === 'KalturaUserListResponse') },
    {
      name: 'kaltura user.loginByLoginId',
      send: (n) => form(n, 'user/action/loginByLoginId', { loginId: w.p.adminEmail, password: w.p.password, partnerId: String(w.p.id) }),
      judge: kalturaJudge((b) => typeof b === 'string'),
    },
    { name: 'REST GET /api/users', send: (n) => json(n, 'GET', '/api/users', { token: w.token }), judge: restJudge(200) },
    {
      name: 'REST POST /api/auth/access-token',
      send: (n) => json(n, 'POST', '/api/auth/access-token', { body: { username: w.p.adminEmail, password: w.p.password, partnerId: w.p.id } }),
      judge: restJudge(200),
    },
    {
      name: 'consumer read',
      send: (n) => json(n, 'POST', '/v1/consumer/steady/read', { token: w.token, body: { id: 'x', ver: '1.0', params: { msgid: 'm' }, request: {} } }),
      judge: (a) => {
        if (a.status === 200 && a.body?.params?.status === 'successful') return 'ok';
        const clean = a.status === 503 && a.body?.params?.status === 'failed' && a.body.params.err === 'SERVICE_UNAVAILABLE' && a.retryAfter !== null;
        return clean ? 'unavailable' : bad(a);
      },
    },
    // A known consumer: decided from memory once cached, so it keeps working during the outage.
    { name: '/authz/api known', send: (n) => json(n, 'GET', '/authz/api', { token: w.consumerJwt, headers: { 'x-original-uri': '/api/x' } }), judge: forwardJudge(200) },
    // A credential never seen: a database read every time.
    { name: '/authz/api unknown', send: (n) => json(n, 'GET', '/authz/api', { token: sunbirdToken(`nobody-${unique()}`, 'x'), headers: { 'x-original-uri': '/api/x' } }), judge: forwardJudge(401) },
    {
      name: '/authz/delivery unknown entry',
      send: (n) => json(n, 'GET', '/authz/delivery', { headers: { 'x-original-uri': `/p/${w.p.id}/sp/${w.p.id}00/playManifest/entryId/0_${unique()}/format/url/protocol/https/a.mp4` } }),
      judge: forwardJudge(403),
    },
  ];
}

async function ask(node: Node, kind: Kind): Promise<Outcome | Error> {
  if (kind.call) return kind.call(node);
  let res: Response;
  try {
    res = await kind.send!(node);
  } catch (e) {
    return new Error(`no answer (${(e as Error).message}); the process ${node.exit ? `exited ${JSON.stringify(node.exit)}` : 'runs'}`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: judged as text
  }
  return kind.judge!({ status: res.status, type: res.headers.get('content-type') ?? '', retryAfter: res.headers.get('retry-after'), body });
}

describe.skipIf(!DIALECTS.includes('postgres') || !postgresAvailable())('PostgreSQL restart and terminated backends under traffic from two nodes [postgres]', () => {
  let server: PostgresServer;
  let dbName: string;
  let admin: () => Promise<pg.Client>;
  const nodes: Node[] = [];
  let w: World;
  let all: Kind[];

  beforeAll(async () => {
    server = await startPostgres();
    dbName = 'gh_restart';
    const url = await server.createDatabase(dbName);
    admin = async () => {
      const c = new pg.Client({ connectionString: server.url('postgres') });
      await c.connect();
      return c;
    };
    const masterKey = randomBytes(32).toString('base64');
    // One after the other: the first applies the migrations and creates the operator.
    nodes.push(await startNode('a', url, masterKey));
    nodes.push(await startNode('b', url, masterKey));
    const a = { url: nodes[0]!.url } as TestGatehouse;
    const p = await registerPartner(a);
    const token = await adminToken(a, p);
    await createService(a, token, { name: 'API', routePrefix: '/api', allowedGroups: ['apps'] });
    const c = await createConsumer(a, token, 'steady');
    await grant(a, token, 'steady', ['apps']);
    w = { p, ks: await adminKs(a, p), token, consumerJwt: sunbirdToken(c.key, c.secret) };
    all = kinds(w);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(
      nodes.map(async (n) => {
        if (!n.exit) {
          const exited = new Promise((r) => n.child.once('exit', r));
          n.child.kill('SIGTERM');
          await exited;
        }
        rmSync(n.dir, { recursive: true, force: true });
      }),
    );
    await server?.stop();
  });

  /** Sends every kind to the node once; the first unclean answer throws. */
  async function round(node: Node): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const k of all) {
      const o = await ask(node, k);
      if (o instanceof Error) throw new Error(`node ${node.name}, ${k.name}: ${o.message}`);
      outcomes.push(o);
    }
    return outcomes;
  }

  /** Polls until a whole round succeeds on the node; how long that took. */
  async function untilServing(node: Node, withinMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      if ((await round(node)).every((o) => o === 'ok')) return Date.now() - started;
      if (Date.now() - started > withinMs) throw new Error(`node ${node.name} still not serving after ${withinMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Background traffic: `perNode` loops per node over every kind until stopped. */
  function traffic(perNode = 3) {
    let stop = false;
    const counts = new Map<string, Record<Outcome, number>>(nodes.map((n) => [n.name, { ok: 0, unavailable: 0 }]));
    const unclean: string[] = [];
    const loops = nodes.flatMap((node) =>
      Array.from({ length: perNode }, async (_, i) => {
        for (let j = i; !stop; j++) {
          const k = all[j % all.length]!;
          const o = await ask(node, k);
          if (o instanceof Error) unclean.push(`node ${node.name}, ${k.name}: ${o.message}`);
          else counts.get(node.name)![o]++;
        }
      }),
    );
    return {
      counts,
      unclean,
      unavailable: () => Math.min(...[...counts.values()].map((c) => c.unavailable)),
      /** Answers so far, unclean ones included. */
      answered: () => unclean.length + [...counts.values()].reduce((s, c) => s + c.ok + c.unavailable, 0),
      stop: async () => {
        stop = true;
        await Promise.all(loops);
      },
    };
  }

  async function terminateAll(): Promise<number> {
    const c = await admin();
    try {
      const { rows } = await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [dbName]);
      return rows.length;
    } finally {
      await c.end();
    }
  }

  /** LISTEN connections on our database (one per node once reconnected). */
  async function listeners(): Promise<number> {
    const c = await admin();
    try {
      const { rows } = await c.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = $1 and query like 'LISTEN %'`, [dbName]);
      return rows[0]!.n;
    } finally {
      await c.end();
    }
  }

  function expectAlive(): void {
    for (const n of nodes) {
      expect(n.exit, `node ${n.name} exited; its output:\n${n.out()}`).toBeUndefined();
      expect(n.out()).not.toMatch(/uncaught|unhandled/i);
    }
  }

  it('every node serves every door before any fault', async () => {
    for (const n of nodes) expect(await untilServing(n, 2_000)).toBeLessThan(2_000);
    expect(await listeners()).toBe(2);
  });

  it('pg_terminate_backend on every connection (checked out ones with requests in flight, idle ones, LISTEN), five times', async () => {
    const t = traffic();
    try {
      for (let i = 0; i < 5; i++) {
        // Let requests be in flight on fresh connections, then kill them all.
        const before = t.answered();
        while (t.answered() < before + 20) {
          expectAlive();
          await new Promise((r) => setTimeout(r, 10));
        }
        expect(await terminateAll()).toBeGreaterThan(0);
      }
      for (const n of nodes) expect(await untilServing(n, BACK_WITHIN_MS)).toBeLessThan(BACK_WITHIN_MS);
    } finally {
      await t.stop();
    }
    expect(t.unclean).toEqual([]);
    expectAlive();
    for (const [name, c] of t.counts) expect(c.ok, `node ${name}`).toBeGreaterThan(0);
    expect(nodes[0]!.out() + nodes[1]!.out()).toContain('database connection lost');
  });

  it('a restart: clean 503s and not-ready meanwhile, both nodes serving within 5 s, the change feed read again', async () => {
    const t = traffic();
    let backAt: number;
    try {
      await server.halt('fast');
      // Down: readiness says so, and every door gives its clean answer (checked one by one, so
      // each shape is seen even if the traffic happened to miss one).
      for (const n of nodes) {
        const r = await fetch(`${n.url}/readyz`);
        expect(r.status).toBe(503);
        expect(((await r.json()) as { checks: { database: unknown } }).checks.database).toBe(false);
        const outcomes = await round(n);
        // The known consumer is decided from memory; every other kind needed the database.
        expect(outcomes.filter((o) => o === 'ok').length).toBeLessThanOrEqual(1);
      }
      // Keep the server down until the traffic has met the outage on both nodes.
      while (t.unavailable() < 20) {
        expectAlive();
        expect(t.unclean).toEqual([]);
        await new Promise((r) => setTimeout(r, 20));
      }
      await server.resume();
      backAt = Date.now();
      const took = await Promise.all(nodes.map((n) => untilServing(n, BACK_WITHIN_MS)));
      for (const ms of took) expect(ms).toBeLessThan(BACK_WITHIN_MS);
      for (const n of nodes) expect((await fetch(`${n.url}/readyz`)).status).toBe(200);
    } finally {
      await t.stop();
    }
    expect(t.unclean).toEqual([]);
    expectAlive();

    // The other node sees a change made after the restart (the poll, or LISTEN once back)...
    const a = { url: nodes[0]!.url } as TestGatehouse;
    expect((await sunbird(a, 'steady/delete', {}, { token: w.token })).status).toBe(200);
    const known = all.find((k) => k.name === '/authz/api known')!;
    const refusedOnB = Date.now();
    for (;;) {
      const r = await known.send!(nodes[1]!);
      if (r.status === 401) break;
      expect(r.status).toBe(200);
      expect(Date.now() - refusedOnB).toBeLessThan(2_000);
      await new Promise((res) => setTimeout(res, 25));
    }
    // ...and both LISTEN connections are back (backoff at most 5 s after the server returned).
    while ((await listeners()) < 2) {
      expect(Date.now() - backAt).toBeLessThan(8_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    expectAlive();
  });
});
