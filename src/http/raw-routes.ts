/**
 * The forward-auth endpoints (`/authz/delivery`, `/authz/api`) and the delivery URLs, answered on
 * Node's HTTP layer ahead of Fastify's router.
 *
 * Why: a proxy asks these once per viewer request (nginx `auth_request` runs for every HLS
 * segment), so they are the only routes whose per-request cost is the product's throughput.
 * Measured on the bench machine (bench/_variants), the same synchronous decision answered through a
 * Fastify route cost 40 µs of server CPU per request and 28 µs answered here, against 22 µs for a
 * bare Fastify route: Fastify's request/reply objects, hooks and reply pipeline are a fixed cost
 * larger than the decision itself. These handlers need none of that: they read headers only (no
 * body, no content-type parsing, no schema), and answer with a status, a few headers and at most a
 * small JSON body.
 *
 * One implementation, two ways in: each handler is also registered as a Fastify route that hands
 * the raw request and response over (`reply.hijack()`), so `app.inject` (the tests), a request
 * this matcher leaves alone, and a server shutting down all reach the very same code. What Fastify
 * would have done around it is done here: request metrics (the `record` hook, same labels as
 * ops.ts), a fault answer when a handler throws, and Fastify's 503 while closing.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyServerFactory, HTTPMethods } from 'fastify';

/**
 * Answers one request on the raw objects: done when it returns, or when its promise settles (a
 * cache miss awaits the database).
 */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Answers a handler's fault (a broken database) in the door's own shape; logs it. */
export type RawFault = (err: unknown, req: IncomingMessage, res: ServerResponse) => void;

/** `gatehouse_http_requests_total` / `_duration_seconds` for a request answered here. */
export type RequestRecorder = (method: string, route: string, status: number, seconds: number) => void;

interface RawRoute {
  path: string;
  methods: ReadonlySet<string>;
  handler: RawHandler;
  fault: RawFault;
  /** Fastify's route patterns, the metrics' labels: the path itself and `<path>/*`. */
  label: string;
  below: string;
}

export interface RawRouteOptions {
  /** The path answered itself, with a query, and every path below it (`<path>/...`). */
  path: string;
  methods: readonly HTTPMethods[];
  handler: RawHandler;
  fault: RawFault;
}

export class RawRoutes {
  private readonly routes: RawRoute[] = [];
  private record: RequestRecorder | undefined;
  private closing = false;

  /**
   * Serves `o.path`: here for requests off the socket, and as a Fastify route (`<path>` and
   * `<path>/*`, hijacked) on `scope` for everything else.
   */
  route(scope: FastifyInstance, o: RawRouteOptions): void {
    const route: RawRoute = { path: o.path, methods: new Set(o.methods), handler: o.handler, fault: o.fault, label: o.path, below: `${o.path}/*` };
    this.routes.push(route);
    // Fastify counts these itself (ops.ts's onResponse hook runs for hijacked replies too).
    const viaFastify = (req: { raw: IncomingMessage }, reply: { hijack(): void; raw: ServerResponse }) => {
      reply.hijack();
      run(route, req.raw, reply.raw, undefined, '', 0);
    };
    scope.route({ method: [...o.methods], url: o.path, handler: viaFastify });
    scope.route({ method: [...o.methods], url: `${o.path}/*`, handler: viaFastify });
  }

  /** Where requests answered here are counted (ops.ts); until set, they are not. */
  recordWith(record: RequestRecorder): void {
    this.record = record;
  }

  /** From now on every request goes to Fastify, which answers 503 while it closes. */
  close(): void {
    this.closing = true;
  }

  /** Fastify's `serverFactory`: a plain HTTP/1.1 server set up as Fastify sets up its own. */
  serverFactory(): FastifyServerFactory {
    return (fastifyHandler, fastifyOptions) => {
      // Fastify has filled in its defaults by the time it calls the factory.
      const options = fastifyOptions as { http?: http.ServerOptions; keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number; maxRequestsPerSocket?: number };
      const server = http.createServer(options.http ?? {}, (req, res) => {
        const route = this.closing ? undefined : this.match(req);
        if (route === undefined) fastifyHandler(req, res);
        else run(route, req, res, this.record, labelOf(route, req.url as string), this.record ? performance.now() : 0);
      });
      if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
      if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
      if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout);
      if (options.maxRequestsPerSocket) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
      return server;
    };
  }

  /** The route for this request, or undefined (Fastify routes it). */
  private match(req: IncomingMessage): RawRoute | undefined {
    const url = req.url ?? '';
    for (const route of this.routes) {
      const p = route.path;
      if (!url.startsWith(p) || !route.methods.has(req.method ?? '')) continue;
      const next = url.length === p.length ? -1 : url.charCodeAt(p.length);
      if (next === -1 || next === 63 /* ? */ || next === 47 /* / */) return route;
    }
    return undefined;
  }
}

/** The Fastify route pattern this URL would have matched: `<path>` (with a query) or `<path>/*`. */
function labelOf(route: RawRoute, url: string): string {
  return url.length === route.path.length || url.charCodeAt(route.path.length) === 63 /* ? */ ? route.label : route.below;
}

/**
 * Runs a handler to its end: counted (when `record` is given) once it has answered, its faults
 * answered by the door. Nothing is allocated for a handler that answers at once.
 */
function run(route: RawRoute, req: IncomingMessage, res: ServerResponse, record: RequestRecorder | undefined, label: string, start: number): void {
  let out: void | Promise<void>;
  try {
    out = route.handler(req, res);
  } catch (err) {
    failed(route, req, res, err);
    out = undefined;
  }
  if (out === undefined) {
    if (record) record(req.method as string, label, res.statusCode, (performance.now() - start) / 1000);
    return;
  }
  out.then(
    () => record?.(req.method as string, label, res.statusCode, (performance.now() - start) / 1000),
    (err: unknown) => {
      failed(route, req, res, err);
      record?.(req.method as string, label, res.statusCode, (performance.now() - start) / 1000);
    },
  );
}

function failed(route: RawRoute, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  try {
    route.fault(err, req, res);
  } catch {
    // The door's fault answer failed too: still never leave a proxy waiting.
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    if (!res.writableEnded) res.end('Internal Server Error');
  }
}
