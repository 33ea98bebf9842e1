/**
 * The HTTP shell every door is registered into: the Fastify instance with the raw fast path in
 * front of it, and the operational endpoints (/healthz, /readyz, /metrics).
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { GatehouseConfig } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { MmdbGeoLookup } from '../geo/mmdb.js';
import { answerConsumerFrameworkError } from '../http/doors/consumer/plugin.js';
import { answerGatewayFrameworkError } from '../http/doors/gateway/plugin.js';
import { answerKalturaFrameworkError } from '../http/doors/kaltura/plugin.js';
import { answerRestFrameworkError } from '../http/doors/rest/plugin.js';
import { loggerOptions } from '../http/logger.js';
import { createMetricsRegistry, registerOps } from '../http/ops.js';
import { RawRoutes } from '../http/raw-routes.js';
import { checkReady, type Store } from '../store/index.js';

export interface AppShell {
  app: FastifyInstance;
  raw: RawRoutes;
}

export function createApp(config: GatehouseConfig, clock: Clock, logger: boolean | Logger | undefined): AppShell {
  // The forward-auth endpoints and delivery URLs, answered ahead of Fastify's router (raw-routes.ts).
  const raw = new RawRoutes();
  const app = Fastify({
    serverFactory: raw.serverFactory(),
    // No logger at all when silenced: Fastify would still build a redacting child logger per request.
    // Fastify 5 takes a ready-made logger (tests capturing log lines) only as `loggerInstance`.
    ...(typeof logger === 'object'
      ? { loggerInstance: logger as FastifyBaseLogger }
      : { logger: logger === undefined ? (config.logLevel === 'silent' ? false : loggerOptions(config.logLevel)) : logger }),
    // Client addresses come from X-Forwarded-For only when the hop is a configured proxy.
    trustProxy: config.trustedProxies.length ? [...config.trustedProxies] : false,
    bodyLimit: config.bodyLimit,
    requestIdHeader: false,
    // Requests the router rejects (bad %-escapes in the path) are answered in the shape of the
    // door they were meant for.
    frameworkErrors: (err, req, reply) => {
      if (answerKalturaFrameworkError(req.url, reply)) return;
      if (answerRestFrameworkError(req.url, reply)) return;
      if (answerConsumerFrameworkError(req.url, reply, clock.nowMs())) return;
      if (answerGatewayFrameworkError(req.url, reply)) return;
      const status = typeof err.statusCode === 'number' ? err.statusCode : 400;
      void (reply as FastifyReply).code(status).send({ statusCode: status, error: 'Bad Request', message: err.message });
    },
  });
  return { app, raw };
}

/**
 * /healthz, /readyz and /metrics, and the request metrics of every route (Fastify's and the raw
 * fast path's). Registered before the doors, so the metrics hook covers their routes.
 */
export function wireOps(shell: AppShell, store: Store, geo: MmdbGeoLookup): { registry: Registry } {
  const { app, raw } = shell;
  const registry = createMetricsRegistry();
  const recordRequest = registerOps(app, {
    registry,
    ready: async () => {
      const r = await checkReady(store.db);
      // The country database is loaded at start-up (a bad GATEHOUSE_GEOIP_DB stops the server), so
      // this only says which one answers country conditions and how old it is.
      const g = geo.info;
      return { ok: r.database && r.migrations, checks: { ...r, geoip: `loaded (${g.databaseType ?? 'mmdb'}, built ${g.buildEpoch?.toISOString().slice(0, 10) ?? 'unknown'})` } };
    },
  });
  raw.recordWith(recordRequest);
  // Closing: new requests go through Fastify, which answers them 503.
  app.addHook('preClose', (done) => {
    raw.close();
    done();
  });
  return { registry };
}
