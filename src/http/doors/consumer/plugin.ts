/**
 * The consumer door, `/v1/consumer/...` (DESIGN.md door 3): Sunbird adminutil's consumer API with
 * its envelope in and out (./envelope.ts), over Gatehouse's consumers, which belong to a partner.
 * Unlike adminutil (which had to sit behind a firewall), every route authenticates: a partner
 * admin's access token or an API key with CONSUMER_MANAGE, or, for rotation, the consumer's own
 * deprecated credential. Bodies are read raw and parsed here, so an unparsable one is adminutil's
 * `BAD_REQUEST` in the envelope rather than the framework's error shape.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { E, fail, isGatehouseError } from '../../../core/errors/index.js';
import type { ConsumerDoorOptions, RouteDeps } from './deps.js';
import { failure, parseRequest, success, type Action } from './envelope.js';
import { consumerRoutes } from './routes/consumers.js';
import { credentialRoutes } from './routes/credentials.js';
import { registerV2Route } from './routes/register-v2.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The consumer door's action of a route: the envelope `id` of its answers, errors included. */
    consumerAction?: Action;
  }
  interface FastifyRequest {
    /** The request's `params.msgid`, once its body was parsed (echoed in errors too). */
    sunbirdMsgid: string | null;
  }
}

function actionOf(req: FastifyRequest): Action {
  return req.routeOptions.config?.consumerAction ?? 'unknown';
}

/** Register with `{ prefix: '/v1/consumer' }`, and with `{ prefix: '/v2/consumer', version: 2 }`. */
export async function consumerDoor(scope: FastifyInstance, opts: ConsumerDoorOptions): Promise<void> {
  scope.decorateRequest('consumerAdmin', null);
  scope.decorateRequest('consumerCredential', null);
  scope.decorateRequest('registrationCaller', null);
  scope.decorateRequest('sunbirdMsgid', null);
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req: FastifyRequest, body: Buffer, done: (err: null, body: Buffer) => void) => done(null, body));

  const sendFailure = (req: FastifyRequest, reply: FastifyReply, err: unknown) => {
    // Refused before the handler read the body (authentication): the msgid is still echoed.
    const msgid = req.sunbirdMsgid ?? (Buffer.isBuffer(req.body) ? parseRequest(req.body).msgid : null);
    const f = failure(actionOf(req), msgid, err, opts.clock.nowMs());
    // A fault is logged with its stack and answered with the generic INTERNAL_ERROR text only.
    if (f.fault) req.log.error({ err }, 'consumer door fault');
    if (f.status === 401) reply.header('www-authenticate', 'Bearer realm="gatehouse"');
    // The database is away (a restart, a failover): worth retrying in a few seconds.
    if (f.status === 503) reply.header('retry-after', '5');
    // Too many registrations from one caller (issue 19): when the window reopens.
    if (f.status === 429 && isGatehouseError(err) && err.args.RETRY_AFTER !== undefined) reply.header('retry-after', err.args.RETRY_AFTER);
    return reply.code(f.status).send(f.body);
  };
  scope.setErrorHandler((err, req, reply) => sendFailure(req, reply, err));
  scope.setNotFoundHandler((req, reply) => {
    // The path only: the query string may hold a key.
    const path = (req.url.split('?')[0] ?? '').slice(0, 200);
    return sendFailure(req, reply, fail(E.ROUTE_NOT_FOUND, { METHOD: req.method, PATH: path }));
  });

  const deps: RouteDeps = {
    consumers: opts.consumers,
    devices: opts.devices,
    guard: { callers: opts.callers, tokens: opts.tokens, apiKeyInQuery: opts.apiKeyInQuery },
    read: (req) => {
      const r = parseRequest(req.body as Buffer | undefined);
      req.sunbirdMsgid = r.msgid;
      if ('error' in r) throw r.error;
      return r;
    },
    ok: (req, reply, result, secret = false) => {
      if (secret) reply.header('cache-control', 'no-store');
      return reply.code(200).send(success(actionOf(req), req.sunbirdMsgid, result, opts.clock.nowMs()));
    },
  };
  if (opts.version === 2) {
    registerV2Route(scope, deps);
    return;
  }
  consumerRoutes(scope, deps);
  credentialRoutes(scope, deps);
}

/**
 * For Fastify's `frameworkErrors`: a request the router refused before any route ran (a malformed
 * %-escape in the username) is still answered in the envelope, without echoing the URL.
 */
export function answerConsumerFrameworkError(url: string, reply: FastifyReply, nowMs: number): boolean {
  if (!/^\/v[12]\/consumer(?:[/?]|$)/.test(url)) return false;
  const f = failure('unknown', null, fail(E.BAD_REQUEST, { DETAIL: 'THE REQUEST URL IS NOT VALID (BAD PERCENT-ENCODING)' }), nowMs);
  reply.code(f.status).send(f.body);
  return true;
}
