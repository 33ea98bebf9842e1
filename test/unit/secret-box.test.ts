import { randomBytes } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { generateMasterKey, parseMasterKey, SecretBox } from '../../src/core/crypto/secret-box.js';
import { safeEqual } from '../../src/core/crypto/compare.js';
import { generatePartnerSecret, randomBase36, randomHex } from '../../src/core/crypto/random.js';

const KEY = Buffer.alloc(32, 7);
const box = new SecretBox(KEY);
const CTX = 'partner:12345:admin_secret';

/** Flips one bit of the decoded payload at `index` and re-encodes it. */
function flip(sealed: string, index: number): string {
  const raw = Buffer.from(sealed.slice(3), 'base64url');
  raw[index] = (raw[index] as number) ^ 1;
  return 'v1.' + raw.toString('base64url');
}

describe('SecretBox', () => {
  it('seals and opens, with a fresh IV each time', () => {
    const a = box.seal('abcdef0123456789abcdef0123456789', CTX);
    const b = box.seal('abcdef0123456789abcdef0123456789', CTX);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(box.open(a, CTX)).toBe('abcdef0123456789abcdef0123456789');
    expect(box.open(box.seal('', CTX), CTX)).toBe('');
    expect(box.open(box.seal('ünïcödé 🔑', CTX), CTX)).toBe('ünïcödé 🔑');
  });

  it('refuses another context, another key and tampering', () => {
    const sealed = box.seal('secret', CTX);
    expect(() => box.open(sealed, 'partner:12345:user_secret')).toThrow(Error);
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, CTX)).toThrow(Error);
    for (const at of [0, 11, 12, 27, 28]) expect(() => box.open(flip(sealed, at), CTX)).toThrow(Error);
    expect(() => box.open(sealed.slice(0, -2), CTX)).toThrow(Error);
    expect(() => box.open(sealed.replace('v1.', 'v2.'), CTX)).toThrow(Error);
    expect(() => box.open('v1.' + 'A'.repeat(20), CTX)).toThrow(Error);
    expect(() => box.open(sealed + '!', CTX)).toThrow(Error);
  });

  it('does not keep a reference to the caller’s key buffer', () => {
    const key = Buffer.alloc(32, 1);
    const b = new SecretBox(key);
    const sealed = b.seal('x', CTX);
    key.fill(2);
    expect(b.open(sealed, CTX)).toBe('x');
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});

describe('parseMasterKey / generateMasterKey', () => {
  const bytes = randomBytes(32);

  it('accepts hex, base64 and base64url of 32 bytes', () => {
    expect(parseMasterKey(bytes.toString('hex')).equals(bytes)).toBe(true);
    expect(parseMasterKey(bytes.toString('hex').toUpperCase()).equals(bytes)).toBe(true);
    expect(parseMasterKey(bytes.toString('base64')).equals(bytes)).toBe(true);
    expect(parseMasterKey(bytes.toString('base64url')).equals(bytes)).toBe(true);
    expect(parseMasterKey(`  ${bytes.toString('base64')}\n`).equals(bytes)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['short hex', 'ab'.repeat(31)],
    ['16 bytes of base64', randomBytes(16).toString('base64')],
    ['33 bytes of base64', randomBytes(33).toString('base64')],
    ['junk', 'not a key at all, not at all!!'],
    ['stray bits', bytes.toString('base64').slice(0, 42) + 'B='],
  ])('rejects %s with a clear message', (_name, text) => {
    expect(() => parseMasterKey(text)).toThrow(/64 hex characters or base64/);
  });

  it('generates keys that parse back to 32 bytes', () => {
    const k = generateMasterKey();
    expect(parseMasterKey(k)).toHaveLength(32);
    expect(generateMasterKey()).not.toBe(k);
  });
});

describe('random and compare helpers', () => {
  it('makes hex, base36 and partner secrets of the right shape', () => {
    expect(randomHex(4)).toMatch(/^[0-9a-f]{8}$/);
    expect(randomHex(0)).toBe('');
    expect(randomBase36(50)).toMatch(/^[0-9a-z]{50}$/);
    expect(randomBase36(0)).toBe('');
    expect(generatePartnerSecret()).toMatch(/^[0-9a-f]{32}$/);
    expect(() => randomHex(-1)).toThrow(RangeError);
  });

  it('spreads base36 digits evenly', () => {
    const counts = new Map<string, number>();
    for (const c of randomBase36(36_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(36);
    // 1000 expected per digit; ±25% is > 7 standard deviations.
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(250);
  });

  it('compares strings of any lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('é', 'é')).toBe(true);
  });
});
