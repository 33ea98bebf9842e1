/**
 * The Kaltura door: `/api_v3/...` in every form the real server accepts (protocol §1.1), bodies
 * taken raw and decoded by our own rules (§1.2), answers in JSON or XML with HTTP 200 even for
 * errors (clients only read `code` from a 200).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { E, GatehouseError, fail } from '../../../core/errors/index.js';
import type { Dispatcher } from './dispatch.js';
import { toApiException, type ApiException } from './wire/errors.js';
import { collectParams } from './wire/params.js';
import { phpString } from './wire/php-string.js';
import { toJson } from './wire/serialize-json.js';
import { toXml } from './wire/serialize-xml.js';
import { plainIp } from '../../plain-ip.js';

export interface KalturaDoorOptions {
  dispatcher: Dispatcher;
  bodyLimit: number;
}

const CORS_PREFLIGHT = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'Origin, X-Requested-With, Content-Type, Accept, Range, Cache-Control',
  'access-control-allow-methods': 'POST, GET, HEAD, OPTIONS',
  'access-control-max-age': '86400',
};
const EXPOSE = 'Server, Content-Length, Content-Range, Date, X-Kaltura, X-Kaltura-Session, X-Me';
const ME = hostname();
const API_V3 = '/api_v3';

export async function kalturaDoor(scope: FastifyInstance, opts: KalturaDoorOptions): Promise<void> {
  // Bodies stay raw: JSON only counts for the exact content type, and forms need PHP's rules.
  scope.removeAllContentTypeParsers();
  const raw = { parseAs: 'buffer', bodyLimit: opts.bodyLimit } as const;
  const keep = (_req: FastifyRequest, body: Buffer, done: (err: null, body: Buffer) => void) => done(null, body);
  scope.addContentTypeParser('*', raw, keep);
  // The same parser under the common types too: Fastify caches its lookup for registered types,
  // but parses the Content-Type header again on every request that falls through to `*`.
  scope.addContentTypeParser('application/json', raw, keep);
  scope.addContentTypeParser('application/x-www-form-urlencoded', raw, keep);

  scope.setErrorHandler((err, req, reply) => {
    // Only transport-level failures reach here (oversized, unreadable or aborted bodies); the
    // dispatcher turns everything else into exceptions itself.
    const client = unreadableRequest(err, opts.bodyLimit);
    // The client's mistake is an info line without a stack; only a genuine fault is an error.
    if (client) req.log.info({ code: client.code }, 'kaltura request unreadable');
    else req.log.error({ err }, 'kaltura door fault');
    return send(reply, toApiException(client ?? fail(E.INTERNAL_SERVERL_ERROR)), formatOf(req.query), false, 0);
  });

  scope.options('/api_v3/*', async (_req, reply) => reply.headers(CORS_PREFLIGHT).code(200).send(''));

  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const started = process.hrtime.bigint();
    const url = req.url;
    const q = url.indexOf('?');
    let params: Record<string, unknown>;
    try {
      params = collectParams({
        pathTail: q < 0 ? url.slice(API_V3.length) : url.slice(API_V3.length, q),
        query: q < 0 ? '' : url.slice(q + 1),
        body: req.body as Buffer | undefined,
        contentType: req.headers['content-type'],
      });
    } catch (e) {
      if (!(e instanceof GatehouseError)) req.log.error({ err: e }, 'kaltura door fault');
      const ex = toApiException(e instanceof GatehouseError ? e : fail(E.INTERNAL_SERVERL_ERROR));
      return send(reply, ex, formatOf(req.query), false, started);
    }
    // `::ffff:a.b.c.d` (a dual-stack listener's IPv4 peer) as `a.b.c.d`, as the delivery door sees it.
    const meta = { clientIp: plainIp(req.ip), uri: req.url, referrer: req.headers.referer, userAgent: req.headers['user-agent'], headers: req.headers };
    const format = formatOf(params);
    if (format === undefined) {
      return send(reply, toApiException(fail(E.UNKNOWN_RESPONSE_FORMAT, { FORMAT: phpString(params.format) })), 2, false, started);
    }
    const multi = typeof params.service === 'string' && params.service.toLowerCase() === 'multirequest';
    const added: Record<string, string> = {};
    const result = multi ? await opts.dispatcher.multi(params, meta, added) : await opts.dispatcher.call(params, meta, added);
    for (const name in added) reply.header(name, added[name]);
    return send(reply, result, format, multi, started, params.ignoreNull === '1' || params.ignoreNull === 1);
  };
  scope.route({ method: ['GET', 'POST'], url: '/api_v3/*', handler: handle });
  scope.route({ method: ['GET', 'POST'], url: '/api_v3', handler: handle });
}

/**
 * For Fastify's `frameworkErrors`: a request the router refused before any door ran (a malformed
 * %-escape in the path) still gets a KalturaAPIException when it was meant for `/api_v3`.
 */
export function answerKalturaFrameworkError(url: string, reply: FastifyReply): boolean {
  if (!url.startsWith('/api_v3')) return false;
  const ex = toApiException(fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: 'request URL', FORMAT: 'valid percent-encoding' }));
  send(reply, ex, formatOf(Object.fromEntries(new URLSearchParams(splitUrl(url)[1] ?? ''))), false, 0);
  return true;
}

function splitUrl(url: string): [string, string?] {
  const q = url.indexOf('?');
  return q < 0 ? [url] : [url.slice(0, q), url.slice(q + 1)];
}

/**
 * What the framework refused before the door ran that is the client's doing, as a catalogue
 * error; undefined for a fault. A Content-Type header that is not a media type at all (`a/b/c`,
 * `;;;`) is refused here: a body whose type cannot even be read is never guessed at.
 */
function unreadableRequest(err: unknown, bodyLimit: number): GatehouseError | undefined {
  const code = (err as { code?: unknown }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fail(E.PROPERTY_VALIDATION_MAX_LENGTH, { PROP_NAME: 'request body', MAX_LEN: bodyLimit });
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: 'Content-Type', FORMAT: 'type/subtype[; parameter=value]' });
  return undefined;
}

/**
 * 1 → JSON, 2 (or absent) → XML; anything else is unknown. Only a string or a number is a format:
 * `format[a]=1`, `{"format":{}}` or a repeated `format` is a tree, whose maps have no prototype
 * (and so no toString) — never converted, always unknown.
 */
function formatOf(params: unknown): 1 | 2 | undefined {
  const f = (params as { format?: unknown } | null)?.format;
  if (f === undefined || f === null || f === '') return 2;
  if (typeof f !== 'string' && typeof f !== 'number') return undefined;
  const s = String(f);
  return s === '2' ? 2 : s === '1' ? 1 : undefined;
}

function send(reply: FastifyReply, result: unknown, format: 1 | 2 | undefined, multi: boolean, started: bigint | number, ignoreNull = false): FastifyReply {
  const seconds = typeof started === 'bigint' ? Number(process.hrtime.bigint() - started) / 1e9 : 0;
  reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', EXPOSE).header('x-kaltura-session', randomUUID()).header('x-me', ME);
  const err = !multi && isException(result) ? result : undefined;
  if (err) reply.header('x-kaltura', `error-${err.code}`);
  if (format === 1) return reply.code(200).type('application/json').send(toJson(result));
  return reply.code(200).type('text/xml; charset=utf-8').send(toXml(result, { executionTime: seconds, ignoreNull, multi }));
}

function isException(v: unknown): v is ApiException {
  return typeof v === 'object' && v !== null && (v as { objectType?: unknown }).objectType === 'KalturaAPIException';
}
