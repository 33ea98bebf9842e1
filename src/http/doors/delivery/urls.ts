/**
 * The delivery URL forms, parsed from a raw path-and-query (the request's own URL, or the original
 * URI a proxy forwards to /authz/delivery):
 *
 *   /p/{partnerId}/sp/{partnerId}00/playManifest/entryId/{entryId}/...   PLAY
 *   /p/{partnerId}/sp/{partnerId}00/raw/entry_id/{entryId}/...           DOWNLOAD
 *   /p/{partnerId}[/sp/{partnerId}00]/thumbnail/entry_id/{entryId}/...   THUMBNAIL
 *
 * After the action segment the path is Kaltura's key/value pairs (`entryId` and `entry_id` are
 * both accepted, and `ks`), ending in an optional file name. The KS may be a `/ks/{ks}` pair or a
 * `ks` query parameter (the path wins when both are sent). Any other path can still name an entry
 * with query parameters (`?partnerId=&entryId=[&context=play|download|thumbnail][&ks=]`); that
 * generic form is only for forward-auth, where the proxied URL is the origin's, not ours.
 *
 * And, at the end, which request a proxy asks `/authz/delivery` about (originalRequest).
 */
import type { IncomingMessage } from 'node:http';
import { ContextType } from '../../../core/access/model.js';
import type { DeliveryContext } from '../../../services/delivery/delivery-service.js';
import { HeaderPicker } from '../../pick-headers.js';

export interface DeliveryTarget {
  partnerId: number;
  entryId: string;
  context: DeliveryContext;
  /** The KS as sent, percent-decoded ('' without one). */
  ks: string;
  /** Where the KS was found in the path (index of the `ks` segment), or -1. */
  ksSegment: number;
}

// Maps, not object literals: a segment such as `constructor` must not find Object.prototype's.
const ACTIONS: ReadonlyMap<string, DeliveryContext> = new Map([
  ['playmanifest', ContextType.PLAY],
  ['raw', ContextType.DOWNLOAD],
  ['thumbnail', ContextType.THUMBNAIL],
]);
const CONTEXT_NAMES: ReadonlyMap<string, DeliveryContext> = new Map([
  ['play', ContextType.PLAY],
  ['download', ContextType.DOWNLOAD],
  ['thumbnail', ContextType.THUMBNAIL],
  ['1', ContextType.PLAY],
  ['2', ContextType.DOWNLOAD],
  ['3', ContextType.THUMBNAIL],
]);

/** Publisher partner ids are positive; nine digits keep them far from overflow. */
const PARTNER_ID = /^[1-9]\d{0,8}$/;
/** Entry ids are `<dc>_<base36>`; anything else cannot exist, so it never reaches a cache or the database. */
const ENTRY_ID = /^\w{1,64}$/;
/** A KS longer than this is not one (real ones are a few hundred characters). */
const MAX_KS = 4096;

/** Percent-decodes a path segment or query value; undefined when the escapes are broken. */
function decode(s: string, plusIsSpace: boolean): string | undefined {
  if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) return s;
  try {
    return decodeURIComponent(plusIsSpace ? s.replace(/\+/g, ' ') : s);
  } catch {
    return undefined;
  }
}

/** The first value of query parameter `name` (raw, not decoded), or undefined. */
export function queryValue(query: string, name: string): string | undefined {
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    if (query.startsWith(name, start) && query.charCodeAt(start + name.length) === 61 /* = */) return query.slice(start + name.length + 1, end);
    start = end + 1;
  }
  return undefined;
}

function target(partnerId: string | undefined, entryId: string | undefined, context: DeliveryContext, ks: string | undefined, ksSegment: number): DeliveryTarget | undefined {
  if (partnerId === undefined || entryId === undefined || !PARTNER_ID.test(partnerId) || !ENTRY_ID.test(entryId)) return undefined;
  if (ks === undefined || ks.length > MAX_KS) return undefined;
  return { partnerId: Number(partnerId), entryId, context, ks, ksSegment };
}

/** Where the segment of `path` starting at `from` ends: the next `/`, or the end of the path. */
function segmentEnd(path: string, from: number): number {
  const slash = path.indexOf('/', from);
  return slash < 0 ? path.length : slash;
}

/** Whether the segment `[from, end)` of `path` is `word`, without slicing it out. */
function segmentIs(path: string, from: number, end: number, word: string): boolean {
  return end - from === word.length && path.startsWith(word, from);
}

/**
 * A delivery URL path (`/p/...`) and its query; undefined when it is not one of the forms.
 * Scanned by index rather than split: a split (or a slice per segment) allocates every segment of
 * a long playManifest URL on every forward-auth check, and only four of them matter.
 */
function fromPath(path: string, query: string): DeliveryTarget | undefined {
  // path starts with '/p/': segment 2 is the partner id.
  const partnerEnd = segmentEnd(path, 3);
  const partnerId = path.slice(3, partnerEnd);
  let index = 3;
  let from = partnerEnd + 1;
  let end = segmentEnd(path, from);
  if (segmentIs(path, from, end, 'sp')) {
    // `/sp/{partnerId}00`: the value is not checked, the action follows it.
    from = segmentEnd(path, end + 1) + 1;
    end = segmentEnd(path, from);
    index += 2;
  }
  const action = from > path.length ? '' : path.slice(from, end);
  const context = ACTIONS.get(action === 'playManifest' ? 'playmanifest' : action.toLowerCase());
  if (context === undefined || partnerId === '') return undefined;
  let entryId: string | undefined;
  let ks: string | undefined;
  let ksSegment = -1;
  // Key/value pairs after the action; a trailing odd segment is a file name.
  let k = index + 1;
  let pos = end + 1;
  while (pos <= path.length) {
    const keyEnd = segmentEnd(path, pos);
    if (keyEnd >= path.length) break;
    const valueAt = keyEnd + 1;
    const valueEnd = segmentEnd(path, valueAt);
    if (segmentIs(path, pos, keyEnd, 'entryId') || segmentIs(path, pos, keyEnd, 'entry_id') || segmentIs(path, pos, keyEnd, 'entryid')) {
      entryId ??= decode(path.slice(valueAt, valueEnd), false);
    } else if (ksSegment < 0 && segmentIs(path, pos, keyEnd, 'ks')) {
      ks = decode(path.slice(valueAt, valueEnd), false);
      ksSegment = k;
    }
    pos = valueEnd + 1;
    k += 2;
  }
  if (ksSegment < 0) {
    const q = queryValue(query, 'ks');
    ks = q === undefined ? '' : decode(q, true);
  }
  return target(partnerId, entryId, context, ks, ksSegment);
}

/**
 * Parses a raw request target (`/path?query`, as sent, not decoded). Delivery paths are recognised
 * first; with `generic`, any other path may name an entry with query parameters.
 */
export function parseDeliveryUri(uri: string, generic: boolean): DeliveryTarget | undefined {
  const hash = uri.indexOf('#');
  const clean = hash < 0 ? uri : uri.slice(0, hash);
  const q = clean.indexOf('?');
  const path = q < 0 ? clean : clean.slice(0, q);
  const query = q < 0 ? '' : clean.slice(q + 1);
  if (path.startsWith('/p/')) {
    const found = fromPath(path, query);
    if (found || !generic) return found;
  }
  if (!generic || query === '') return undefined;
  const partnerId = queryValue(query, 'partnerId');
  const entryId = queryValue(query, 'entryId');
  const contextName = queryValue(query, 'context');
  const context = contextName === undefined ? ContextType.PLAY : CONTEXT_NAMES.get(contextName.toLowerCase());
  if (context === undefined) return undefined;
  const ks = queryValue(query, 'ks');
  return target(partnerId, entryId === undefined ? undefined : decode(entryId, true), context, ks === undefined ? '' : decode(ks, true), -1);
}

/**
 * The request target to append to the origin: the original path and query without the KS (a
 * session must never travel on to an origin or CDN, whose logs keep URLs) and without any
 * `gh_token`/`gh_preview` the client sent, so only ours follow.
 */
export function forwardedTarget(uri: string, t: DeliveryTarget): { path: string; query: string } {
  const hash = uri.indexOf('#');
  const clean = hash < 0 ? uri : uri.slice(0, hash);
  const q = clean.indexOf('?');
  let path = q < 0 ? clean : clean.slice(0, q);
  if (t.ksSegment >= 0) {
    const seg = path.split('/');
    seg.splice(t.ksSegment, 2);
    path = seg.join('/');
  }
  const query =
    q < 0
      ? ''
      : clean
          .slice(q + 1)
          .split('&')
          .filter((p) => p !== '' && !/^(?:ks|gh_token|gh_preview)(?:=|$)/.test(p))
          .join('&');
  return { path, query };
}

/*
 * Which request a proxy asks /authz/delivery about. Each proxy says it its own way:
 * - nginx `auth_request`: `X-Original-URI` (and `X-Original-Method`), set by the documented config;
 * - Traefik ForwardAuth: `X-Forwarded-Uri` and `X-Forwarded-Method` (plus `-Proto`/`-Host`, unused);
 * - Envoy ext_authz (HTTP service, `path_prefix: /authz/delivery`): the original path and query
 *   appended to ours, with the original method;
 * - none of these: the check request's own query (`/authz/delivery?partnerId=&entryId=`).
 *
 * Security: each proxy overwrites its own header but passes the client's other headers through,
 * so behind Traefik a client could add `X-Original-URI: <an allowed URL>` to have another entry
 * decided. When more than one source is present they must agree, or the request is refused.
 */
/** The forward-auth path; Envoy appends the original path to it. */
export const FORWARD_AUTH_PATH = '/authz/delivery';

export interface OriginalRequest {
  /** Raw path and query of the original request. */
  uri: string;
  method: string;
  /** Which proxy convention carried it (logs). */
  via: 'nginx' | 'traefik' | 'envoy' | 'query';
}

/** The headers naming the original request (pick-headers.ts: a repeated one reads as `null`). */
const PICKER = new HeaderPicker(['x-original-uri', 'x-forwarded-uri', 'x-original-method', 'x-forwarded-method']);

/** An empty value is no value. */
const given = (v: string | undefined): string | undefined => (v === '' ? undefined : v);

/**
 * The original request, or 'conflict' when the sources disagree or one of them was sent more than
 * once (Node would join two copies into one "URI").
 */
export function originalRequest(req: IncomingMessage): OriginalRequest | 'conflict' {
  const [originalUri, forwardedUri, originalMethod, forwardedMethod] = PICKER.pick(req);
  if (originalUri === null || forwardedUri === null || originalMethod === null || forwardedMethod === null) return 'conflict';
  const nginx = given(originalUri);
  const traefik = given(forwardedUri);
  const url = req.url ?? '';
  const envoy = url.length > FORWARD_AUTH_PATH.length && url.charCodeAt(FORWARD_AUTH_PATH.length) === 47 /* / */ ? url.slice(FORWARD_AUTH_PATH.length) : undefined;
  let uri = envoy;
  let via: OriginalRequest['via'] = envoy === undefined ? 'query' : 'envoy';
  if (nginx !== undefined) {
    if (uri === undefined) {
      uri = nginx;
      via = 'nginx';
    } else if (uri !== nginx) return 'conflict';
  }
  if (traefik !== undefined) {
    if (uri === undefined) {
      uri = traefik;
      via = 'traefik';
    } else if (uri !== traefik) return 'conflict';
  }
  const method = given(originalMethod) ?? given(forwardedMethod) ?? req.method ?? 'GET';
  return { uri: uri ?? url, method, via };
}
