/**
 * CORS on the delivery URLs (`/p/...`). Browser players (hls.js, video.js, Kaltura's web player)
 * fetch manifests from script, so every answer — the 302 and every refusal — says which origins may
 * read it, and `OPTIONS` preflights are answered 204.
 *
 * By default any origin may (`Access-Control-Allow-Origin: *`, as Kaltura's manifest renderer
 * answers). A partner's `deliveryAllowedOrigins` (core/delivery/allowed-origins.ts) narrows that to
 * the listed origins, echoed with `Vary: Origin`; other origins get no Allow-Origin and their
 * scripts cannot read the answer (following the redirect included). Why a partner would: answers
 * depend on the viewer's address (IP and country rules), so without a list a page on any site can,
 * from a viewer inside an allowed network, read a manifest and its signed token. The list binds
 * browsers only; a client that is not a browser reads every answer, as it always could.
 *
 * Answers that say nothing about a partner (not a delivery URL, no delivery origin configured, a
 * fault) and answers about an unknown partner carry `*`.
 *
 * Cost: the header values are computed once per partner record (a changed partner is a new cached
 * object, on every node through the change feed) and shared; the default path reads one property
 * and allocates nothing.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { allowedOriginsOf, DELIVERY_ALLOWED_ORIGINS } from '../../../core/delivery/allowed-origins.js';
import type { Partner } from '../../../services/model.js';

/** The CORS headers of one answer: a shared, frozen fragment to spread into the answer's headers. */
export type CorsHeaders = Readonly<OutgoingHttpHeaders>;

/**
 * Response headers a player may read beyond the always-readable ones (Content-Type,
 * Content-Length, Cache-Control, …): the refusal's reason (also on HEAD, which has no body), the
 * 401's scheme and a 503's Retry-After. Location is not among them: a script never sees a
 * redirect's headers, the browser follows it. A download's own headers (Content-Range, …) come
 * from the origin the redirect leads to, whose CORS exposes them.
 *
 * No Access-Control-Allow-Credentials, deliberately: the KS travels in the URL, never in a cookie
 * or an Authorization header, so players need no credentialed requests; and a credentialed
 * `fetch` from another site must keep failing rather than carry cookies the viewer holds for this
 * host (or a parent domain) to a door that does not read them. (It would also be invalid with `*`.)
 */
const EXPOSE = 'X-Gatehouse-Reason, WWW-Authenticate, Retry-After';

/** Any origin may read: the default, and every answer that is about no known partner. */
export const ANY_ORIGIN: CorsHeaders = Object.freeze({ 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSE });
/** A partner list that does not name the request's origin (or a request without one). */
const NOT_LISTED: CorsHeaders = Object.freeze({ vary: 'Origin' });

/** A partner's list, compiled: the answer headers per listed origin; null = any origin. */
type Compiled = ReadonlyMap<string, CorsHeaders> | null;
// Keyed by the cached partner record: entries go with the record, so this is bounded by the cache.
const compiledByPartner = new WeakMap<Partner, Compiled>();

function compile(partner: Partner): Compiled {
  const origins = allowedOriginsOf(partner.settings);
  if (origins.length === 0) return null;
  return new Map(origins.map((o) => [o, Object.freeze({ 'access-control-allow-origin': o, 'access-control-expose-headers': EXPOSE, vary: 'Origin' })]));
}

/** The CORS headers of an answer about `partner`'s URLs to `req` (undefined partner: unknown). */
export function corsFor(partner: Partner | undefined, req: IncomingMessage): CorsHeaders {
  if (partner === undefined || partner.settings[DELIVERY_ALLOWED_ORIGINS] === undefined) return ANY_ORIGIN;
  let compiled = compiledByPartner.get(partner);
  if (compiled === undefined) {
    compiled = compile(partner);
    compiledByPartner.set(partner, compiled);
  }
  if (compiled === null) return ANY_ORIGIN;
  // A repeated Origin header arrives joined with ", " and matches nothing: no Allow-Origin.
  const origin = req.headers.origin;
  return (origin === undefined ? undefined : compiled.get(origin)) ?? NOT_LISTED;
}

/**
 * Request headers a preflight may ask for: what players send to a manifest or download URL — a
 * byte range (Range, If-Range; a single `bytes=a-b` range needs no preflight, several do),
 * revalidation (If-None-Match, If-Modified-Since) and Cache-Control (live-manifest reloads). None
 * of them changes the decision. Not Authorization: nothing here reads it, the KS goes in the URL.
 */
const ALLOWED_REQUEST_HEADERS: ReadonlySet<string> = new Set(['range', 'if-range', 'if-none-match', 'if-modified-since', 'cache-control']);
const METHODS = 'GET, HEAD, OPTIONS';
/** Chromium's ceiling (Firefox allows a day); the list still governs every real answer. */
const MAX_AGE = '7200';

/** The requested headers (Access-Control-Request-Headers) we allow, lower-case; '' when none. */
export function allowedRequestHeaders(requested: string | undefined): string {
  if (requested === undefined || requested === '') return '';
  const out: string[] = [];
  for (const raw of requested.split(',')) {
    const name = raw.trim().toLowerCase();
    if (ALLOWED_REQUEST_HEADERS.has(name) && !out.includes(name)) out.push(name);
  }
  return out.join(', ');
}

/**
 * A preflight's answer, 204: the methods, the requested headers we allow (a header left out makes
 * the browser refuse the request), how long to remember it, and the partner's Allow-Origin.
 */
export function preflight(res: ServerResponse, cors: CorsHeaders, req: IncomingMessage): void {
  const headers: OutgoingHttpHeaders = { ...cors, allow: METHODS, 'access-control-allow-methods': METHODS, 'access-control-max-age': MAX_AGE };
  const requested = req.headers['access-control-request-headers'];
  const allowed = allowedRequestHeaders(Array.isArray(requested) ? requested.join(',') : requested);
  if (allowed !== '') headers['access-control-allow-headers'] = allowed;
  res.writeHead(204, headers).end();
}
