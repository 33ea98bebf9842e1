/**
 * Step: which request a proxy asks /authz/delivery about. Each proxy says it its own way:
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
import type { IncomingMessage } from 'node:http';
import { HeaderPicker } from '../../pick-headers.js';

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
