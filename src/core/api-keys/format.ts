/**
 * The REST API key format: `gh_` + 43 base62 characters (32 random bytes, 256 bits), and its
 * storage form, an HMAC-SHA-256 under a server pepper. The prefix makes leaked keys recognisable
 * to secret scanners and people; the pepper makes a stolen table of hashes useless offline.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'gh_';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** ceil(256 / log2(62)): every 32-byte value fits, shorter ones are left-padded with '0'. */
const BODY_LEN = 43;
const SHAPE = /^gh_[0-9A-Za-z]{43}$/;
/** Characters of a key shown in listings (`gh_` + 6): about 36 bits, nothing an attacker can use. */
const START_LEN = API_KEY_PREFIX.length + 6;

/** A new key from 32 CSPRNG bytes (ASVS 11.5.1: ≥ 128 bits). */
export function generateApiKey(): string {
  let n = BigInt(`0x${randomBytes(32).toString('hex')}`);
  let body = '';
  while (n > 0n) {
    body = BASE62[Number(n % 62n)] + body;
    n /= 62n;
  }
  return API_KEY_PREFIX + body.padStart(BODY_LEN, '0');
}

/** A cheap shape check before any hashing or lookup, so junk never reaches a cache or the database. */
export function isWellFormedApiKey(text: string): boolean {
  return text.length === API_KEY_PREFIX.length + BODY_LEN && SHAPE.test(text);
}

export function apiKeyStart(key: string): string {
  return key.slice(0, START_LEN);
}

/** The stored form and lookup key: base64url HMAC-SHA-256 of the key under the pepper. */
export function hashApiKey(pepper: Buffer, key: string): string {
  return createHmac('sha256', pepper).update(key, 'utf8').digest('base64url');
}
