/**
 * Operations endpoints (DESIGN.md "Operations"): liveness, readiness and Prometheus metrics, plus
 * the per-request HTTP metrics. Registered on the root instance, so the hook sees every route.
 */
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { RequestRecorder } from './raw-routes.js';
import { RequestHistogram, type HistogramSeries } from './request-histogram.js';

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

/** Observations batched per labelled child before they are handed to prom-client. */
const BATCH = 256;

interface Pending {
  count: { inc(n: number): void };
  time: HistogramSeries;
  /** Requests finished since the last flush. */
  n: number;
}

/** Per registry, the flush of every app registered on it (dropped with the registry). */
const flushersByRegistry = new WeakMap<Registry, Set<() => void>>();
function flushersOf(registry: Registry): Set<() => void> {
  let set = flushersByRegistry.get(registry);
  if (!set) {
    set = new Set();
    flushersByRegistry.set(registry, set);
  }
  return set;
}

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
 * to `app`. Call it on the root instance before `app.ready()`. Returns the recorder that counts
 * requests answered outside Fastify's lifecycle (raw-routes.ts) into the same series.
 */
export function registerOps(app: FastifyInstance, deps: OpsDeps): RequestRecorder {
  const { registry } = deps;
  ensureDefaultMetrics(registry);

  // Scrapes first fold in what the request hook has batched (see below), in every app using the registry.
  const flushAll = () => {
    for (const flush of flushersOf(registry)) flush();
  };
  const requests = metric(registry, 'gatehouse_http_requests_total', () => new Counter({
    name: 'gatehouse_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
    collect: flushAll,
  }));
  // Observed on every request, so kept in typed arrays rather than by prom-client (request-histogram.ts).
  const duration = metric(registry, 'gatehouse_http_request_duration_seconds', () => new RequestHistogram(
    'gatehouse_http_request_duration_seconds',
    'Time from receiving a request to finishing its response, by method and route pattern.',
    ['method', 'route'],
    DURATION_BUCKETS,
    registry,
  ));

  /*
   * Per (method, status, route): the counter's labelled prom-client child, looked up once
   * (`labels()` hashes its arguments on every call), the duration series, and the requests not yet
   * counted. prom-client validates and hashes the labels again on every inc(); done per request
   * that cost microseconds under load. So the hook counts locally and hands the count over when it
   * reaches BATCH and before every scrape (the counter's collect), so a scrape always sees every
   * finished request, exactly. Bounded by the route table.
   */
  // By route pattern, then by status and method as one number: no key string is built per request.
  const children = new Map<string, Map<number, Pending>>();
  const methodSlots = new Map<string, number>();
  const flushChild = (c: Pending) => {
    const n = c.n;
    if (n === 0) return;
    c.n = 0; // first, so a throwing prom-client call cannot make a batch count twice
    c.count.inc(n);
  };
  const flushers = flushersOf(registry);
  const flushMine = () => children.forEach((byStatus) => byStatus.forEach(flushChild));
  flushers.add(flushMine);
  app.addHook('onClose', (_instance, done) => {
    // Hand over what is left, then stop being called: the registry may outlive this app.
    flushMine();
    flushers.delete(flushMine);
    done();
  });
  /** Counts one answered request (the hook below, and the raw routes of raw-routes.ts). */
  const record: RequestRecorder = (method, route, status, seconds) => {
    let byStatus = children.get(route);
    if (!byStatus) children.set(route, (byStatus = new Map()));
    let slot = methodSlots.get(method);
    // Node's parser knows a fixed list of methods, so the slots stay few.
    if (slot === undefined) methodSlots.set(method, (slot = methodSlots.size));
    const key = status * 1024 + slot;
    let child = byStatus.get(key);
    if (!child) {
      child = { count: requests.labels(method, route, String(status)), time: duration.series(method, route), n: 0 };
      byStatus.set(key, child);
    }
    child.time.observe(seconds);
    if (++child.n === BATCH) flushChild(child);
  };
  // A callback hook, not an async one: an async hook costs a promise and a microtask per request.
  app.addHook('onResponse', (request, reply, done) => {
    // The route PATTERN (`/p/:partnerId/...`), never the raw URL: raw URLs carry ids and KS strings,
    // and every distinct value would become a new time series.
    record(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
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
  return record;
}
