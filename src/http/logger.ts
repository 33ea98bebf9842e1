/**
 * Logger options for Fastify's `logger` option: pino JSON lines, UTC ISO timestamps, and redaction
 * of secrets at the logger (STYLE.md rule 14), so no call site has to remember to scrub a KS, a
 * password or an API key before logging an object.
 *
 * One list of secret names (SECRET_NAMES, SECRET_NAME_FRAGMENTS), one rule for matching a name
 * (isSecretName), applied to every form a parameter takes on its way into a log line: keys of
 * logged objects at any depth (JSON bodies, headers, error fields), and inside logged URLs the
 * query string, Kaltura's path pairs (`/ks/abc`) and the nested and multirequest names
 * (`filter[ks]`, `1:ks`, `1:filter:ks`). Form bodies are query strings (redactQuery).
 */
import { stdSerializers, stdTimeFunctions } from 'pino';
import type { LoggerOptions } from 'pino';
import type { LogLevel } from '../config/index.js';

/**
 * Names whose values are secrets wherever they appear: parameters of every door (query, path,
 * body), fields of logged objects, headers. Matched case-insensitively with `-` and `_` ignored, so
 * `apiKey`, `api_key`, `API-KEY` and `apikey` are one entry.
 * - Kaltura: `ks` (every KS parameter), `session` (session.get, session.impersonateByKs: a KS),
 *   `secret`/`adminSecret` (session.start, impersonate; partner objects), `password` and
 *   `cmsPassword` (user.loginByLoginId, partner.register, partner.getSecrets), `otp`, `token` and
 *   `tokenHash` (an app token's value and its proof of possession, appToken.startSession),
 *   `hashSecret` and `hashes` (hash conditions and the hashes that satisfy them), `kalsig` (the
 *   client's signature over every parameter, passwords included).
 * - REST, consumer and gateway doors: `authorization`, `key`, `x-api-key`, `apiKey`,
 *   `access_token`, `refresh_token`, `id_token`, `jwt`, `adminPassword`, `clientSecret`,
 *   `privateKey`; cookies.
 * - Delivery: `gh_token` (the signed redirect token), `signature`, `sig`.
 * - Single sign-on: `code`, `state`, `nonce`, `code_verifier` in query strings (QUERY_SECRET_NAMES).
 */
export const SECRET_NAMES = [
  'ks', 'session', 'secret', 'adminSecret', 'password', 'cmsPassword', 'newPassword', 'oldPassword', 'otp', 'token', 'tokenHash',
  'hash', 'hashes', 'hashSecret', 'kalsig',
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'key', 'x-api-key', 'apiKey', 'x-auth-token', 'x-access-token',
  'access_token', 'refresh_token', 'id_token', 'jwt', 'adminPassword', 'clientSecret', 'privateKey',
  'gh_token', 'signature', 'sig',
] as const;

/**
 * Secret only as query parameters, where OAuth puts them (single sign-on's callback: the
 * provider's authorization `code` and the sign-in's `state`; `nonce` and `code_verifier` for
 * good measure). Not field names: `code` in a logged object is an error code.
 */
const QUERY_SECRET_NAMES: ReadonlySet<string> = new Set(['code', 'state', 'nonce', 'code_verifier']);

/**
 * A name containing one of these is a secret too (`newPassword`, `client_secret`, `hashSecret`,
 * a parameter added tomorrow): no harmless parameter is named like a password or a secret.
 */
export const SECRET_NAME_FRAGMENTS = ['password', 'passwd', 'secret'] as const;

export const REDACTED = '[redacted]';

/** `apiKey` → `apikey`, `x-api-key` → `xapikey`, `access_token` → `accesstoken`. */
const canonical = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');
const SECRET_SET: ReadonlySet<string> = new Set(SECRET_NAMES.map(canonical));

/** Whether one plain name (no nesting) names a secret, in any case and with `-`/`_` ignored. */
export function isSecretName(name: string): boolean {
  const c = canonical(name);
  if (SECRET_SET.has(c)) return true;
  for (const f of SECRET_NAME_FRAGMENTS) if (c.includes(f)) return true;
  return false;
}

function decodeName(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * Whether a parameter name refers to a secret. Kaltura names parameters in nested and
 * multirequest forms, so `ks`, `1:ks`, `filter[ks]`, `1:filter:ks` and `user[password]` all hold
 * one; so does every name below a secret one (`hashes[0][value]`). Any component that is a secret
 * name makes the whole parameter one (redacting too much is the safe mistake).
 */
export function isSecretParam(rawName: string): boolean {
  const name = decodeName(rawName);
  if (!/[[\]:.]/.test(name)) return isSecretName(name);
  for (const part of name.split(/[[\]:.]+/)) if (part !== '' && isSecretName(part)) return true;
  return false;
}

/**
 * A query string or form body with the values of secret parameters replaced by `[redacted]`
 * (`format=1&ks=abc` → `format=1&ks=[redacted]`). Split on `&` only, as PHP and the doors do: a
 * `;` inside a secret's value must not end the redaction.
 */
export function redactQuery(query: string): string {
  if (query === '') return query;
  const pairs = query.split('&');
  let changed = false;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as string;
    const eq = pair.indexOf('=');
    if (eq < 0 || !(isSecretParam(pair.slice(0, eq)) || QUERY_SECRET_NAMES.has(decodeName(pair.slice(0, eq)).toLowerCase()))) continue;
    pairs[i] = `${pair.slice(0, eq)}=${REDACTED}`;
    changed = true;
  }
  return changed ? pairs.join('&') : query;
}

/** `service` / `action`, or a multirequest's `1:service` / `1:action`: the next segment names a service or an action. */
const SERVICE_OR_ACTION = /^(?:\d+:)?(?:service|action)$/i;

/**
 * A path with Kaltura's path pairs redacted: `/api_v3/service/x/action/y/ks/abc` and
 * playManifest's `/entryId/0_x/ks/abc/a.mp4` carry parameters as `/name/value` segments, so the
 * segment after any segment named like a secret is redacted (`1:ks` and `%6Bs` included). Pairs
 * are not aligned first: `/x/ks/ks/abc` redacts both values, whichever pairing the reader picks.
 * The segment after `service` or `action` is a service or action name, not a parameter's, so
 * `/service/session/action/get` and `/action/getSecrets/partnerId/7` stay readable.
 */
export function redactPath(path: string): string {
  const segments = path.split('/');
  let changed = false;
  for (let i = segments.length - 2; i >= 0; i--) {
    const s = segments[i] as string;
    if (s === '' || segments[i + 1] === '' || !isSecretParam(s)) continue;
    if (i > 0 && SERVICE_OR_ACTION.test(segments[i - 1] as string)) continue;
    segments[i + 1] = REDACTED;
    changed = true;
  }
  return changed ? segments.join('/') : path;
}

/**
 * The URL with every secret parameter's value replaced by `[redacted]`, in the query string and
 * in path pairs (`/api_v3/service/session/action/get/ks/abc?ks=def` →
 * `/api_v3/service/session/action/get/ks/[redacted]?ks=[redacted]`). The fragment is dropped. A
 * URL is logged as one string, which name-based redaction of objects cannot see into.
 */
export function redactUrl(url: string): string {
  const hash = url.indexOf('#');
  const withoutHash = hash >= 0 ? url.slice(0, hash) : url;
  const q = withoutHash.indexOf('?');
  if (q < 0) return redactPath(withoutHash);
  return `${redactPath(withoutHash.slice(0, q))}?${redactQuery(withoutHash.slice(q + 1))}`;
}

/** Keys of logged objects whose string values are URLs or paths (redacted with redactUrl). */
const URL_KEYS: ReadonlySet<string> = new Set(['url', 'uri', 'originalurl', 'path', 'location', 'referer', 'referrer']);

/** Nesting walked in logged objects; anything deeper is replaced (no log line of ours nests so deep). */
const MAX_DEPTH = 8;
const TOO_DEEP = '[too deep]';

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A logged value with secrets redacted: plain objects and arrays are walked (a key naming a secret
 * has its value replaced, a URL-valued key is redacted with redactUrl); anything else — strings,
 * numbers, class instances such as Fastify's request, which its serializer handles — is returned
 * as is. Copy-on-write: an object without secrets is returned unchanged, never mutated.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return TOO_DEEP;
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const r = redactValue(v, depth + 1);
      if (r !== v) (out ??= value.slice())[i] = r;
    }
    return out ?? value;
  }
  if (!isPlain(value)) return value;
  return depth >= MAX_DEPTH ? TOO_DEEP : redactFields(value as Record<string, unknown>, depth);
}

/** redactValue for one object's own fields, whatever its prototype (a serialized error's has one). */
function redactFields(obj: Record<string, unknown>, depth: number): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    let r: unknown;
    if (v === undefined || v === null) continue;
    if (isSecretParam(key)) r = REDACTED;
    else if (typeof v === 'string') r = URL_KEYS.has(key.toLowerCase()) ? redactUrl(v) : v;
    else r = redactValue(v, depth + 1);
    if (r !== v) (out ??= { ...obj })[key] = r;
  }
  return out ?? obj;
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

/** pino's error serializer, then the same redaction as every other logged object. */
export function serializeError(err: unknown): unknown {
  const e = stdSerializers.err(err as Error) as unknown;
  return typeof e === 'object' && e !== null ? redactFields(e as Record<string, unknown>, 0) : e;
}

/** Options for Fastify's `logger` option (or `pino(loggerOptions(level), stream)` elsewhere). */
export function loggerOptions(level: LogLevel): LoggerOptions {
  return {
    level,
    name: 'gatehouse',
    timestamp: stdTimeFunctions.isoTime,
    formatters: {
      // Level names rather than numbers: log pipelines and humans read them without a lookup table.
      level: (label) => ({ level: label }),
      // Every logged object, before its serializers run (they handle `req` and `err` themselves).
      log: (obj) => redactFields(obj, 0),
    },
    serializers: { req: serializeRequest, err: serializeError },
  };
}
