import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, registerOps } from '../../src/http/ops.js';
import type { ReadinessReport } from '../../src/http/ops.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function build(ready: () => Promise<ReadinessReport>) {
  const registry = createMetricsRegistry();
  const instance = Fastify();
  registerOps(instance, { ready, registry });
  instance.get('/p/:partnerId/thing', async () => ({ ok: true }));
  app = instance;
  return { app: instance, registry };
}

describe('ops endpoints', () => {
  it('GET /healthz answers 200 ok', async () => {
    const { app } = build(async () => ({ ok: true, checks: {} }));
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 with the checks when ready', async () => {
    const { app } = build(async () => ({ ok: true, checks: { database: true, migrations: true } }));
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true } });
  });

  it('GET /readyz answers 503 with the checks when not ready', async () => {
    const { app } = build(async () => ({ ok: false, checks: { database: true, migrations: 'pending: 2' } }));
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'unavailable', checks: { database: true, migrations: 'pending: 2' } });
  });

  it('GET /readyz answers 503 when the check itself throws, without leaking the error', async () => {
    const { app } = build(async () => {
      throw new Error('connect ECONNREFUSED secret-host:5432');
    });
    const res = await app.inject({ url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toContain('secret-host');
  });

  it('GET /metrics exposes request counters by route pattern, never by raw URL', async () => {
    const { app } = build(async () => ({ ok: true, checks: {} }));
    await app.inject({ url: '/p/123/thing?ks=abc' });
    await app.inject({ url: '/p/456/thing' });
    await app.inject({ url: '/nowhere/789' });
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.body;
    expect(text).toContain('gatehouse_http_requests_total{method="GET",route="/p/:partnerId/thing",status="200"} 2');
    expect(text).toContain('gatehouse_http_requests_total{method="GET",route="<unmatched>",status="404"} 1');
    expect(text).toMatch(/gatehouse_http_request_duration_seconds_count\{method="GET",route="\/p\/:partnerId\/thing"\} 2/);
    expect(text).toContain('process_cpu_user_seconds_total');
    // No label carries a raw path or query value (default process metrics may contain any digits).
    const labels = text.split('\n').filter((l) => l.startsWith('gatehouse_')).join('\n');
    expect(labels).not.toContain('123');
    expect(labels).not.toContain('789');
    expect(labels).not.toContain('abc');
  });

  it('shares one registry between apps without registering metrics twice', async () => {
    const registry = createMetricsRegistry();
    const a = Fastify();
    const b = Fastify();
    registerOps(a, { ready: async () => ({ ok: true, checks: {} }), registry });
    registerOps(b, { ready: async () => ({ ok: true, checks: {} }), registry });
    await a.inject({ url: '/healthz' });
    await b.inject({ url: '/healthz' });
    expect(await registry.metrics()).toContain('gatehouse_http_requests_total{method="GET",route="/healthz",status="200"} 2');
    await Promise.all([a.close(), b.close()]);
  });
});
