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
import { HeaderPicker, type PickedFor } from '../../pick-headers.js';

export const AUTHZ_PATH = '/authz/api';
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export type Original = { ok: true; method: string; path: string; query: string } | { ok: false; reason: string };

/** Every request header the door reads (pick-headers.ts: a repeated one reads as `null`), by slot. */
const HEADERS = ['x-original-uri', 'x-forwarded-uri', 'x-original-method', 'x-forwarded-method', 'authorization', 'x-api-key', 'x-gatehouse-partner'] as const;
const PICKER = new HeaderPicker(HEADERS);
const URI_SLOTS = [0, 1] as const;
const METHOD_SLOTS = [2, 3] as const;
const AUTHORIZATION = 4;
const API_KEY = 5;
const PARTNER = 6;

/** The proxy's question as sent: our own URL and method, and the headers the door reads. */
export interface Asked {
  url: string;
  method: string | undefined;
  headers: PickedFor<typeof HEADERS>;
}

export function readAsked(req: IncomingMessage): Asked {
  return { url: req.url ?? '', method: req.method, headers: PICKER.pick(req) };
}

export function readOriginal(asked: Asked): Original {
  const targets: string[] = [];
  for (const slot of URI_SLOTS) {
    const v = asked.headers[slot];
    if (v === null) return { ok: false, reason: `${HEADERS[slot]} sent more than once` };
    if (v !== undefined) targets.push(v);
  }
  // Envoy: everything after /authz/api in our own URL is the original path and query.
  const suffix = asked.url.slice(AUTHZ_PATH.length);
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
  for (const slot of METHOD_SLOTS) {
    const v = asked.headers[slot];
    if (v === null) return { ok: false, reason: `${HEADERS[slot]} sent more than once` };
    if (v === undefined) continue;
    const m = normaliseMethod(v);
    if (!m) return { ok: false, reason: `${HEADERS[slot]} is not an HTTP method` };
    if (method !== undefined && m !== method) return { ok: false, reason: 'the original-method headers disagree' };
    method = m;
  }
  return { ok: true, method: method ?? asked.method ?? 'GET', path: path!, query };
}

export type CredentialRead = { ok: true; credential: GatewayCredential } | { ok: false; reason: 'none' | 'multiple' };

/**
 * Exactly one credential: `Authorization: Bearer <jwt>` (other schemes are not ours and are
 * ignored, as Kong's jwt plugin does), `X-API-Key`, or `key=` in the original query string. Either
 * header sent twice is several credentials.
 */
export function readGatewayCredential(asked: Asked, originalQuery: string, apiKeyInQuery: boolean): CredentialRead {
  const authorization = asked.headers[AUTHORIZATION];
  const apiKey = asked.headers[API_KEY];
  if (authorization === null || apiKey === null) return { ok: false, reason: 'multiple' };
  const found: GatewayCredential[] = [];
  const m = BEARER.exec(authorization ?? '');
  if (m) found.push({ kind: 'jwt', token: m[1]! });
  if (apiKey !== undefined) found.push({ kind: 'apiKey', key: apiKey.trim() });
  if (apiKeyInQuery) for (const key of queryValues(originalQuery, 'key')) found.push({ kind: 'apiKey', key });
  if (found.length > 1) return { ok: false, reason: 'multiple' };
  return found[0] ? { ok: true, credential: found[0] } : { ok: false, reason: 'none' };
}

/** `X-Gatehouse-Partner`: the partner a proxy location is pinned to; undefined when absent, NaN when malformed. */
export function partnerPin(asked: Asked): number | undefined {
  const v = asked.headers[PARTNER];
  if (v === undefined) return undefined;
  if (v === null || !/^-?\d{1,10}$/.test(v.trim())) return Number.NaN;
  return Number(v.trim());
}
