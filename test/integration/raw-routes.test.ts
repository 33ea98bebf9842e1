import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { RawRoutes } from '../../src/http/raw-routes.js';
import { createMetricsRegistry, registerOps } from '../../src/http/ops.js';

/**
 * The raw-route layer on a real socket: requests for a raw route are answered ahead of Fastify,
 * everything else (and `inject`) goes through Fastify to the same handler, and both count into the
 * same request metrics.
 */
interface Harness {
  app: FastifyInstance;
  url: string;
  metrics: () => Promise<string>;
  calls: string[];
  /** URLs that went through Fastify's lifecycle (its onRequest hook saw them). */
  fastifySaw: string[];
  raw: RawRoutes;
}

let current: FastifyInstance | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function start(): Promise<Harness> {
  const raw = new RawRoutes();
  const app = Fastify({ serverFactory: raw.serverFactory() });
  current = app;
  const registry = createMetricsRegistry();
  raw.recordWith(registerOps(app, { registry, ready: async () => ({ ok: true, checks: {} }) }));
  app.addHook('preClose', (done) => {
    raw.close();
    done();
  });
  const calls: string[] = [];
  const fastifySaw: string[] = [];
  app.addHook('onRequest', (req, _reply, done) => {
    fastifySaw.push(req.url);
    done();
  });
  raw.route(app, {
    path: '/authz/check',
    methods: ['GET', 'HEAD', 'POST'],
    handler: (req, res) => {
      calls.push(req.url ?? '');
      if (req.url?.includes('fail=sync')) throw new Error('sync fault');
      if (req.url?.includes('wait=1')) {
        return new Promise<void>((resolve, reject) =>
          setTimeout(() => {
            if (req.url?.includes('fail=async')) return reject(new Error('async fault'));
            res.writeHead(204, { 'x-later': 'yes' }).end();
            resolve();
          }, 5),
        );
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'x-via': 'handler' }).end('ok');
    },
    fault: (_err, _req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"door":"fault"}');
    },
  });
  app.get('/authz/checkpoint', async () => 'fastify route');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, metrics: () => registry.metrics(), calls, fastifySaw, raw };
}

describe('raw routes', () => {
  it('answers the path, its query form and the paths below it; leaves look-alike paths to Fastify', async () => {
    const h = await start();
    for (const p of ['/authz/check', '/authz/check?x=1', '/authz/check/p/1/entryId/0_a']) {
      const res = await fetch(h.url + p);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-via')).toBe('handler');
      expect(await res.text()).toBe('ok');
    }
    const other = await fetch(`${h.url}/authz/checkpoint`);
    expect(await other.text()).toBe('fastify route');
    expect(h.calls).toEqual(['/authz/check', '/authz/check?x=1', '/authz/check/p/1/entryId/0_a']);
    expect(h.fastifySaw).toEqual(['/authz/checkpoint']);
    // A method the route does not take goes to Fastify, which has no such route.
    expect((await fetch(`${h.url}/authz/check`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers HEAD without a body and POST without reading it', async () => {
    const h = await start();
    const head = await fetch(`${h.url}/authz/check`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${h.url}/authz/check`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(post.status).toBe(200);
    // The unread body was discarded: the keep-alive connection still serves the next request.
    expect((await fetch(`${h.url}/authz/check`)).status).toBe(200);
  });

  it('gives inject (Fastify) the same handler and answer', async () => {
    const h = await start();
    const res = await h.app.inject({ url: '/authz/check/below?q=1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-via']).toBe('handler');
    expect(res.body).toBe('ok');
    expect(h.calls).toEqual(['/authz/check/below?q=1']);
    expect(h.fastifySaw).toEqual(['/authz/check/below?q=1']);
  });

  it("answers a handler's synchronous and asynchronous faults in the door's shape", async () => {
    const h = await start();
    for (const p of ['/authz/check?fail=sync', '/authz/check?wait=1&fail=async']) {
      const res = await fetch(h.url + p);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('{"door":"fault"}');
    }
    const later = await fetch(`${h.url}/authz/check?wait=1`);
    expect(later.status).toBe(204);
    expect(later.headers.get('x-later')).toBe('yes');
  });

  it('counts requests answered on either way in under the Fastify route patterns', async () => {
    const h = await start();
    await fetch(`${h.url}/authz/check`);
    await fetch(`${h.url}/authz/check?x=1`);
    await fetch(`${h.url}/authz/check/deeper`);
    await fetch(`${h.url}/authz/check?wait=1`);
    await fetch(`${h.url}/authz/check?fail=sync`);
    await h.app.inject({ url: '/authz/check/deeper' });
    const text = await h.metrics();
    expect(text).toMatch(/gatehouse_http_requests_total\{method="GET",route="\/authz\/check",status="200"\} 2\n/);
    expect(text).toMatch(/gatehouse_http_requests_total\{method="GET",route="\/authz\/check\/\*",status="200"\} 2\n/);
    expect(text).toMatch(/gatehouse_http_requests_total\{method="GET",route="\/authz\/check",status="204"\} 1\n/);
    expect(text).toMatch(/gatehouse_http_requests_total\{method="GET",route="\/authz\/check",status="500"\} 1\n/);
    expect(text).toMatch(/gatehouse_http_request_duration_seconds_count\{method="GET",route="\/authz\/check"\} 4\n/);
  });

  it('hands requests to Fastify once closing starts (Fastify then answers 503 while it closes)', async () => {
    const h = await start();
    await fetch(`${h.url}/authz/check?before`);
    h.raw.close();
    const res = await fetch(`${h.url}/authz/check?after`);
    expect(res.status).toBe(200);
    expect(h.calls).toEqual(['/authz/check?before', '/authz/check?after']);
    expect(h.fastifySaw).toEqual(['/authz/check?after']);
  });
});
