// openKs + decodeOpenedKs (one base64 decode) must answer exactly what peekKs + decodeKs answer.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeKs, decodeOpenedKs, encodeKsV1, encodeKsV2, ksKeyFromSecret, openKs, peekKs } from '../../src/core/ks/index.js';

const KEY = ksKeyFromSecret('abcdef0123456789abcdef0123456789');
const KEYS = [ksKeyFromSecret('fedcba9876543210fedcba9876543210'), KEY];
const urlSafe = (b: Uint8Array) => Buffer.from(b).toString('base64').replaceAll('+', '-').replaceAll('/', '_');

function same(s: string): void {
  const opened = openKs(s);
  const peek = peekKs(s);
  expect(opened && { version: opened.version, partnerId: opened.partnerId }).toEqual(peek);
  if (opened) expect(decodeOpenedKs(opened, KEYS)).toEqual(decodeKs(s, KEYS));
}

describe('openKs agrees with peekKs and decodeKs', () => {
  it('on arbitrary strings and base64', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), same), { numRuns: 1000 });
    fc.assert(fc.property(fc.base64String({ maxLength: 400 }), same), { numRuns: 1000 });
  });

  it('on KS-shaped input: long or odd partner ids, random tails, real v1 and v2 sessions', () => {
    const pid = fc.oneof(fc.integer({ min: -5, max: 1_000_000 }).map(String), fc.string({ maxLength: 120 }), fc.constant('1'.repeat(90)));
    fc.assert(
      fc.property(pid, fc.uint8Array({ maxLength: 200 }), fc.boolean(), (p, bytes, v1) => {
        same(urlSafe(Buffer.concat([Buffer.from(v1 ? `${'a'.repeat(40)}|${p};${p};9;2;` : `v2|${p}|`), bytes])));
      }),
      { numRuns: 1000 },
    );
    const fields = { partnerId: 123, validUntil: 2_000_000_000, type: 2, userId: 'u@x', privileges: 'a:1,b', masterPartnerId: null, additionalData: null };
    same(encodeKsV2(fields, KEY));
    same(encodeKsV1(fields, 'abcdef0123456789abcdef0123456789', 'r'));
    expect(decodeOpenedKs(openKs(encodeKsV2(fields, KEY))!, [])).toBeNull();
  });
});
