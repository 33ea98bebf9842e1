/**
 * The REST door's one error map: catalogue errors (and the framework's own request errors) to
 * RFC 9457 `application/problem+json`. Statuses come from the error's category; `code` is the
 * catalogue code, so clients branch on data, never on message text. Nothing but the catalogue's
 * public text reaches the body: no stack, no echo of the request (a JSON parse error would quote
 * the body, password included).
 */
import type { FastifyReply } from 'fastify';
import { E, fail, isGatehouseError, type ErrorCategory, type ErrorCode, type GatehouseError } from '../../../core/errors/index.js';

export const PROBLEM_TYPE = 'application/problem+json';
/** A 503's Retry-After: a database restart or failover takes seconds. */
const RETRY_AFTER_SEC = '5';

const STATUS: Record<ErrorCategory, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The few codes whose HTTP status is more specific than their category's. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  REQUEST_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  // A wrong current password (POST /api/me/password) comes with a valid token: a 401 would read
  // as "your session ended" and sign the person out.
  WRONG_OLD_PASSWORD: 403,
};

const TITLE: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
}

export function statusOf(err: GatehouseError): number {
  return STATUS_BY_CODE[err.code] ?? STATUS[err.def.category];
}

export function problemOf(err: GatehouseError): Problem {
  const status = statusOf(err);
  return { type: `urn:gatehouse:error:${err.code}`, title: TITLE[status] ?? 'Error', status, detail: err.message, code: err.code };
}

export function sendProblem(reply: FastifyReply, err: GatehouseError): FastifyReply {
  const problem = problemOf(err);
  // RFC 9110: a 401 names the scheme to use.
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="gatehouse"');
  // The database is away (a restart, a failover): worth retrying soon, never worth caching.
  if (problem.status === 503) reply.header('retry-after', RETRY_AFTER_SEC).header('cache-control', 'no-store');
  // A throttle (429) says when the caller may try again (RFC 9110 §10.2.3).
  if (problem.status === 429 && err.args.RETRY_AFTER !== undefined) reply.header('retry-after', err.args.RETRY_AFTER);
  return reply.code(problem.status).type(PROBLEM_TYPE).send(JSON.stringify(problem));
}

/**
 * Framework errors to catalogue errors: schema validation, unreadable or oversized bodies.
 * Returns undefined for a fault (anything that is not the client's doing).
 */
export function clientErrorOf(err: unknown, bodyLimit: number): GatehouseError | undefined {
  if (isGatehouseError(err)) return err;
  const e = err as { code?: unknown; statusCode?: unknown; validation?: unknown; message?: unknown; name?: unknown };
  // Schema messages name the field and the rule, never the value.
  if (e.validation) return fail(E.INVALID_REQUEST, { DETAIL: String(e.message) });
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fail(E.REQUEST_TOO_LARGE, { MAX_LEN: bodyLimit });
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return fail(E.UNSUPPORTED_MEDIA_TYPE);
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return fail(E.INVALID_REQUEST, { DETAIL: 'the JSON body is empty' });
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.name === 'SyntaxError') return fail(E.INVALID_REQUEST, { DETAIL: 'the body is not valid JSON' });
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return fail(E.INVALID_REQUEST, { DETAIL: 'the request could not be read' });
  return undefined;
}
