import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { collectParams } from '../../../src/http/doors/kaltura/wire/params.js';
import { decodeParams } from '../../../src/http/doors/kaltura/wire/deserialize.js';
import { splitMultiRequest, resolvePlaceholders } from '../../../src/http/doors/kaltura/wire/multirequest.js';
import { toJson } from '../../../src/http/doors/kaltura/wire/serialize-json.js';
import { toXml } from '../../../src/http/doors/kaltura/wire/serialize-xml.js';
import { T } from '../../../src/http/doors/kaltura/wire/types.js';
import type { ParamDef } from '../../../src/http/doors/kaltura/wire/types.js';
import { GatehouseError } from '../../../src/core/errors/index.js';
import { STATUS, HASH } from './fixtures.js';

const PARAMS: ParamDef[] = [
  { name: 'thing', type: T.object('KalturaThing'), optional: true },
  { name: 'count', type: T.int, optional: true },
  { name: 'flag', type: T.bool, optional: true },
  { name: 'status', type: STATUS, optional: true },
  { name: 'hash', type: HASH, optional: true },
  { name: 'when', type: T.time, optional: true },
  { name: 'name', type: T.string, optional: true },
  { name: 'conditions', type: T.array('KalturaCondition'), optional: true },
];

/** Keys that exercise every special case of the parser and decoder. */
const key = fc.constantFrom(
  'thing', 'count', 'flag', 'status', 'hash', 'when', 'name', 'conditions', 'objectType', 'child', 'condition', 'values',
  'value', 'not', 'type', 'tags', 'name__null', '-', '0', '1', '10', '__proto__', 'constructor', 'prototype', 'a:b', 'x',
);
const scalar = fc.oneof(
  fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom('KalturaThing', 'KalturaSpecialThing', 'KalturaCondition', 'KalturaCountryCondition', 'false', '1', '2', 'SHA1', '\u0000', '\uD800'),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
})).map;

/** A form key like `thing[child][0]` or `thing:child:-`. */
const formKey = fc.tuple(key, fc.array(key, { maxLength: 5 }), fc.boolean()).map(([head, rest, colon]) =>
  colon ? [head, ...rest].join(':') : head + rest.map((k) => `[${k}]`).join(''),
);
const formBody = fc.array(fc.tuple(formKey, fc.oneof(fc.string(), fc.constantFrom('%FF', '%', '+', '%C3%A9'))), { maxLength: 20 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&'));

/** Anything thrown must be a catalogue error; the decoded value must serialize both ways. */
function run(input: Parameters<typeof collectParams>[0]): void {
  try {
    const raw = collectParams(input);
    const decoded = decodeParams(raw, PARAMS, { nowSec: 1_700_000_000 });
    toJson(decoded);
    toXml(decoded, { executionTime: 0, ignoreNull: false });
    for (const sub of splitMultiRequest(raw)) resolvePlaceholders(sub, [decoded]);
  } catch (e) {
    if (!(e instanceof GatehouseError)) throw e;
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('wire fuzzing', () => {
  it('JSON bodies only ever fail with catalogue errors', () => {
    fc.assert(
      fc.property(tree, (body) => {
        run({ pathTail: '', query: '', body: JSON.stringify({ ...(body as object), 1: body, thing: body }), contentType: 'application/json' });
      }),
      { numRuns: 400 },
    );
  });

  it('form bodies and queries only ever fail with catalogue errors', () => {
    fc.assert(
      fc.property(formBody, formBody, fc.array(key, { maxLength: 6 }), (body, query, path) => {
        run({ pathTail: `/${path.join('/')}`, query, body, contentType: 'application/x-www-form-urlencoded' });
      }),
      { numRuns: 400 },
    );
  });

  it('raw JSON text (valid or not) never escapes as a non-catalogue error', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        run({ pathTail: '', query: '', body: `{${text}}`, contentType: 'application/json' });
      }),
      { numRuns: 300 },
    );
  });

  it('huge or hostile inputs finish quickly', () => {
    const deep = '{"thing":' + '{"child":'.repeat(50_000) + '1' + '}'.repeat(50_001);
    const t0 = Date.now();
    run({ pathTail: '', query: '', body: deep, contentType: 'application/json' });
    run({ pathTail: '', query: `${'a:'.repeat(5000)}b=1`, body: undefined, contentType: undefined });
    run({ pathTail: '', query: '', body: 'conditions[]=1&'.repeat(20_000), contentType: undefined });
    run({ pathTail: '', query: '', body: `thing[tags][${'x'.repeat(100_000)}][value]=1`, contentType: undefined });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
