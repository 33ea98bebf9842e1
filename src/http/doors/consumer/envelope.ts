/**
 * The Sunbird API envelope (protocol §1.1), in and out, and the consumer door's one error map.
 *
 * Out: `{id, ver, ets, params: {status, err, errmsg, msgid, resmsgid}, result}` as adminutil's
 * ResponseBuilder writes it: `status` "successful" or "failed", `err`/`errmsg` null on success,
 * `msgid` echoing the request's `params.msgid`, a fresh UUID `resmsgid`, `ets` in milliseconds.
 * In: `{id, ver, ets, params: {msgid}, request: {...}}`; only `params.msgid` and `request` are read.
 *
 * Errors: the HTTP status comes from the catalogue category. `err` is the catalogue code, except
 * that every validation failure is adminutil's `BAD_REQUEST` and every fault its `INTERNAL_ERROR`
 * with a generic message (no stack, nothing echoed from the request).
 */
import { randomUUID } from 'node:crypto';
import { E, fail, isGatehouseError, type ErrorCategory, type GatehouseError } from '../../../core/errors/index.js';

export const ACTIONS = {
  create: 'ekstep.api.am.adminutil.consumer.create',
  grant: 'ekstep.api.am.adminutil.consumer.grant',
  read: 'ekstep.api.am.adminutil.consumer.read',
  delete: 'ekstep.api.am.adminutil.consumer.delete',
  register: 'ekstep.api.am.adminutil.credential.register',
  deprecate: 'ekstep.api.am.adminutil.credential.deprecate',
  rotate: 'ekstep.api.am.adminutil.credential.rotate',
  unknown: 'ekstep.api.am.adminutil.unknown',
} as const;
export type Action = keyof typeof ACTIONS;

export interface Envelope {
  id: string;
  ver: '1.0';
  ets: number;
  params: { status: 'successful' | 'failed'; err: string | null; errmsg: string | null; msgid: string | null; resmsgid: string };
  result: Record<string, unknown>;
}

export interface SunbirdRequest {
  msgid: string | null;
  request: Record<string, unknown>;
}

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

/** Echoed back, so bounded: a client's msgid is an id, not a payload. */
const MSGID_MAX = 256;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a request body. An empty body is an empty request (read and delete need none); anything
 * else must be a JSON object whose `request`, when present, is an object. The msgid is returned
 * with a failure too, so the error envelope can echo it.
 */
export function parseRequest(body: Buffer | undefined): SunbirdRequest | { msgid: string | null; error: GatehouseError } {
  if (!body || body.length === 0) return { msgid: null, request: {} };
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    // Never the parser's message: it quotes the body.
    return { msgid: null, error: fail(E.BAD_REQUEST, { DETAIL: 'JSON IS NOT PARSABLE' }) };
  }
  if (!isObject(v)) return { msgid: null, error: fail(E.BAD_REQUEST, { DETAIL: 'THE BODY MUST BE A JSON OBJECT' }) };
  const msgid = isObject(v.params) && typeof v.params.msgid === 'string' ? v.params.msgid.slice(0, MSGID_MAX) : null;
  if (v.request !== undefined && !isObject(v.request)) return { msgid, error: fail(E.BAD_REQUEST, { DETAIL: 'REQUEST MUST BE AN OBJECT' }) };
  return { msgid, request: v.request ?? {} };
}

export function success(action: Action, msgid: string | null, result: Record<string, unknown>, nowMs: number): Envelope {
  return { id: ACTIONS[action], ver: '1.0', ets: nowMs, params: { status: 'successful', err: null, errmsg: null, msgid, resmsgid: randomUUID() }, result };
}

/** Framework errors (oversized or unreadable bodies) to catalogue errors; undefined for a fault. */
function clientError(err: unknown): GatehouseError | undefined {
  if (isGatehouseError(err)) return err;
  const e = err as { code?: unknown; statusCode?: unknown };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fail(E.BAD_REQUEST, { DETAIL: 'THE REQUEST BODY IS TOO LARGE' });
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return fail(E.BAD_REQUEST, { DETAIL: 'THE REQUEST COULD NOT BE READ' });
  return undefined;
}

/** The envelope and status of a failure; `fault` is true when it was not the client's doing (log it). */
export function failure(action: Action, msgid: string | null, err: unknown, nowMs: number): { status: number; body: Envelope; fault: boolean } {
  const known = clientError(err);
  const category: ErrorCategory = known ? known.def.category : 'internal';
  const wireErr = category === 'invalid_input' ? 'BAD_REQUEST' : category === 'internal' ? 'INTERNAL_ERROR' : known!.code;
  const errmsg = category === 'internal' ? 'UNABLE TO PROCESS THE REQUEST DUE TO AN INTERNAL ERROR' : known!.message;
  return {
    status: STATUS[category],
    fault: !known || category === 'internal',
    body: { id: ACTIONS[action], ver: '1.0', ets: nowMs, params: { status: 'failed', err: wireErr, errmsg, msgid, resmsgid: randomUUID() }, result: {} },
  };
}
