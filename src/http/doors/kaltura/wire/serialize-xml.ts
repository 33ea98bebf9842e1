/**
 * The XML response format (`format=2`, the server's default; protocol §1.6). Objects print their
 * `objectType` first and then every declared property of the registered class in wire order (an
 * empty element for null unless `ignoreNull`), arrays print `<item>`s, maps `<item><itemKey>`,
 * booleans 1/0, and API exceptions the `<error>` block.
 */
import { allProps, getClass } from './types.js';

export interface XmlOptions {
  /** Seconds spent on the request, printed in `<executionTime>`. */
  readonly executionTime: number;
  /** `ignoreNull=1`: omit null properties instead of printing empty elements. */
  readonly ignoreNull: boolean;
  /** The result is the list of a multirequest's results, one `<item>` each. */
  readonly multi?: boolean;
}

/** Characters XML 1.0 cannot carry (and lone surrogates, which are not characters at all). */
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const XML_ILLEGAL_ALL = new RegExp(XML_ILLEGAL.source, 'gu');

/** True when `s` holds a character that no XML 1.0 document may contain. */
export function hasXmlIllegalChar(s: string): boolean {
  return XML_ILLEGAL.test(s);
}

/** Object nesting printed before giving up; results are ours, so this only guards against cycles. */
const MAX_DEPTH = 64;

/** Serializes one result (or a multirequest's result list) into the full XML document. */
export function toXml(result: unknown, opts: XmlOptions): string {
  const body = opts.multi && Array.isArray(result) ? writeList(result, opts, 0) : writeValue(result, opts, 0);
  return `<?xml version="1.0" encoding="utf-8"?><xml><result>${body}</result><executionTime>${formatNumber(opts.executionTime)}</executionTime></xml>`;
}

function writeValue(v: unknown, opts: XmlOptions, depth: number): string {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'boolean':
      return v ? '1' : '0';
    case 'number':
      return formatNumber(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return escapeText(v);
    case 'object':
      if (depth >= MAX_DEPTH) return '';
      if (Array.isArray(v)) return writeList(v, opts, depth);
      return writeObject(v as Record<string, unknown>, opts, depth);
    default:
      return '';
  }
}

function writeList(list: readonly unknown[], opts: XmlOptions, depth: number): string {
  let out = '';
  for (const item of list) out += `<item>${writeValue(item, opts, depth + 1)}</item>`;
  return out;
}

function writeObject(obj: Record<string, unknown>, opts: XmlOptions, depth: number): string {
  const objectType = obj.objectType;
  if (typeof objectType !== 'string') return writeMap(obj, opts, depth);
  if (objectType === 'KalturaAPIException') return writeError(obj);
  const cls = getClass(objectType);
  let out = `<objectType>${escapeText(objectType)}</objectType>`;
  const declared = new Set<string>(['objectType']);
  if (cls) {
    for (const prop of allProps(cls)) {
      declared.add(prop.name);
      if (prop.writeOnly) continue;
      out += element(prop.name, own(obj, prop.name), opts, depth);
    }
  }
  // Properties the class does not declare (or every property, for an unregistered class).
  for (const key of Object.keys(obj)) {
    if (declared.has(key) || obj[key] === undefined || !isElementName(key)) continue;
    out += element(key, obj[key], opts, depth);
  }
  return out;
}

function element(name: string, value: unknown, opts: XmlOptions, depth: number): string {
  if (value === null || value === undefined) return opts.ignoreNull ? '' : `<${name}></${name}>`;
  return `<${name}>${writeValue(value, opts, depth + 1)}</${name}>`;
}

/** An associative array (no objectType): `<item><itemKey>k</itemKey>value</item>` per entry. */
function writeMap(obj: Record<string, unknown>, opts: XmlOptions, depth: number): string {
  let out = '';
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined) continue;
    out += `<item><itemKey>${escapeText(key)}</itemKey>${writeValue(value, opts, depth + 1)}</item>`;
  }
  return out;
}

function writeError(err: Record<string, unknown>): string {
  let args = '';
  const raw = err.args;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      args += `<item><objectType>KalturaApiExceptionArg</objectType><name>${escapeText(name)}</name><value>${escapeText(String(value ?? ''))}</value></item>`;
    }
  }
  return (
    `<error><code>${escapeText(String(err.code ?? ''))}</code><message>${escapeText(String(err.message ?? ''))}</message>` +
    `<objectType>KalturaAPIException</objectType><args>${args}</args></error>`
  );
}

/**
 * Text content escaping. Characters XML cannot carry are dropped rather than emitted, so the
 * document always parses, whatever a stored value contains.
 */
export function escapeText(s: string): string {
  return s.replace(XML_ILLEGAL_ALL, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function formatNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : '';
}

/** Only names that are valid XML element names are printed as elements. */
function isElementName(key: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key);
}

function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}
