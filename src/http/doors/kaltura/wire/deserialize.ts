/**
 * Turns the raw parameter tree (params.ts) into typed action arguments, following the Kaltura
 * request deserializer's rules (protocol §1.5): PHP-style scalar casts, loose int enums, exact
 * string enums, relative times, `objectType` honoured only for subclasses, ksorted arrays and
 * `foo__null` clears. Every refusal is a catalogue error; nothing here can throw anything else.
 */
import { E, fail } from '../../../../core/errors/index.js';
import type { KObject, ParamDef, TypeRef, ClassDef } from './types.js';
import { allProps, getClass, isSubclass } from './types.js';
import { hasXmlIllegalChar } from './serialize-xml.js';

export interface DecodeContext {
  /** "Now" in unix seconds, the base of relative times. */
  readonly nowSec: number;
}

/** Object nesting accepted inside one value; deeper input is refused, not recursed into. */
export const MAX_OBJECT_DEPTH = 32;

/** `max_relative_time` of the Kaltura server: ten years, in seconds. */
export const MAX_RELATIVE_TIME = 315_360_000;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Decodes the declared parameters of one action. Undeclared raw keys (`ks`, `format`, …) are
 * ignored; an explicit JSON `null` counts as absent, as PHP's `isset` does.
 */
export function decodeParams(raw: Record<string, unknown>, params: readonly ParamDef[], ctx: DecodeContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of params) {
    const value = own(raw, p.name);
    if (value === undefined || value === null) {
      if (!p.optional) throw fail(E.MISSING_MANDATORY_PARAMETER, { PARAM_NAME: p.name });
      out[p.name] = defaultFor(p);
    } else {
      out[p.name] = decode(value, p.type, p.name, ctx, 0);
    }
  }
  return out;
}

/** Decodes one value against a declared type; `name` is the param or property reported in errors. */
export function decodeValue(raw: unknown, type: TypeRef, name: string, ctx: DecodeContext): unknown {
  return decode(raw, type, name, ctx, 0);
}

/**
 * Checks a decoded object against its class's access marks before add/update (§1.5 "Property
 * validation"). PROP_NAME is `<concrete class>::<prop>`, the class the caller sent (the decoded
 * `objectType`), because that is what the server prints (it formats with `get_class($this)`).
 * On update a readonly/insert-only value is accepted when it equals the stored one, so clients
 * may send back what `get` returned; without `current` every locked value sent counts as a change.
 * Values compare loosely, as PHP would (`5` equals `"5"`, `true` equals `1`).
 */
export function assertWritable(obj: KObject, mode: 'insert' | 'update', current?: Record<string, unknown>): void {
  const cls = getClass(obj.objectType);
  if (!cls) return;
  for (const prop of allProps(cls)) {
    const locked = mode === 'insert' ? prop.readonly : prop.readonly || prop.insertOnly;
    const value = Object.hasOwn(obj, prop.name) ? obj[prop.name] : undefined;
    if (!locked || value === undefined) continue;
    if (mode === 'insert' ? value === null || value === undefined : sameValue(value, current?.[prop.name], current !== undefined)) continue;
    throw fail(E.PROPERTY_VALIDATION_NOT_UPDATABLE, { PROP_NAME: `${cls.name}::${prop.name}` });
  }
}

function decode(raw: unknown, type: TypeRef, name: string, ctx: DecodeContext, depth: number): unknown {
  switch (type.kind) {
    case 'object':
      return decodeObject(raw, type.cls, name, ctx, depth);
    case 'array':
      return decodeArray(raw, type.of, name, ctx, depth);
    case 'map':
      return decodeMap(raw, type.of, name, ctx, depth);
    default:
      if (typeof raw === 'object' && raw !== null) throw wrongFormat(name, type.kind);
      return decodeScalar(raw, type, name, ctx);
  }
}

function decodeScalar(raw: unknown, type: TypeRef, name: string, ctx: DecodeContext): unknown {
  switch (type.kind) {
    case 'int':
    case 'bigint':
      return phpInt(raw);
    case 'float':
      return phpFloat(raw);
    case 'bool':
      return phpBool(raw);
    case 'time':
      return relativeTime(phpInt(raw), ctx.nowSec);
    case 'intEnum': {
      const hit = looseIntEnum(raw, type.values);
      if (hit === undefined) throw invalidEnum(raw, name, type.enum);
      return hit;
    }
    case 'stringEnum': {
      const s = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
      if (s === undefined || !type.values.includes(s)) throw invalidEnum(raw, name, type.enum);
      return s;
    }
    default:
      return decodeString(raw, name);
  }
}

function decodeObject(raw: unknown, clsName: string, name: string, ctx: DecodeContext, depth: number): KObject {
  if (typeof raw !== 'object' || raw === null) throw wrongFormat(name, clsName);
  if (depth >= MAX_OBJECT_DEPTH) throw wrongFormat(name, `nesting depth <= ${MAX_OBJECT_DEPTH}`);
  const declared = getClass(clsName);
  // A parameter table naming an unregistered class is our bug, not the caller's.
  if (!declared) throw fail(E.INTERNAL_SERVERL_ERROR);
  const fields = raw as Record<string, unknown>;
  const cls = concreteClass(own(fields, 'objectType'), declared);
  if (cls.abstract) throw fail(E.OBJECT_TYPE_ABSTRACT, { OBJ_TYPE: cls.name });
  const out: Record<string, unknown> = {};
  for (const prop of allProps(cls)) {
    const kind = prop.type.kind;
    const cleared = own(fields, `${prop.name}__null`);
    if (cleared !== undefined && cleared !== null && kind !== 'array' && kind !== 'map') {
      out[prop.name] = null;
      continue;
    }
    const value = own(fields, prop.name);
    if (value === undefined || value === null) continue;
    out[prop.name] = decode(value, prop.type, prop.name, ctx, depth + 1);
  }
  out.objectType = cls.name;
  return out as KObject;
}

/** `objectType` is honoured only when it names the declared class or one of its subclasses. */
function concreteClass(objectType: unknown, declared: ClassDef): ClassDef {
  if (typeof objectType !== 'string' || objectType === '') return declared;
  const named = getClass(objectType);
  return named && isSubclass(named, declared) ? named : declared;
}

function decodeArray(raw: unknown, itemCls: string, name: string, ctx: DecodeContext, depth: number): KObject[] {
  const items = orderedItems(raw, name, `array of ${itemCls}`, depth);
  const out: KObject[] = [];
  // A null item (what a node client's null-dropping replacer leaves in a list) is skipped.
  for (const [, item] of items) if (item !== null && item !== undefined) out.push(decodeObject(item, itemCls, name, ctx, depth + 1));
  return out;
}

function decodeMap(raw: unknown, itemCls: string, name: string, ctx: DecodeContext, depth: number): Record<string, KObject> {
  if (typeof raw !== 'object' || raw === null) throw wrongFormat(name, `map of ${itemCls}`);
  if (depth >= MAX_OBJECT_DEPTH) throw wrongFormat(name, `nesting depth <= ${MAX_OBJECT_DEPTH}`);
  const out: Record<string, KObject> = {};
  if (Object.hasOwn(raw, '-')) return out;
  for (const [key, item] of Object.entries(raw as Record<string, unknown>)) {
    if (FORBIDDEN_KEYS.has(key) || item === null || item === undefined) continue;
    out[key] = decodeObject(item, itemCls, name, ctx, depth + 1);
  }
  return out;
}

/**
 * List items in PHP `ksort` order: a JSON array as sent; an object's integer keys ascending, then
 * any other keys in string order. The `-` marker empties the list (params.ts normally did that).
 */
function orderedItems(raw: unknown, name: string, format: string, depth: number): Array<[string, unknown]> {
  if (typeof raw !== 'object' || raw === null) throw wrongFormat(name, format);
  if (depth >= MAX_OBJECT_DEPTH) throw wrongFormat(name, `nesting depth <= ${MAX_OBJECT_DEPTH}`);
  if (Array.isArray(raw)) return raw.map((v, i) => [String(i), v]);
  if (Object.hasOwn(raw, '-')) return [];
  const entries = Object.entries(raw as Record<string, unknown>).filter(([k]) => !FORBIDDEN_KEYS.has(k));
  const isInt = (k: string): boolean => /^-?(0|[1-9]\d*)$/.test(k);
  return entries.sort(([a], [b]) => {
    const ai = isInt(a);
    const bi = isInt(b);
    if (ai && bi) return Number(a) - Number(b);
    if (ai !== bi) return ai ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * Strings: numbers and booleans take PHP's string cast; lone surrogates (what invalid UTF-8 turns
 * into once it is JS text) are stripped; characters XML 1.0 cannot carry are refused, because the
 * value may be echoed in an XML response or stored and served to other clients later.
 */
function decodeString(raw: unknown, name: string): string {
  let s: string;
  if (typeof raw === 'string') s = raw;
  else if (typeof raw === 'boolean') s = raw ? '1' : '';
  else if (typeof raw === 'number' || typeof raw === 'bigint') s = String(raw);
  else s = '';
  s = s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
  if (hasXmlIllegalChar(s)) throw fail(E.INVALID_PARAMETER_CHAR, { XML_FIELD: name });
  return s;
}

/** The default of an omitted optional parameter, cast to its type (§1.5: null → 0 / '' / false). */
function defaultFor(p: ParamDef): unknown {
  const d = p.default ?? null;
  switch (p.type.kind) {
    case 'object':
    case 'array':
    case 'map':
      return null;
    case 'int':
    case 'bigint':
    case 'time':
    case 'intEnum':
      return phpInt(d);
    case 'float':
      return phpFloat(d);
    case 'bool':
      return phpBool(d);
    default:
      return d === null ? '' : typeof d === 'boolean' ? (d ? '1' : '') : String(d);
  }
}

const LEADING_NUMBER = /^[ \t\n\r\v\f]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/;
const NUMERIC_STRING = /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

/** PHP's `(float)`: the leading numeric prefix of a string, 0 when there is none. */
export function phpFloat(raw: unknown): number {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'boolean') n = raw ? 1 : 0;
  else if (typeof raw === 'string') n = Number(LEADING_NUMBER.exec(raw)?.[1] ?? 0);
  else if (typeof raw === 'bigint') n = Number(raw);
  else n = 0;
  return Number.isNaN(n) ? 0 : n;
}

/** PHP's `(int)` ("12abc" → 12, "abc" → 0, 1.9 → 1), clamped to the JS safe-integer range. */
export function phpInt(raw: unknown): number {
  const n = Math.trunc(phpFloat(raw));
  if (n > Number.MAX_SAFE_INTEGER) return Number.MAX_SAFE_INTEGER;
  if (n < -Number.MAX_SAFE_INTEGER) return -Number.MAX_SAFE_INTEGER;
  return n === 0 ? 0 : n; // no -0
}

/** Kaltura's bool: "false" in any case is false, otherwise PHP truthiness ("0" and "" are false). */
export function phpBool(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') return raw !== 0;
  if (typeof raw === 'string') return raw !== '' && raw !== '0' && raw.toLowerCase() !== 'false';
  return Boolean(raw);
}

/** Small magnitudes are offsets from now (§1.5); 0 and -1 ("remove date") are kept. */
function relativeTime(v: number, nowSec: number): number {
  return v !== 0 && v !== -1 && Math.abs(v) <= MAX_RELATIVE_TIME ? nowSec + v : v;
}

/** PHP 8 loose `==` against int constants; "true"/"false" stand for 1/0. Returns the constant. */
function looseIntEnum(raw: unknown, values: readonly number[]): number | undefined {
  let n: number | undefined;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'boolean') n = raw ? 1 : 0;
  else if (typeof raw === 'string') {
    const lower = raw.toLowerCase();
    if (lower === 'true') n = 1;
    else if (lower === 'false') n = 0;
    else if (NUMERIC_STRING.test(raw)) n = Number(raw.trim());
  }
  return n !== undefined && values.includes(n) ? n : undefined;
}

function sameValue(sent: unknown, stored: unknown, haveStored: boolean): boolean {
  if (!haveStored) return false;
  const norm = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : v ?? null);
  const a = norm(sent);
  const b = norm(stored);
  if (a === null || b === null) return a === b;
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  return String(a) === String(b);
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function wrongFormat(name: string, format: string) {
  return fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: name, FORMAT: format });
}

/** The echoed value is cut at 200 characters so a huge bogus value is not mirrored back whole. */
function invalidEnum(raw: unknown, name: string, enumType: string) {
  return fail(E.INVALID_ENUM_VALUE, { ENUM_VAL: String(raw).slice(0, 200), PARAM_NAME: name, ENUM_TYPE: enumType });
}
