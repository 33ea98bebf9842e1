/**
 * What the proxy asks about: the original method, target and credential, read from the headers
 * each forward-auth flavour sends.
 * - nginx `auth_request`: `X-Original-URI` / `X-Original-Method`, set in the location block;
 * - Traefik ForwardAuth: `X-Forwarded-Uri` / `X-Forwarded-Method` (plus -Host/-Proto, unused);
 * - Envoy ext_authz (HTTP service with `path_prefix: /authz/api`): the original path appended to
 *   ours, the original method as the request's.
 * Every source present must agree. A proxy that forwards the client's headers (nginx and Traefik
 * both do) lets a client add the *other* flavour's header; were one source simply preferred, a
 * client could ask about `/public` while fetching `/admin`. So two sources that disagree are a bad
 * request, never a choice.
 */
import type { IncomingMessage } from 'node:http';
import { normaliseMethod, normaliseTarget, queryValues } from '../../../core/gateway/target.js';
import type { GatewayCredential } from '../../../services/gateway/gateway-service.js';

export const AUTHZ_PATH = '/authz/api';
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export type Original = { ok: true; method: string; path: string; query: string } | { ok: false; reason: string };

/**
 * One header's value; null when it was sent more than once. Node joins repeated headers with
 * ", ", which for a URI would read as one path, so a joined-looking value is checked against the
 * raw header lines (only then: the common case costs nothing).
 */
function single(req: IncomingMessage, name: string): string | undefined | null {
  const v = req.headers[name];
  if (Array.isArray(v)) return null;
  if (v !== undefined && v.includes(', ')) {
    let seen = 0;
    const raw = req.rawHeaders;
    for (let i = 0; i < raw.length; i += 2) if ((raw[i] as string).toLowerCase() === name && ++seen > 1) return null;
  }
  return v;
}

export function readOriginal(req: IncomingMessage): Original {
  const url = req.url ?? '';
  const targets: string[] = [];
  for (const name of ['x-original-uri', 'x-forwarded-uri']) {
    const v = single(req, name);
    if (v === null) return { ok: false, reason: `${name} sent more than once` };
    if (v !== undefined) targets.push(v);
  }
  // Envoy: everything after /authz/api in our own URL is the original path and query.
  const suffix = url.slice(AUTHZ_PATH.length);
  if (suffix.startsWith('/')) targets.push(suffix);
  if (targets.length === 0) return { ok: false, reason: 'no original request: send X-Original-URI, X-Forwarded-Uri, or the path after /authz/api' };

  let path: string | undefined;
  let query = '';
  for (const t of targets) {
    const n = normaliseTarget(t);
    if (!n.ok) return n;
    if (path !== undefined && (n.path !== path || n.query !== query)) return { ok: false, reason: 'the original-request headers disagree' };
    path = n.path;
    query = n.query;
  }

  let method: string | undefined;
  for (const name of ['x-original-method', 'x-forwarded-method']) {
    const v = single(req, name);
    if (v === null) return { ok: false, reason: `${name} sent more than once` };
    if (v === undefined) continue;
    const m = normaliseMethod(v);
    if (!m) return { ok: false, reason: `${name} is not an HTTP method` };
    if (method !== undefined && m !== method) return { ok: false, reason: 'the original-method headers disagree' };
    method = m;
  }
  return { ok: true, method: method ?? req.method ?? 'GET', path: path!, query };
}

export type CredentialRead = { ok: true; credential: GatewayCredential } | { ok: false; reason: 'none' | 'multiple' };

/**
 * Exactly one credential: `Authorization: Bearer <jwt>` (other schemes are not ours and are
 * ignored, as Kong's jwt plugin does), `X-API-Key`, or `key=` in the original query string.
 */
export function readGatewayCredential(req: IncomingMessage, originalQuery: string, apiKeyInQuery: boolean): CredentialRead {
  const found: GatewayCredential[] = [];
  const m = BEARER.exec(req.headers.authorization ?? '');
  if (m) found.push({ kind: 'jwt', token: m[1]! });
  const header = req.headers['x-api-key'];
  if (Array.isArray(header)) return { ok: false, reason: 'multiple' };
  if (header !== undefined) found.push({ kind: 'apiKey', key: header.trim() });
  if (apiKeyInQuery) for (const key of queryValues(originalQuery, 'key')) found.push({ kind: 'apiKey', key });
  if (found.length > 1) return { ok: false, reason: 'multiple' };
  return found[0] ? { ok: true, credential: found[0] } : { ok: false, reason: 'none' };
}

/** `X-Gatehouse-Partner`: the partner a proxy location is pinned to; undefined when absent, NaN when malformed. */
export function partnerPin(req: IncomingMessage): number | undefined {
  const v = req.headers['x-gatehouse-partner'];
  if (v === undefined) return undefined;
  if (Array.isArray(v) || !/^-?\d{1,10}$/.test(v.trim())) return Number.NaN;
  return Number(v.trim());
}
