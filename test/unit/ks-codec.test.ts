import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import {
  decodeKs,
  encodeKsV1,
  encodeKsV2,
  isWidgetSession,
  ksKeyFromSecret,
  MAX_KS_LENGTH,
  peekKs,
  sessionIdHash,
} from '../../src/core/ks/index.js';
import type { KsFields } from '../../src/core/ks/index.js';

// Worked examples of protocol/kaltura.md §2.3 and §2.4.
const SECRET = 'abcdef0123456789abcdef0123456789';
const OTHER_SECRET = '0123456789abcdef0123456789abcdef';
const KEY = ksKeyFromSecret(SECRET);
const OTHER_KEY = ksKeyFromSecret(OTHER_SECRET);
const RAND = Buffer.from([...Array(16).keys()]);

const V1_KS =
  'N2NmNmJhOThhNmY2OGFiNjFmYTRmMzU0MDdmOTY2ZDQzMjM5MmU3NHwxMjM0NTsxMjM0NTsxNzAwMDAwMDAwOzA7MTY5OTkxMzYwMC4xMjM0O3VzZXJAZXhhbXBsZS5jb207c3ZpZXc6Kjs7';
const V1_FIELDS: KsFields = {
  partnerId: 12345,
  validUntil: 1700000000,
  type: 0,
  userId: 'user@example.com',
  privileges: 'sview:*',
  masterPartnerId: null,
  additionalData: null,
};

const V2_KS =
  'djJ8MTIzNDV8wC8znfGbjXkZWM7SCav8IEIN9jxE7s72ictIgu-SJo4w2iX4qLAaqzX6686Ncv7oespcYP0ctB6fp0mWE5CO0ew3lh7U-yqvCjFBuw6n0sUOsZobmjPDEcKj0KEJjUgl';
const V2_FIELDS: KsFields = { ...V1_FIELDS, type: 2, privileges: 'sview:*,list:*' };

function fields(over: Partial<KsFields> = {}): KsFields {
  return { ...V2_FIELDS, ...over };
}

/** A v2 KS around an arbitrary query string, built with Node's own aes-128-cbc. */
function rawV2(pid: string, qs: string, secret = SECRET): string {
  const body = Buffer.concat([RAND, Buffer.from(qs, 'utf8')]);
  const plain = Buffer.concat([createHash('sha1').update(body).digest(), body]);
  const padded = Buffer.alloc(Math.ceil(plain.length / 16) * 16);
  plain.copy(padded);
  const key = createHash('sha1').update(secret).digest().subarray(0, 16);
  const c = createCipheriv('aes-128-cbc', key, Buffer.alloc(16));
  c.setAutoPadding(false);
  const raw = Buffer.concat([Buffer.from(`v2|${pid}|`), c.update(padded), c.final()]);
  return raw.toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

describe('KS v1 (§2.3)', () => {
  it('encodes the worked example bit-exact', () => {
    expect(encodeKsV1(V1_FIELDS, SECRET, '1699913600.1234')).toBe(V1_KS);
  });

  it('decodes the worked example', () => {
    expect(decodeKs(V1_KS, [KEY])).toEqual({
      ...V1_FIELDS,
      version: 1,
      rand: '1699913600.1234',
      hash: '7cf6ba98a6f68ab61fa4f35407f966d432392e74',
      secretIndex: 0,
    });
    expect(peekKs(V1_KS)).toEqual({ version: 1, partnerId: 12345 });
  });

  it('accepts the 7-field form of old client helpers', () => {
    const info = '12345;12345;1700000000;2;42;admin;*';
    const sig = createHash('sha1').update(SECRET + info).digest('hex');
    const ks = Buffer.from(`${sig}|${info}`).toString('base64');
    expect(decodeKs(ks, [KEY])).toMatchObject({ type: 2, rand: '42', userId: 'admin', privileges: '*', masterPartnerId: null });
  });

  it('round-trips master partner and additional data', () => {
    const f = fields({ masterPartnerId: '-2', additionalData: 'x y', userId: 'Zoë' });
    expect(decodeKs(encodeKsV1(f, SECRET, '1'), [KEY])).toMatchObject(f);
  });

  it('rejects a wrong secret, a tampered signature and ";" in fields', () => {
    expect(decodeKs(V1_KS, [OTHER_KEY])).toBeNull();
    const forged = Buffer.from(Buffer.from(V1_KS, 'base64').toString().replace('sview:*', 'sview:1'));
    expect(decodeKs(forged.toString('base64'), [KEY])).toBeNull();
    expect(() => encodeKsV1(fields({ userId: 'a;b' }), SECRET, '1')).toThrow(RangeError);
  });
});

describe('KS v2 (§2.4)', () => {
  it('derives the AES key from sha1(secret)', () => {
    expect(createHash('sha1').update(SECRET).digest('hex').slice(0, 32)).toBe('47784580758b20256793a484ce89c74d');
  });

  it('encodes the worked example bit-exact', () => {
    expect(encodeKsV2(V2_FIELDS, KEY, RAND)).toBe(V2_KS);
  });

  it('lays out sha1 ‖ rand ‖ qs, zero-padded to 96 bytes', () => {
    const raw = Buffer.from(V2_KS, 'base64');
    const d = createDecipheriv('aes-128-cbc', Buffer.from('47784580758b20256793a484ce89c74d', 'hex'), Buffer.alloc(16));
    d.setAutoPadding(false);
    const plain = Buffer.concat([d.update(raw.subarray('v2|12345|'.length)), d.final()]);
    expect(plain.length).toBe(96);
    expect(plain.subarray(0, 20).toString('hex')).toBe('df247f69d3deb1fb097c0542b5362c299893e738');
    expect(plain.subarray(20, 36).equals(RAND)).toBe(true);
    expect(plain.subarray(36).toString('latin1').replace(/\0+$/, '')).toBe('sview=%2A&list=%2A&_e=1700000000&_t=2&_u=user%40example.com');
  });

  it('decodes the worked example', () => {
    expect(decodeKs(V2_KS, [KEY])).toEqual({
      ...V2_FIELDS,
      version: 2,
      rand: '000102030405060708090a0b0c0d0e0f',
      hash: 'df247f69d3deb1fb097c0542b5362c299893e738',
      secretIndex: 0,
    });
    expect(peekKs(V2_KS)).toEqual({ version: 2, partnerId: 12345 });
  });

  it.each([
    ['wildcard', fields({ privileges: '*' })],
    ['urirestrict paths', fields({ privileges: 'urirestrict:/api_v3/service/media/*|/p/1/*,iprestrict:::1' })],
    ['unicode user', fields({ userId: 'Zoë 用户 🎬 &=+%' })],
    ['empty user, no privileges', fields({ userId: '', privileges: '' })],
    ['impersonation and additional data', fields({ masterPartnerId: '-2', additionalData: 'a=b&c' })],
    ['negative partner', fields({ partnerId: -2 })],
  ])('round-trips %s', (_name, f) => {
    const ks = encodeKsV2(f, KEY);
    expect(decodeKs(ks, [KEY])).toMatchObject(f);
    expect(peekKs(ks)).toEqual({ version: 2, partnerId: f.partnerId });
  });

  it('writes * as all=* and reads it back as *', () => {
    const ks = rawV2('1', 'all=%2A&_e=1&_t=2&_u=');
    expect(decodeKs(ks, [KEY])?.privileges).toBe('*');
    expect(encodeKsV2(fields({ privileges: '*' }), KEY, RAND)).toBe(rawV2('12345', 'all=%2A&_e=1700000000&_t=2&_u=user%40example.com'));
  });

  it('tries every key and reports which one matched', () => {
    expect(decodeKs(V2_KS, [OTHER_KEY])).toBeNull();
    expect(decodeKs(V2_KS, [OTHER_KEY, KEY])?.secretIndex).toBe(1);
    expect(decodeKs(V1_KS, [OTHER_KEY, KEY])?.secretIndex).toBe(1);
    expect(decodeKs(V2_KS, [])).toBeNull();
  });

  it('rejects a tampered ciphertext byte', () => {
    for (const at of [20, 60, V2_KS.length - 5]) {
      const c = V2_KS[at] === 'A' ? 'B' : 'A';
      expect(decodeKs(V2_KS.slice(0, at) + c + V2_KS.slice(at + 1), [KEY])).toBeNull();
    }
  });

  it('reads the query string with parse_str rules', () => {
    const ks = rawV2('7', 'a.b=1&c+d=x+y&sview=1&list=%2A&sview=3&=skipped&_e=00099&_t=0&_u=%C3%A9+e&_m=&bare');
    expect(decodeKs(ks, [KEY])).toMatchObject({
      partnerId: 7,
      validUntil: 99,
      type: 0,
      userId: 'é e',
      privileges: 'a_b:1,c_d:x y,sview:3,list:*,bare',
      masterPartnerId: null,
    });
  });

  it.each([
    ['non-numeric _e', 'sview=1&_e=soon&_t=0&_u='],
    ['fractional _t', '_e=1&_t=0.5&_u='],
    ['missing _t', '_e=1&_u='],
    ['missing _e', '_t=2&_u='],
  ])('rejects %s', (_name, qs) => {
    expect(decodeKs(rawV2('1', qs), [KEY])).toBeNull();
  });

  it('rejects malformed headers and over-long strings', () => {
    expect(decodeKs(rawV2('01', '_e=1&_t=0&_u='), [KEY])).toBeNull();
    expect(decodeKs(rawV2('x', '_e=1&_t=0&_u='), [KEY])).toBeNull();
    expect(peekKs(rawV2('-0', '_e=1&_t=0&_u='))).toBeNull();
    expect(decodeKs(V2_KS + ' ', [KEY])).toBeNull();
    expect(decodeKs(V2_KS.slice(0, -4), [KEY])).toBeNull();
    const long = encodeKsV2(fields({ additionalData: 'x'.repeat(MAX_KS_LENGTH) }), KEY);
    expect(decodeKs(long, [KEY])).toBeNull();
    expect(peekKs(long)).toBeNull();
  });

  it('refuses bad inputs when encoding', () => {
    expect(() => encodeKsV2(fields(), KEY, Buffer.alloc(8))).toThrow(RangeError);
    expect(() => encodeKsV2(fields({ validUntil: 1.5 }), KEY)).toThrow(RangeError);
    expect(() => ksKeyFromSecret('')).toThrow(RangeError);
  });
});

describe('peekKs', () => {
  it.each(['', 'not a ks', 'djJ8', 'djJ8MTIz', Buffer.from('v2|12a|xxxx').toString('base64'), 'YWJj'])('returns null for %j', (s) => {
    expect(peekKs(s)).toBeNull();
  });
});

describe('helpers', () => {
  it('hashes session ids as sha1(pid_sessionid)', () => {
    expect(sessionIdHash(12345, 'abc')).toBe('c9a1d65f03a5aebda096fd01913b5b50387be2af');
    expect(sessionIdHash('12345', 'abc')).toBe('c9a1d65f03a5aebda096fd01913b5b50387be2af');
  });

  it('recognises widget sessions', () => {
    expect(isWidgetSession({ type: 0, userId: '0', privileges: 'view:*,widget:1' })).toBe(true);
    expect(isWidgetSession({ type: 0, userId: '', privileges: 'widget:12' })).toBe(true);
    expect(isWidgetSession({ type: 2, userId: '0', privileges: 'widget:1' })).toBe(false);
    expect(isWidgetSession({ type: 0, userId: 'bob', privileges: 'widget:1' })).toBe(false);
    expect(isWidgetSession({ type: 0, userId: '0', privileges: 'view:*' })).toBe(false);
  });

  it('never renders key material', () => {
    expect(JSON.stringify({ k: KEY })).toBe('{"k":"[KsKey]"}');
    expect(String(JSON.stringify(KEY))).not.toContain(SECRET);
  });
});
