/**
 * Logger options for Fastify's `logger` option: pino JSON lines, UTC ISO timestamps, and redaction
 * of secrets at the logger (STYLE.md rule 14), so no call site has to remember to scrub a KS, a
 * password or an API key before logging an object.
 */
import { stdTimeFunctions } from 'pino';
import type { LoggerOptions } from 'pino';
import type { LogLevel } from '../config/index.js';

/** Field and parameter names whose values are secrets wherever they appear. */
export const SECRET_NAMES = ['ks', 'secret', 'adminSecret', 'password', 'authorization', 'x-api-key', 'key', 'token'] as const;

export const REDACTED = '[redacted]';

/** A pino redact path segment: dot form for identifiers, bracket form otherwise (`["x-api-key"]`). */
const segment = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);

/**
 * Redact paths: each name at the top level, one level down (`*.ks`, which covers `body.ks`,
 * `query.ks`, `headers.authorization` when such an object is logged on its own) and two levels down
 * (`*.*.ks`: `req.headers.authorization`, `req.query.ks`, `req.body.password`, `request.body.secret`).
 * Deeper nesting is not scanned: wildcards cost time on every log line, and request-shaped objects
 * are the ones that carry secrets into logs.
 */
export const REDACT_PATHS: readonly string[] = SECRET_NAMES.flatMap((name) => {
  const s = segment(name);
  return [s.startsWith('.') ? s.slice(1) : s, `*${s}`, `*.*${s}`];
});

const SECRET_PARAM_NAMES: ReadonlySet<string> = new Set(SECRET_NAMES.map((n) => n.toLowerCase()));

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * Whether a query parameter name refers to a secret. Kaltura names parameters in nested and
 * multirequest forms, so `ks`, `1:ks`, `filter[ks]` and `0:filter:ks` all end in a secret name;
 * compare the last component, case-insensitively (redacting too much is the safe mistake).
 */
function isSecretParam(rawName: string): boolean {
  const name = decodeName(rawName).toLowerCase();
  const last = name.replace(/\]+$/, '').split(/[[\]:.]+/).pop() ?? name;
  return SECRET_PARAM_NAMES.has(last) || SECRET_PARAM_NAMES.has(name);
}

/**
 * The URL with the values of secret query parameters replaced by `[redacted]`
 * (`/api_v3/service/session/action/get?ks=abc` → `?ks=[redacted]`). Kaltura also accepts
 * parameters as path segments (`/api_v3/service/x/action/y/ks/abc`, playManifest's `/ks/abc/`),
 * so a path segment named like a secret has the following segment redacted as well. The URL is
 * logged as one string, which pino's path-based redaction cannot see into.
 */
export function redactUrl(url: string): string {
  const hash = url.indexOf('#');
  const withoutHash = hash >= 0 ? url.slice(0, hash) : url;
  const q = withoutHash.indexOf('?');
  const pathPart = q >= 0 ? withoutHash.slice(0, q) : withoutHash;
  const query = q >= 0 ? withoutHash.slice(q + 1) : undefined;

  const segments = pathPart.split('/');
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] !== '' && SECRET_PARAM_NAMES.has(decodeName(segments[i] ?? '').toLowerCase()) && segments[i + 1] !== '') {
      segments[i + 1] = REDACTED;
      i++;
    }
  }
  let out = segments.join('/');
  if (query !== undefined) {
    const params = query.split('&').map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      return isSecretParam(pair.slice(0, eq)) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    });
    out += `?${params.join('&')}`;
  }
  return out;
}

/** The parts of a request (Fastify's or Node's) the serializer reads. */
interface RequestLike {
  method?: string;
  url?: string;
  originalUrl?: string;
  host?: string;
  ip?: string;
  headers?: Record<string, unknown>;
  socket?: { remoteAddress?: string; remotePort?: number };
}

/**
 * Fastify's default `req` serializer with the URL redacted. Headers, query and body are not
 * logged at all; the route pattern and status are on the "request completed" line.
 */
export function serializeRequest(req: RequestLike): Record<string, unknown> {
  const url = req.url ?? req.originalUrl;
  return {
    method: req.method,
    url: typeof url === 'string' ? redactUrl(url) : undefined,
    version: req.headers?.['accept-version'],
    host: req.host ?? req.headers?.host,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    remotePort: req.socket?.remotePort,
  };
}

/** Options for Fastify's `logger` option (or `pino(loggerOptions(level), stream)` elsewhere). */
export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    name: 'gatehouse',
    timestamp: stdTimeFunctions.isoTime,
    // Level names rather than numbers: log pipelines and humans read them without a lookup table.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: { req: serializeRequest },
  };
}
