/**
 * Multirequest plumbing (protocol §1.8): splitting the raw tree into sub-requests and resolving
 * `{N:result…}` placeholders against the results of earlier ones. Running each sub-request through
 * the normal pipeline is the dispatcher's job.
 */
import { E, fail } from '../../../../core/errors/index.js';
import { isApiException } from './errors.js';

/**
 * Sub-requests accepted in one multirequest. The Kaltura server has no such cap; we add one so a
 * single HTTP call cannot fan out into unbounded work. Exceeding it fails the whole call with
 * PROPERTY_VALIDATION_WRONG_FORMAT (PROP_NAME `multirequest`), the catalogue's closest match for
 * "your request is shaped wrongly" (MISSING_MANDATORY_PARAMETER would send callers looking for a
 * parameter they forgot).
 */
export const MAX_SUB_REQUESTS = 100;

/** Request-level parameters inherited by sub-requests that do not set their own. */
const INHERITED = ['ks', 'partnerId', 'clientTag'] as const;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The sub-requests of a multirequest, in execution order. Items are the numeric top-level keys,
 * starting at `0` when present (node client) and at `1` otherwise (PHP and the other clients);
 * the run stops at the first index that is missing or lacks `service` or `action`. Each item's
 * own `format` is dropped (the top-level one governs the response).
 */
export function splitMultiRequest(raw: Record<string, unknown>): Array<Record<string, unknown>> {
  const subs: Array<Record<string, unknown>> = [];
  for (let i = Object.hasOwn(raw, '0') ? 0 : 1; ; i++) {
    const item = own(raw, String(i));
    if (!isMap(item) || !isPresent(own(item, 'service')) || !isPresent(own(item, 'action'))) break;
    if (subs.length === MAX_SUB_REQUESTS) {
      throw fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: 'multirequest', FORMAT: `at most ${MAX_SUB_REQUESTS} requests` });
    }
    const sub = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(item)) if (key !== 'format' && !FORBIDDEN_KEYS.has(key)) sub[key] = item[key];
    for (const key of INHERITED) {
      const inherited = own(raw, key);
      if (own(sub, key) === undefined && inherited !== undefined) sub[key] = inherited;
    }
    subs.push(sub);
  }
  return subs;
}

/** `{N:result}` or `{N:result:a:b}`; N counts executed sub-requests from 1. */
const PLACEHOLDER = /\{(\d+):result((?::[^:{}]*)*)\}/;

/** Parameter nesting walked while resolving; params.ts already bounds trees well below this. */
const MAX_DEPTH = 128;

/**
 * Returns a copy of `sub` where every string value (at any depth) containing a placeholder has its
 * first placeholder replaced by the referenced value, as text. Paths walk object properties and
 * list indices; `_all` on a list yields the following attribute of every item, each followed by a
 * comma. Anything missing, non-scalar, or a failed result (an API exception) becomes ''.
 */
export function resolvePlaceholders(sub: Record<string, unknown>, results: readonly unknown[]): Record<string, unknown> {
  return resolveIn(sub, results, 0) as Record<string, unknown>;
}

function resolveIn(value: unknown, results: readonly unknown[], depth: number): unknown {
  if (typeof value === 'string') return resolveString(value, results);
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => resolveIn(v, results, depth + 1));
  const out = Object.getPrototypeOf(value) === null ? (Object.create(null) as Record<string, unknown>) : {};
  for (const key of Object.keys(value)) {
    if (!FORBIDDEN_KEYS.has(key)) out[key] = resolveIn((value as Record<string, unknown>)[key], results, depth + 1);
  }
  return out;
}

function resolveString(s: string, results: readonly unknown[]): string {
  const m = PLACEHOLDER.exec(s);
  if (!m) return s;
  const ordinal = Number(m[1]);
  const steps = m[2] ? m[2].slice(1).split(':') : [];
  const result = ordinal >= 1 && ordinal <= results.length ? results[ordinal - 1] : undefined;
  const text = isApiException(result) ? '' : walk(result, steps);
  return s.slice(0, m.index) + text + s.slice(m.index + m[0].length);
}

function walk(start: unknown, steps: readonly string[]): string {
  let cur = start;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as string;
    if (step === '_all' && Array.isArray(cur)) {
      const rest = steps.slice(i + 1);
      return cur.map((item) => `${walk(item, rest)},`).join('');
    }
    cur = stepInto(cur, step);
    if (cur === undefined) return '';
  }
  return asText(cur);
}

function stepInto(cur: unknown, step: string): unknown {
  if (Array.isArray(cur)) return /^(0|[1-9]\d*)$/.test(step) ? cur[Number(step)] : undefined;
  if (isMap(cur) && !FORBIDDEN_KEYS.has(step)) return own(cur, step);
  return undefined;
}

/** PHP's string cast for scalars (true → "1", false → ""); objects and lists give ''. */
function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '';
  return '';
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPresent(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
