/**
 * Encoding of delivery decisions: the one map from a denial reason to an HTTP status, the JSON body
 * of every refusal (`{"status","reason","message","code"?}`), forward-auth's identity headers and
 * the redirect's Location with its signed token.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { ContextType } from '../../../core/access/model.js';
import { signDeliveryToken, type DeliveryContextName } from '../../../core/delivery/token.js';
import type { DenialReason } from '../../../services/delivery/delivery-service.js';
import { forwardedTarget, type DeliveryTarget } from './urls.js';

/**
 * Door-level refusals on top of the service's reasons: a request we cannot read as a delivery
 * request, and redirect URLs on a server without a delivery origin.
 */
export type RefusalReason = DenialReason | 'bad_request' | 'unavailable';

/**
 * The redirect URLs' statuses. A rule that blocks is a 403 with its message, also when it is a
 * `not authenticated` rule and no KS was sent (`session_required`: the player shows the message,
 * as Kaltura's playManifest refuses such a request); 401 is kept for a KS that was sent and is not
 * valid (expired, revoked, forged, another partner's), which the player can fix by renewing it.
 */
const STATUS: Readonly<Record<RefusalReason, number>> = {
  blocked: 403,
  unscheduled: 403,
  partner_blocked: 403,
  entitlement: 403,
  session_required: 403,
  invalid_session: 401,
  not_found: 404,
  bad_request: 400,
  unavailable: 503,
};

/** The redirect door's status for a refusal. */
export function redirectStatus(reason: RefusalReason): number {
  return STATUS[reason];
}

/**
 * Forward-auth answers only 200, 401 or 403: 401 when a session is missing where a rule wants one
 * or is invalid ("a (valid) session would help"), 403 for everything else — nginx's auth_request
 * turns any other status into a 500 for the viewer, so an unknown entry or an unreadable URI is a
 * 403 there.
 */
export function forwardAuthStatus(reason: RefusalReason): number {
  return reason === 'session_required' || reason === 'invalid_session' ? 401 : 403;
}

export const CONTEXT_NAMES: Readonly<Record<number, DeliveryContextName>> = {
  [ContextType.PLAY]: 'play',
  [ContextType.DOWNLOAD]: 'download',
  [ContextType.THUMBNAIL]: 'thumbnail',
};

/**
 * Sends a refusal as JSON, its reason also in `X-Gatehouse-Reason` (readable without the body, as
 * on HEAD); never cached by browsers or proxies (the next request may be allowed). `extra` adds
 * headers (a 503's Retry-After, CORS on the delivery URLs).
 */
export function refuse(res: ServerResponse, status: number, reason: RefusalReason, message: string, code: string | null, extra?: Readonly<OutgoingHttpHeaders>): void {
  const body = code === null ? JSON.stringify({ status, reason, message }) : JSON.stringify({ status, reason, message, code });
  const headers: OutgoingHttpHeaders = { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-gatehouse-reason': reason, ...extra };
  // RFC 9110: a 401 names the scheme that would help; browsers do not prompt for an unknown one.
  if (status === 401) headers['www-authenticate'] = 'KS realm="gatehouse"';
  res.writeHead(status, headers).end(body);
}

const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * A header-safe form of a user id: as is when it is printable ASCII (the usual case: logins and
 * e-mails), else percent-encoded. A KS can carry any user id, and a control character would be
 * header injection (Node refuses those with an exception, which would turn an allow into a 500).
 */
export function headerSafe(value: string): string {
  return PRINTABLE.test(value) ? value : encodeURIComponent(value);
}

/** Forward-auth's 200: who and what was allowed, for the proxy to pass on to the origin. */
export function allowForwardAuth(res: ServerResponse, partnerId: number, entryId: string, userId: string, previewSeconds: number | null): void {
  // No cache-control: proxies do not cache auth subrequests unless told to (and are then told how
  // long); each header here is validated and written on every check.
  const headers: OutgoingHttpHeaders = { 'content-length': 0, 'x-gatehouse-partner': String(partnerId), 'x-gatehouse-entry': entryId };
  if (userId !== '') headers['x-gatehouse-user'] = headerSafe(userId);
  if (previewSeconds !== null) headers['x-gatehouse-preview'] = String(previewSeconds);
  res.writeHead(200, headers).end();
}

/**
 * The redirect to the origin; the Location holds a token for this viewer, so no shared cache may
 * keep it. `cors`: the shared CORS fragment (cors.ts), copied into the one headers object.
 */
export function redirect(res: ServerResponse, location: string, cors: Readonly<OutgoingHttpHeaders>): void {
  res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': 0, ...cors }).end();
}

export interface RedirectInput {
  origin: string;
  uri: string;
  target: DeliveryTarget;
  clientIp: string;
  previewSeconds: number | null;
  tokenKey: Buffer;
  expiresAt: number;
}

/**
 * The origin URL: origin + the original path and query without the KS, then `gh_preview` (a copy
 * for players; origins must enforce the signed `pv` instead) and `gh_token` last.
 */
export function redirectLocation(i: RedirectInput): string {
  const { path, query } = forwardedTarget(i.uri, i.target);
  const token = signDeliveryToken(i.tokenKey, {
    partnerId: i.target.partnerId,
    entryId: i.target.entryId,
    context: CONTEXT_NAMES[i.target.context] as DeliveryContextName,
    expiresAt: i.expiresAt,
    ip: i.clientIp,
    ...(i.previewSeconds === null ? {} : { previewSeconds: i.previewSeconds }),
  });
  const preview = i.previewSeconds === null ? '' : `gh_preview=${i.previewSeconds}&`;
  return `${i.origin}${path}?${query === '' ? '' : `${query}&`}${preview}gh_token=${token}`;
}
