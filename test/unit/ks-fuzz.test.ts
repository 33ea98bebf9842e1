import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeKs, encodeKsV1, encodeKsV2, ksKeyFromSecret, peekKs } from '../../src/core/ks/index.js';
import type { KsFields } from '../../src/core/ks/index.js';

const KEY = ksKeyFromSecret('abcdef0123456789abcdef0123456789');
const OTHER = ksKeyFromSecret('fedcba9876543210fedcba9876543210');
const KEYS = [OTHER, KEY];

/** decodeKs/peekKs must answer (usually null) and never throw, whatever the input. */
function survives(s: string): void {
  expect(() => peekKs(s)).not.toThrow();
  expect(() => decodeKs(s, KEYS)).not.toThrow();
}

const urlSafe = (b: Uint8Array) => Buffer.from(b).toString('base64').replaceAll('+', '-').replaceAll('/', '_');

describe('KS decoding never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), survives), { numRuns: 2000 });
  });

  it('on arbitrary base64', () => {
    fc.assert(
      fc.property(fc.base64String({ maxLength: 400 }), (s) => {
        survives(s);
        survives(s.replaceAll('+', '-').replaceAll('/', '_'));
      }),
      { numRuns: 2000 },
    );
  });

  it('on v2 headers followed by random bytes, which never authenticate', () => {
    const pid = fc.oneof(fc.integer({ min: -5, max: 1_000_000 }).map(String), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(pid, fc.uint8Array({ maxLength: 256 }), (p, bytes) => {
        const ks = urlSafe(Buffer.concat([Buffer.from(`v2|${p}|`), bytes]));
        survives(ks);
        expect(decodeKs(ks, KEYS)).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('on v1-shaped text with random fields', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary-ascii', maxLength: 20 }), { maxLength: 12 }), (parts) => {
        const ks = Buffer.from('0'.repeat(40) + '|' + parts.join(';')).toString('base64');
        survives(ks);
        expect(decodeKs(ks, KEYS)).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });
});

// Privileges from a safe alphabet: names that parse_str leaves alone and that are not v2 fields
// (`_e`…) or `all` (which reads back as `*`), values without `,`.
const privName = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/).filter((n) => n !== 'all');
const privValue = fc.stringMatching(/^[A-Za-z0-9_*/:|.@ -]{0,20}$/).map((v) => v.trim());
const privileges = fc.oneof(
  fc.constant('*'),
  fc
    .uniqueArray(fc.tuple(privName, privValue), { selector: ([n]) => n, maxLength: 8 })
    .map((items) => items.map(([n, v]) => (v === '' ? n : `${n}:${v}`)).join(',')),
);

const ksFields: fc.Arbitrary<KsFields> = fc.record({
  partnerId: fc.integer({ min: -10, max: 2 ** 31 }),
  validUntil: fc.maxSafeInteger(),
  type: fc.integer({ min: -1, max: 2 }),
  userId: fc.string({ unit: 'binary', maxLength: 40 }),
  privileges,
  masterPartnerId: fc.option(fc.integer({ min: -10, max: 100_000 }).map(String), { nil: null }),
  additionalData: fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), { nil: null }),
});

describe('KS round trip', () => {
  it('v2: decode(encode(fields)) is the identity', () => {
    fc.assert(
      fc.property(ksFields, (f) => {
        const ks = encodeKsV2(f, KEY);
        expect(peekKs(ks)).toEqual({ version: 2, partnerId: f.partnerId });
        const parsed = decodeKs(ks, KEYS);
        expect(parsed).not.toBeNull();
        const { version, rand, hash, secretIndex, ...rest } = parsed!;
        expect(rest).toEqual(f);
        expect({ version, secretIndex }).toEqual({ version: 2, secretIndex: 1 });
        expect(rand).toMatch(/^[0-9a-f]{32}$/);
        expect(hash).toMatch(/^[0-9a-f]{40}$/);
      }),
      { numRuns: 1000 },
    );
  });

  it('v1: decode(encode(fields)) is the identity when no field holds ";"', () => {
    const noSemi = (s: string) => !s.includes(';');
    const v1Fields = ksFields.filter((f) => noSemi(f.userId) && noSemi(f.privileges) && noSemi(f.additionalData ?? ''));
    fc.assert(
      fc.property(v1Fields, fc.stringMatching(/^[0-9.]{0,16}$/), (f, rand) => {
        const parsed = decodeKs(encodeKsV1(f, 'abcdef0123456789abcdef0123456789', rand), KEYS);
        expect(parsed).toMatchObject({ ...f, version: 1, rand, secretIndex: 1 });
      }),
      { numRuns: 500 },
    );
  });
});
