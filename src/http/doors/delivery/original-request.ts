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

/** The forward-auth path; Envoy appends the original path to it. */
export const FORWARD_AUTH_PATH = '/authz/delivery';

export interface OriginalRequest {
  /** Raw path and query of the original request. */
  uri: string;
  method: string;
  /** Which proxy convention carried it (logs). */
  via: 'nginx' | 'traefik' | 'envoy' | 'query';
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The original request, or 'conflict' when the sources disagree. */
export function originalRequest(req: IncomingMessage): OriginalRequest | 'conflict' {
  const url = req.url ?? '';
  const envoy = url.length > FORWARD_AUTH_PATH.length && url.charCodeAt(FORWARD_AUTH_PATH.length) === 47 /* / */ ? url.slice(FORWARD_AUTH_PATH.length) : undefined;
  const nginx = header(req, 'x-original-uri');
  const traefik = header(req, 'x-forwarded-uri');
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
  const method = header(req, 'x-original-method') ?? header(req, 'x-forwarded-method') ?? req.method ?? 'GET';
  return { uri: uri ?? url, method, via };
}
