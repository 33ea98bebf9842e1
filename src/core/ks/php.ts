/**
 * The PHP string functions the KS format is defined by (Kaltura's server writes KS fields with
 * urlencode and reads them with parse_str): byte-exact urlencode/urldecode, parse_str's key
 * rules, its integer parsing, and a strict base64 shape check.
 */
/** Bytes PHP's urlencode leaves alone: [A-Za-z0-9._-]. */
const URL_SAFE = new Uint8Array(256);
for (let c = 0; c < 128; c++) URL_SAFE[c] = /[A-Za-z0-9._-]/.test(String.fromCharCode(c)) ? 1 : 0;
const HEX_UPPER = '0123456789ABCDEF';

/** PHP `urlencode` over the UTF-8 bytes: space → `+`, unsafe bytes → `%XX` (upper-case). */
export function phpUrlencode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (URL_SAFE[b] === 1) out += String.fromCharCode(b);
    else if (b === 0x20) out += '+';
    else out += '%' + HEX_UPPER[b >> 4] + HEX_UPPER[b & 15];
  }
  return out;
}

/**
 * PHP `urldecode`: `+` → space, `%XX` → byte, a `%` without two hex digits stays literal; the
 * bytes are then read as UTF-8. Works on char codes while everything is ASCII (`%2A`, `%40`…, the
 * common case on the hot path) and switches to a byte buffer only when it meets non-ASCII.
 */
export function phpUrldecode(s: string): string {
  if (s.indexOf('%') < 0) return s.indexOf('+') < 0 ? s : s.replaceAll('+', ' ');
  let ascii = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const byte = c === 0x25 && i + 2 < s.length ? escapedByte(s.charCodeAt(i + 1), s.charCodeAt(i + 2)) : -1;
    if (byte >= 0x80 || c > 0x7f) return urldecodeBytes(Buffer.from(s, 'utf8'));
    if (byte >= 0) i += 2;
    ascii += byte >= 0 ? String.fromCharCode(byte) : c === 0x2b ? ' ' : String.fromCharCode(c);
  }
  return ascii;
}

function urldecodeBytes(src: Buffer): string {
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i] as number;
    const byte = b === 0x25 && i + 2 < src.length ? escapedByte(src[i + 1] as number, src[i + 2] as number) : -1;
    if (byte >= 0) i += 2;
    out[n++] = byte >= 0 ? byte : b === 0x2b ? 0x20 : b;
  }
  return out.toString('utf8', 0, n);
}

/** Hex digit values by char code, -1 for anything else. */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let d = 0; d < 16; d++) HEX_VALUE[HEX_UPPER.charCodeAt(d)] = HEX_VALUE[HEX_UPPER.toLowerCase().charCodeAt(d)] = d;

/** The byte of `%XY` given the char codes of X and Y, or -1 when either is not a hex digit. */
function escapedByte(x: number, y: number): number {
  const hi = x < 128 ? (HEX_VALUE[x] as number) : -1;
  const lo = y < 128 ? (HEX_VALUE[y] as number) : -1;
  return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
}

/** parse_str's key mangling: leading spaces dropped, then `.` and space become `_`. */
export function phpKey(k: string): string {
  if (k.indexOf(' ') < 0 && k.indexOf('.') < 0) return k;
  let i = 0;
  while (i < k.length && k.charCodeAt(i) === 0x20) i++;
  return k.slice(i).replaceAll(' ', '_').replaceAll('.', '_');
}

/**
 * Decimal integer from a string, or null. `canonical` refuses leading zeros, `-0` and empty,
 * so that one partner id has exactly one spelling in the clear KS header.
 */
export function parseInteger(s: string, canonical: boolean): number | null {
  const neg = s.charCodeAt(0) === 0x2d;
  const start = neg ? 1 : 0;
  const len = s.length - start;
  if (len < 1 || len > 16) return null;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  if (canonical && s.charCodeAt(start) === 48 && (len > 1 || neg)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** 1 for characters of standard or url-safe base64. */
const B64 = new Uint8Array(128);
for (let c = 0; c < 128; c++) B64[c] = /[A-Za-z0-9+/_-]/.test(String.fromCharCode(c)) ? 1 : 0;

/**
 * Strict base64 shape check (either alphabet, optional `=` padding). Node's decoder silently skips
 * junk, which would let many strings decode to the same KS; we want one KS, one spelling family.
 */
export function isBase64(s: string): boolean {
  let end = s.length;
  if (end > 0 && s.charCodeAt(end - 1) === 0x3d) end--;
  if (end > 0 && s.charCodeAt(end - 1) === 0x3d) end--;
  if (end === 0 || (end & 3) === 1) return false;
  if (end !== s.length && (s.length & 3) !== 0) return false;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || B64[c] === 0) return false;
  }
  return true;
}
