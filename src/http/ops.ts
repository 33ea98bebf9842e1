/**
 * Operations endpoints (DESIGN.md "Operations"): liveness, readiness and Prometheus metrics, plus
 * the per-request HTTP metrics. Registered on the root instance, so the hook sees every route.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';

export interface ReadinessReport {
  ok: boolean;
  /** One entry per dependency: `true`, `false`, or a short state such as `"pending migrations"`. */
  checks: Record<string, boolean | string>;
}

export interface OpsDeps {
  /** Whether this node can serve traffic (database reachable, migrations applied, geo DB loaded). */
  ready: () => Promise<ReadinessReport>;
  registry: Registry;
}

/** Label for requests that matched no route (404s), so random URLs cannot create new series. */
export const UNMATCHED_ROUTE = '<unmatched>';

/** Latency buckets in seconds: an auth decision should take a few milliseconds. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Registers prom-client's process and Node.js metrics on `registry` unless already there. */
function ensureDefaultMetrics(registry: Registry): void {
  // Asking the registry (not a module-level flag) keeps this right for any number of registries
  // and for a registry someone else already filled.
  if (registry.getSingleMetric('process_cpu_user_seconds_total') === undefined) {
    collectDefaultMetrics({ register: registry });
  }
}

/** A new registry with the default process/Node.js metrics collected once. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  ensureDefaultMetrics(registry);
  return registry;
}

/** Returns the registry's metric of that name, creating it on first use (one registry may serve several apps). */
function metric<M>(registry: Registry, name: string, create: () => M): M {
  return (registry.getSingleMetric(name) as M | undefined) ?? create();
}

/**
 * Adds `GET /healthz`, `GET /readyz`, `GET /metrics` and the HTTP request metrics
 * (`gatehouse_http_requests_total{method,route,status}`, `gatehouse_http_request_duration_seconds{method,route}`)
 * to `app`. Call it on the root instance before `app.ready()`.
 */
export function registerOps(app: FastifyInstance, deps: OpsDeps): void {
  const { registry } = deps;
  ensureDefaultMetrics(registry);

  const requests = metric(registry, 'gatehouse_http_requests_total', () => new Counter({
    name: 'gatehouse_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  }));
  const duration = metric(registry, 'gatehouse_http_request_duration_seconds', () => new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  }));

  // Labelled children are looked up once per (method, route, status): `labels()` hashes its
  // arguments on every call, which showed up in the hot path's profile. Bounded by the route table.
  const children = new Map<string, { count: { inc(): void }; time: { observe(v: number): void } }>();
  // A callback hook, not an async one: an async hook costs a promise and a microtask per request.
  app.addHook('onResponse', (request, reply, done) => {
    // The route PATTERN (`/p/:partnerId/...`), never the raw URL: raw URLs carry ids and KS strings,
    // and every distinct value would become a new time series.
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const key = `${request.method} ${reply.statusCode} ${route}`;
    let child = children.get(key);
    if (!child) {
      child = { count: requests.labels(request.method, route, String(reply.statusCode)), time: duration.labels(request.method, route) };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(reply.elapsedTime / 1000);
    done();
  });

  // Probes and scrapes arrive every few seconds; log them only when something goes wrong.
  const quiet = { logLevel: 'warn' as const };

  app.get('/healthz', quiet, async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  app.get('/readyz', quiet, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    let report: ReadinessReport;
    try {
      report = await deps.ready();
    } catch (err) {
      // A throwing check is "not ready", not a 500; the detail goes to the log, not to the prober.
      request.log.warn({ err }, 'readiness check failed');
      report = { ok: false, checks: { ready: 'check failed' } };
    }
    reply.code(report.ok ? 200 : 503);
    return { status: report.ok ? 'ready' : 'unavailable', checks: report.checks };
  });

  app.get('/metrics', quiet, async (_request, reply) => {
    const body = await registry.metrics();
    reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
    return body;
  });
}
