/**
 * Collects the raw parameter tree of one api_v3 request (protocol §1.2): JSON or form body, query
 * string and URL path pairs, merged "later wins, recursively" (path > query > body), with the flat
 * colon syntax (`filter:idEqual=5`) expanded into nesting and the `-` empty-array marker applied
 * (§1.5). The result is untrusted: every object in it has a null prototype and keys that could
 * reach a prototype (`__proto__`, `constructor`, `prototype`) are dropped while it is built.
 */
import { isUtf8 } from 'node:buffer';
import qs from 'qs';
import { E, fail } from '../../../../core/errors/index.js';

export interface RawRequest {
  /** The URL path after `/api_v3`, e.g. `/service/session/action/start/partnerId/5`, or ''. */
  readonly pathTail: string;
  /** The raw query string without `?`. */
  readonly query: string;
  readonly body: string | Buffer | undefined;
  readonly contentType: string | undefined;
}

/** A node of the raw tree: what PHP would hold as an array (list or associative). */
export type RawMap = Record<string, unknown>;

/** Deepest nesting accepted in a request; far above any real Kaltura object (≈8 levels). */
export const MAX_PARAM_DEPTH = 64;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** True for the keys we never copy, so no request can reach an object prototype. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** A PHP-array-like value: a plain/null-prototype object or a JS array. */
export function isContainer(v: unknown): v is RawMap | unknown[] {
  return typeof v === 'object' && v !== null && !Buffer.isBuffer(v);
}

export function newMap(): RawMap {
  return Object.create(null) as RawMap;
}

/**
 * Bounds taken from the brief and from PHP: `depth` covers multirequest items with nested objects
 * (`1[profile][rules][0][conditions][0][values][0][value]`); indices up to `arrayLimit` stay arrays,
 * larger ones become object keys (no sparse-array blow-up) and the decoder ksorts them anyway;
 * repeated plain keys keep the last value, as PHP does.
 */
const QS_OPTIONS: qs.IParseOptions = {
  depth: 20,
  parameterLimit: 10_000,
  arrayLimit: 1000,
  allowSparse: false,
  duplicates: 'last',
  plainObjects: true,
  allowDots: false,
  charset: 'utf-8',
  decoder: (str) => percentDecode(str, true),
};

/** Merges body, query and path parameters into one raw tree (see the module comment). */
export function collectParams(input: RawRequest): RawMap {
  return simpleJsonCall(input) ?? collectParamsGeneral(input);
}

/**
 * The general path of collectParams, for every request shape. collectParams tries a shortcut
 * first and must answer exactly what this answers (a property test compares the two).
 */
export function collectParamsGeneral(input: RawRequest): RawMap {
  const body = readBody(input.body, input.contentType);
  const query = input.query ? expand(qs.parse(input.query, { ...QS_OPTIONS, ignoreQueryPrefix: true }), 0) : newMap();
  const path = pathPairs(input.pathTail);
  const merged = mergeInto(mergeInto(body, query), path);
  return applyDashMarker(merged, 0) as RawMap;
}

/** `/service/X/action/Y` with nothing else: plain names, so percent-decoding cannot change them. */
const SIMPLE_PATH = /^\/service\/([A-Za-z0-9_]+)\/action\/([A-Za-z0-9_]+)\/?$/;
/** Nesting the shortcut copies; deeper bodies take the general path (which bounds them itself). */
const SIMPLE_DEPTH = 16;
/** Returned by simpleTree when the body needs the general path. */
const NOT_SIMPLE = Symbol('not simple');

/**
 * The common call — a JSON body (content type exactly `application/json`), no query string and a
 * path holding just service and action — in one JSON.parse and one copying walk, instead of
 * building and merging three trees (it was a tenth of a `session.get`'s cost). It declines
 * (undefined) whenever the general rules could do anything but copy: colon keys, `-` markers,
 * prototype keys, `__null` suffixes, deep nesting, a body that is not one JSON object. The copy
 * still has null prototypes throughout, as the module comment promises, and the path's service
 * and action win over the body's, as "path > body" says.
 */
function simpleJsonCall(input: RawRequest): RawMap | undefined {
  const { body } = input;
  if (input.query !== '' || input.contentType !== 'application/json' || body === undefined || body.length === 0) return undefined;
  const path = SIMPLE_PATH.exec(input.pathTail);
  if (!path) return undefined;
  const text = (typeof body === 'string' ? body : decodeUtf8Lenient(body)).trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const out = simpleTree(parsed, 0);
  if (out === NOT_SIMPLE || !isContainer(out) || Array.isArray(out)) return undefined;
  out.service = path[1];
  out.action = path[2];
  return out;
}

/** A null-prototype copy of a parsed JSON value, or NOT_SIMPLE when a general rule would apply. */
function simpleTree(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > SIMPLE_DEPTH) return NOT_SIMPLE;
  if (Array.isArray(value)) {
    const list: unknown[] = [];
    for (const item of value) {
      const copy = simpleTree(item, depth + 1);
      if (copy === NOT_SIMPLE) return NOT_SIMPLE;
      list.push(copy);
    }
    return list;
  }
  const out = newMap();
  for (const key of Object.keys(value)) {
    if (key.includes(':') || key === '-' || isForbiddenKey(key) || key.endsWith('__null')) return NOT_SIMPLE;
    const copy = simpleTree((value as RawMap)[key], depth + 1);
    if (copy === NOT_SIMPLE) return NOT_SIMPLE;
    out[key] = copy;
  }
  return out;
}

function readBody(body: string | Buffer | undefined, contentType: string | undefined): RawMap {
  if (body === undefined || body.length === 0) return newMap();
  const type = (contentType ?? '').trim().toLowerCase();
  const text = typeof body === 'string' ? body : decodeUtf8Lenient(body);
  if (type === 'application/json') {
    const trimmed = text.trim();
    if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return newMap();
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      // PHP's json_decode yields null for a malformed body and the call goes on without body
      // parameters; we do the same, so the caller sees MISSING_MANDATORY_PARAMETER, never a 500.
      return newMap();
    }
    return isContainer(parsed) && !Array.isArray(parsed) ? (expand(parsed, 0) as RawMap) : newMap();
  }
  // PHP only fills $_POST for form bodies; JSON with a `; charset` suffix, text/plain and the
  // like are ignored. A missing type is read as a form, which is what curl-style callers mean.
  // Multipart (uploads, and its `json` field) is not supported yet and is ignored.
  if (type === '' || type.startsWith('application/x-www-form-urlencoded')) {
    return expand(qs.parse(text, QS_OPTIONS), 0) as RawMap;
  }
  return newMap();
}

/**
 * `/service/X/action/Y/k/v…` (optionally behind `/index.php`) read as key/value pairs; a trailing
 * key without a value is ignored. `/service/multirequest` thus gives `service=multirequest`.
 */
function pathPairs(pathTail: string): RawMap {
  const segments = pathTail.split('/').filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
  if (segments[0]?.toLowerCase() === 'index.php') segments.shift();
  const flat = newMap();
  for (let i = 0; i + 1 < segments.length; i += 2) {
    const key = percentDecode(segments[i] ?? '', false);
    if (key !== '' && !isForbiddenKey(key)) flat[key] = percentDecode(segments[i + 1] ?? '', false);
  }
  return expand(flat, 0) as RawMap;
}

/**
 * Rebuilds a parsed tree into null-prototype maps, dropping prototype keys and expanding colon
 * keys (`a:b:c`) at every level. Plain keys are placed first and colon keys merged over them, so
 * `filter:idEqual` wins over `filter[idEqual]` sent in the same source. Too deep a tree is refused
 * here, before any recursive step downstream could overflow the stack.
 */
function expand(value: unknown, depth: number): unknown {
  if (!isContainer(value)) return value;
  if (depth > MAX_PARAM_DEPTH) throw tooDeep();
  if (Array.isArray(value)) {
    if (!value.some((v) => isContainer(v))) return value.slice();
    return value.map((v) => expand(v, depth + 1));
  }
  const out = newMap();
  const colonKeys: string[] = [];
  for (const key of Object.keys(value)) {
    if (isForbiddenKey(key)) continue;
    if (key.includes(':')) colonKeys.push(key);
    else out[key] = expand(value[key], depth + 1);
  }
  for (const key of colonKeys) {
    const path = key.split(':');
    // A key with an empty or forbidden step has no meaningful target; drop it whole.
    if (path.some((step) => step === '' || isForbiddenKey(step))) continue;
    if (depth + path.length > MAX_PARAM_DEPTH) throw tooDeep();
    setPath(out, path, expand(value[key], depth + path.length));
  }
  return out;
}

function setPath(root: RawMap, path: readonly string[], value: unknown): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i] as string;
    const next = node[step];
    const child = isContainer(next) ? toMap(next) : newMap();
    node[step] = child;
    node = child;
  }
  const last = path[path.length - 1] as string;
  node[last] = isContainer(node[last]) && isContainer(value) ? mergeInto(node[last], value) : value;
}

function toMap(v: RawMap | unknown[]): RawMap {
  if (!Array.isArray(v)) return v;
  const map = newMap();
  v.forEach((item, i) => (map[String(i)] = item));
  return map;
}

/**
 * "Later wins, recursively": two containers merge key by key (two lists stay a list), anything
 * else is replaced by the later value. Inputs are already-expanded trees of bounded depth.
 */
function mergeInto(target: unknown, source: unknown): unknown {
  if (!isContainer(target) || !isContainer(source)) return source;
  if (Array.isArray(target) && Array.isArray(source)) {
    const out = target.slice();
    source.forEach((v, i) => (out[i] = i < target.length ? mergeInto(target[i], v) : v));
    return out;
  }
  const out = toMap(Array.isArray(target) ? target : Object.assign(newMap(), target));
  const src = toMap(source);
  for (const key of Object.keys(src)) {
    out[key] = Object.hasOwn(out, key) ? mergeInto(out[key], src[key]) : src[key];
  }
  return out;
}

/**
 * A container holding the key `-` means "empty list" (§1.5): flat `rules:-=` and bracket
 * `rules[-]=` both arrive as `{ '-': '' }` and become `[]`. PHP ksorts `-` before any index, so
 * items sent next to the marker are dropped as well.
 */
function applyDashMarker(value: unknown, depth: number): unknown {
  if (!isContainer(value) || depth > MAX_PARAM_DEPTH * 2) return value;
  if (Array.isArray(value)) return value.map((v) => applyDashMarker(v, depth + 1));
  if (Object.hasOwn(value, '-') && depth > 0) return [];
  for (const key of Object.keys(value)) value[key] = applyDashMarker(value[key], depth + 1);
  return value;
}

function tooDeep() {
  return fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: 'params', FORMAT: `nesting depth <= ${MAX_PARAM_DEPTH}` });
}

/**
 * Percent-decoding as PHP does it: `+` is a space in forms (not in paths), a `%` not followed by
 * two hex digits stays literal, and bytes that do not form valid UTF-8 are dropped (PHP strips
 * them later; a JS string cannot hold them at all).
 */
function percentDecode(str: string, plusIsSpace: boolean): string {
  const s = plusIsSpace ? str.replace(/\+/g, ' ') : str;
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    // fall through: a stray `%` or an escaped byte sequence that is not UTF-8
  }
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const hex = s.slice(i + 1, i + 3);
    if (s[i] === '%' && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      const cp = s.codePointAt(i) as number;
      for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
      if (cp > 0xffff) i++;
    }
  }
  return decodeUtf8Lenient(Buffer.from(bytes));
}

/** Decodes UTF-8, dropping every byte that is not part of a well-formed sequence. */
export function decodeUtf8Lenient(buf: Buffer): string {
  if (isUtf8(buf)) return buf.toString('utf8');
  let out = '';
  let start = 0;
  let i = 0;
  while (i < buf.length) {
    const n = sequenceLength(buf, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += buf.subarray(start, i).toString('utf8');
    i += 1;
    start = i;
  }
  return out + buf.subarray(start).toString('utf8');
}

/** Length of the well-formed UTF-8 sequence at `i`, or 0 (RFC 3629 table 3-7). */
function sequenceLength(buf: Buffer, i: number): number {
  const b0 = buf[i] as number;
  if (b0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = buf[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}
