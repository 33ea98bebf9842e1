/**
 * Kaltura Session (KS) encoding and decoding, v1 and v2 (protocol/kaltura.md §2.3–2.4).
 *
 * decodeKs sits on the hot path of every API call, so it does one base64 decode, one AES decipher
 * and one sha1 per candidate key, with no regexes. It never throws: a KS is attacker-controlled
 * input and every failure is the same answer, `null` (the door reports INVALID_KS / INVALID_STR).
 */
import * as nodeCrypto from 'node:crypto';
import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Decipher, KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { isBase64, parseInteger, phpKey, phpUrldecode, phpUrlencode } from './php.js';

/** The signed content of a KS. Timestamps are unix seconds. */
export interface KsFields {
  partnerId: number;
  validUntil: number;
  type: number;
  userId: string;
  privileges: string;
  /** Set by impersonation; `null` when absent (an empty value on the wire also reads as `null`). */
  masterPartnerId: string | null;
  additionalData: string | null;
}

/** A KS whose signature checked out against one of the partner's admin secrets. */
export interface ParsedKs extends KsFields {
  version: 1 | 2;
  /** v1: the rand field as written; v2: the 16 random bytes as hex. */
  rand: string;
  /** Hex; v1: the signature, v2: sha1 of the body. This is the key of the invalid-session list. */
  hash: string;
  /** Index in the `keys` passed to decodeKs of the admin secret that matched. */
  secretIndex: number;
}

declare const ksKeyBrand: unique symbol;
/** Key material derived once from one admin secret. Opaque; build it with {@link ksKeyFromSecret}. */
export interface KsKey {
  readonly [ksKeyBrand]: 'KsKey';
}

/** The real shape behind KsKey. It renders as `[KsKey]` so a stray log line cannot leak the secret. */
class KsKeyMaterial {
  /**
   * A long-lived AES-128-ECB decipher, used block by block to decrypt v2 bodies (see cbcDecrypt).
   * ECB carries no state between block-aligned update() calls, so one object serves every request.
   */
  readonly ecb: Decipher;

  constructor(
    /** v2: AES-128 key = first 16 bytes of sha1(secret). */
    readonly aes: KeyObject,
    /** v1: signature = sha1(secret + info), so v1 needs the secret bytes themselves. */
    readonly secret: Buffer,
  ) {
    this.ecb = createDecipheriv('aes-128-ecb', aes, null);
    this.ecb.setAutoPadding(false);
  }
  toJSON = (): string => '[KsKey]';
  [inspect.custom] = (): string => '[KsKey]';
}

const material = (k: KsKey): KsKeyMaterial => k as unknown as KsKeyMaterial;

/** Longest KS we look at; anything longer is rejected before any decoding work. */
export const MAX_KS_LENGTH = 8192;
/** Kaltura's v2 cipher runs with an all-zero IV; shared, never written to. */
const ZERO_IV = Buffer.alloc(16);
const SHA1_LEN = 20;
const AES_BLOCK = 16;
const RAND_LEN = 16;
const BAR = 0x7c; // '|'

/** One-shot sha1 (crypto.hash, Node ≥ 20.12) skips the Hash stream object; fall back on older 20.x. */
const sha1: (data: Buffer) => Buffer =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha1', data, 'buffer')
    : (data) => createHash('sha1').update(data).digest();

/**
 * AES-128-CBC decryption with a zero IV, as P[i] = AES-ECB-decrypt(C[i]) XOR C[i-1], C[-1] = 0.
 *
 * Why not createDecipheriv('aes-128-cbc') per call: building a Decipher object per request cost
 * more than the decryption itself and halved decodeKs throughput. The block cipher is still
 * OpenSSL's; only the textbook CBC chaining is written out here, and the tests check it against
 * Node's own aes-128-cbc (encodeKsV2 uses that) byte for byte. Input must be block-aligned, or
 * the shared ECB object would buffer a partial block into the next request.
 */
function cbcDecrypt(key: KsKeyMaterial, cipherText: Buffer): Buffer {
  if (cipherText.length % AES_BLOCK !== 0) throw new RangeError('cbcDecrypt: unaligned input');
  const out = key.ecb.update(cipherText);
  // Walk backwards so each XOR reads ciphertext bytes, never already-decrypted output.
  for (let i = out.length - 1; i >= AES_BLOCK; i--) out[i] = (out[i] as number) ^ (cipherText[i - AES_BLOCK] as number);
  return out;
}

/**
 * Derives the per-secret key material. Call once per partner load, not per request.
 * An empty secret is refused: a KS "signed" with it could be minted by anyone.
 */
export function ksKeyFromSecret(secret: string): KsKey {
  if (secret.length === 0) throw new RangeError('ksKeyFromSecret: empty admin secret');
  const secretBytes = Buffer.from(secret, 'utf8');
  const aes = createSecretKey(createHash('sha1').update(secretBytes).digest().subarray(0, 16));
  return new KsKeyMaterial(aes, secretBytes) as unknown as KsKey;
}

/** Base64 chars decoded by peekKs: enough for `v2|` + any partner id, or a v1 signature + partner id. */
const PEEK_CHARS = 96;

/**
 * Reads the version and partner id of a KS without any secret, so the caller can load that
 * partner's keys. Nothing here is authenticated; decodeKs must still succeed before trusting it.
 * Returns null for anything malformed.
 */
export function peekKs(ks: string): { version: 1 | 2; partnerId: number } | null {
  if (!wellFormed(ks)) return null;
  return peekBytes(Buffer.from(ks.length > PEEK_CHARS ? ks.slice(0, PEEK_CHARS) : ks, 'base64'));
}

/** A KS decoded from base64 once: what peekKs reads, plus the bytes decodeOpenedKs authenticates. */
export interface OpenedKs {
  version: 1 | 2;
  /** Unauthenticated, like peekKs's: only for finding the partner whose keys to try. */
  partnerId: number;
  readonly bytes: Buffer;
}

/**
 * peekKs and the first half of decodeKs in one base64 decode, for callers that go on to decode.
 * Same answers as peekKs (a partner id cannot reach past its prefix: parseInteger stops at 16
 * digits); null when malformed.
 */
export function openKs(ks: string): OpenedKs | null {
  if (!wellFormed(ks)) return null;
  const bytes = Buffer.from(ks, 'base64');
  const peek = peekBytes(bytes);
  return peek && { version: peek.version, partnerId: peek.partnerId, bytes };
}

function wellFormed(ks: string): boolean {
  return typeof ks === 'string' && ks.length <= MAX_KS_LENGTH && isBase64(ks);
}

/** Version and partner id from the decoded head of a KS; null when malformed. Never throws. */
function peekBytes(head: Buffer): { version: 1 | 2; partnerId: number } | null {
  if (head.length >= 3 && head[0] === 0x76 && head[1] === 0x32 && head[2] === BAR) {
    const bar = head.indexOf(BAR, 3);
    if (bar < 0) return null;
    const partnerId = parseInteger(head.toString('latin1', 3, bar), true);
    return partnerId === null ? null : { version: 2, partnerId };
  }
  if (head.length < 42 || head[40] !== BAR) return null;
  const semi = head.indexOf(0x3b, 41);
  if (semi < 0) return null;
  const partnerId = parseInteger(head.toString('latin1', 41, semi), true);
  return partnerId === null ? null : { version: 1, partnerId };
}

// ---------------------------------------------------------------- decode

/**
 * Decodes and authenticates a KS (v1 or v2), trying each key in order. Returns null when the
 * string is malformed, longer than {@link MAX_KS_LENGTH}, or no key matches. Never throws.
 * Expiry and restrictions are not checked here (see checkKsStatic).
 */
export function decodeKs(ks: string, keys: readonly KsKey[]): ParsedKs | null {
  if (keys.length === 0 || !wellFormed(ks)) return null;
  return decodeBytes(Buffer.from(ks, 'base64'), keys);
}

/** decodeKs for a KS already opened with {@link openKs}: same answer, no second base64 decode. */
export function decodeOpenedKs(opened: OpenedKs, keys: readonly KsKey[]): ParsedKs | null {
  return keys.length === 0 ? null : decodeBytes(opened.bytes, keys);
}

function decodeBytes(raw: Buffer, keys: readonly KsKey[]): ParsedKs | null {
  try {
    if (raw.length >= 3 && raw[0] === 0x76 && raw[1] === 0x32 && raw[2] === BAR) return decodeV2(raw, keys);
    return decodeV1(raw, keys);
  } catch {
    // Belt and braces: the parsers below are written not to throw, but a KS must never crash a request.
    return null;
  }
}

function decodeV2(raw: Buffer, keys: readonly KsKey[]): ParsedKs | null {
  const bar = raw.indexOf(BAR, 3);
  if (bar < 0) return null;
  const partnerId = parseInteger(raw.toString('latin1', 3, bar), true);
  if (partnerId === null) return null;
  const cipherText = raw.subarray(bar + 1);
  // sha1 + rand alone fill 36 bytes, i.e. at least three AES blocks.
  if (cipherText.length < 3 * AES_BLOCK || cipherText.length % AES_BLOCK !== 0) return null;

  for (let i = 0; i < keys.length; i++) {
    const plain = cbcDecrypt(material(keys[i] as KsKey), cipherText);
    let end = plain.length;
    while (end > 0 && plain[end - 1] === 0) end--;
    if (end < SHA1_LEN + RAND_LEN) continue;
    const body = plain.subarray(SHA1_LEN, end);
    const digest = sha1(body);
    if (!timingSafeEqual(digest, plain.subarray(0, SHA1_LEN))) continue;
    // Authentic from here on; a body we cannot read is still a malformed KS, so no other key is tried.
    const head = { partnerId, rand: body.toString('hex', 0, RAND_LEN), hash: digest.toString('hex'), secretIndex: i };
    return parseV2Query(body.toString('utf8', RAND_LEN), head);
  }
  return null;
}

/** Reads the signed query string of a v2 KS with PHP `parse_str` rules and completes the ParsedKs. */
function parseV2Query(qs: string, head: Pick<ParsedKs, 'partnerId' | 'rand' | 'hash' | 'secretIndex'>): ParsedKs | null {
  let validUntil: number | null = null;
  let type: number | null = null;
  let userId = '';
  let masterPartnerId: string | null = null;
  let additionalData: string | null = null;
  const names: string[] = [];
  const values: string[] = [];

  let pos = 0;
  while (pos <= qs.length) {
    let amp = qs.indexOf('&', pos);
    if (amp < 0) amp = qs.length;
    const eq = qs.indexOf('=', pos);
    const hasEq = eq >= 0 && eq < amp;
    const key = phpKey(phpUrldecode(qs.slice(pos, hasEq ? eq : amp)));
    const value = hasEq ? phpUrldecode(qs.slice(eq + 1, amp)) : '';
    pos = amp + 1;
    if (key === '') continue; // parse_str drops nameless pairs
    if (key === '_e') {
      if ((validUntil = parseInteger(value, false)) === null) return null;
    } else if (key === '_t') {
      if ((type = parseInteger(value, false)) === null) return null;
    } else if (key === '_u') userId = value;
    else if (key === '_m') masterPartnerId = value === '' ? null : value;
    else if (key === '_d') additionalData = value === '' ? null : value;
    else {
      // A repeated name keeps its first position and its last value, like a PHP array.
      const at = names.indexOf(key);
      if (at >= 0) values[at] = value;
      else {
        names.push(key);
        values.push(value);
      }
    }
  }
  if (validUntil === null || type === null) return null;

  let privileges = '';
  for (let i = 0; i < names.length; i++) {
    const v = values[i] as string;
    if (i > 0) privileges += ',';
    privileges += v === '' ? (names[i] as string) : `${names[i] as string}:${v}`;
  }
  if (privileges === 'all:*') privileges = '*';
  // Spelled out, not spread: object spread on this path once cost more than the sha1.
  const { partnerId, rand, hash, secretIndex } = head;
  return { partnerId, validUntil, type, userId, privileges, masterPartnerId, additionalData, version: 2, rand, hash, secretIndex };
}

function decodeV1(raw: Buffer, keys: readonly KsKey[]): ParsedKs | null {
  // signature (40 hex chars) "|" info
  if (raw.length < 42 || raw[40] !== BAR) return null;
  const signature = raw.subarray(0, 40);
  const info = raw.subarray(41);
  const parts = info.toString('utf8').split(';');
  if (parts.length < 3) return null;
  const partnerId = parseInteger(parts[0] as string, true);
  const validUntil = parseInteger(parts[2] as string, false);
  // Old helpers may stop early; a missing or empty type reads as USER, as PHP's null/'' would.
  const typeText = parts[3] ?? '';
  const type = typeText === '' ? 0 : parseInteger(typeText, false);
  if (partnerId === null || validUntil === null || type === null) return null;

  for (let i = 0; i < keys.length; i++) {
    // Hash the bytes as received, so a non-UTF-8 user id cannot change what was signed.
    const expected = createHash('sha1').update(material(keys[i] as KsKey).secret).update(info).digest('hex');
    if (!timingSafeEqual(Buffer.from(expected, 'latin1'), signature)) continue;
    const [, , , , rand = '', userId = '', privileges = '', master, additional] = parts;
    const masterPartnerId = master ? master : null; // empty means "not impersonated", as in v2
    const additionalData = additional ? additional : null;
    return { partnerId, validUntil, type, userId, privileges, masterPartnerId, additionalData, version: 1, rand, hash: expected, secretIndex: i };
  }
  return null;
}

// ---------------------------------------------------------------- encode

function assertIntegers(f: KsFields): void {
  for (const name of ['partnerId', 'validUntil', 'type'] as const) {
    if (!Number.isSafeInteger(f[name])) throw new RangeError(`KS ${name} must be a safe integer, got ${f[name]}`);
  }
}

/**
 * Encodes a v2 KS exactly as Kaltura does: privileges become query fields (`*` as `all=*`), then
 * `_e,_t,_u[,_m][,_d]`; body = rand16 + query; sha1(body) + body, zero-padded, AES-128-CBC with a
 * zero IV; `v2|pid|` + ciphertext in url-safe base64 with `=` padding kept.
 * `rand` defaults to 16 bytes from the CSPRNG; pass it only for deterministic tests.
 */
export function encodeKsV2(fields: KsFields, key: KsKey, rand: Buffer = randomBytes(RAND_LEN)): string {
  if (rand.length !== RAND_LEN) throw new RangeError(`KS v2 rand must be ${RAND_LEN} bytes`);
  assertIntegers(fields);
  // Map keeps first insertion position on overwrite, matching PHP's ordered arrays.
  const entries = new Map<string, string | null>();
  for (const rawItem of fields.privileges.split(',')) {
    const item = rawItem.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    if (item === '*') entries.set('all', '*');
    else if (colon < 0) entries.set(item, '');
    else entries.set(item.slice(0, colon), item.slice(colon + 1));
  }
  entries.set('_e', String(fields.validUntil));
  entries.set('_t', String(fields.type));
  entries.set('_u', fields.userId);
  // http_build_query drops null values, so absent _m/_d leave no trace (even over a same-named privilege).
  entries.set('_m', fields.masterPartnerId);
  entries.set('_d', fields.additionalData);

  let qs = '';
  for (const [name, value] of entries) {
    if (value === null) continue;
    if (qs !== '') qs += '&';
    qs += phpUrlencode(name) + '=' + phpUrlencode(value);
  }

  const qsBytes = Buffer.from(qs, 'latin1'); // urlencoded text is pure ASCII
  const bodyLen = RAND_LEN + qsBytes.length;
  const plain = Buffer.alloc(Math.ceil((SHA1_LEN + bodyLen) / AES_BLOCK) * AES_BLOCK); // zero padding, none if aligned
  rand.copy(plain, SHA1_LEN);
  qsBytes.copy(plain, SHA1_LEN + RAND_LEN);
  sha1(plain.subarray(SHA1_LEN, SHA1_LEN + bodyLen)).copy(plain, 0);

  const cipher = createCipheriv('aes-128-cbc', material(key).aes, ZERO_IV);
  cipher.setAutoPadding(false);
  const raw = Buffer.concat([Buffer.from(`v2|${fields.partnerId}|`, 'latin1'), cipher.update(plain), cipher.final()]);
  return raw.toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

/**
 * Encodes a v1 KS: base64(sha1hex(secret + info) + "|" + info) with the nine `;`-separated info
 * fields of §2.3. Refuses `;` inside a field, which would shift every later field when parsed.
 */
export function encodeKsV1(fields: KsFields, secret: string, rand: string): string {
  assertIntegers(fields);
  const free = [rand, fields.userId, fields.privileges, fields.masterPartnerId ?? '', fields.additionalData ?? ''];
  if (free.some((f) => f.includes(';'))) throw new RangeError('KS v1 fields may not contain ";"');
  const pid = String(fields.partnerId);
  const info = [pid, pid, String(fields.validUntil), String(fields.type), ...free].join(';');
  const signature = createHash('sha1').update(secret, 'utf8').update(info, 'utf8').digest('hex');
  return Buffer.from(`${signature}|${info}`, 'utf8').toString('base64');
}

/** Key of a `sessionid` group in the invalid-session list: sha1 hex of `${partnerId}_${sessionId}` (§2.7). */
export function sessionIdHash(partnerId: number | string, sessionId: string): string {
  return createHash('sha1').update(`${partnerId}_${sessionId}`, 'utf8').digest('hex');
}

/**
 * Kaltura's widget-session test (§2.1): a USER session of the anonymous user (`''` or `'0'`)
 * whose privileges contain the substring `widget:1`.
 */
export function isWidgetSession(ks: Pick<KsFields, 'type' | 'userId' | 'privileges'>): boolean {
  return ks.type === 0 && (ks.userId === '' || ks.userId === '0') && ks.privileges.includes('widget:1');
}
