import { describe, it, expect } from 'vitest';
import { decodeParams, decodeValue, assertWritable } from '../../../src/http/doors/kaltura/wire/deserialize.js';
import { T } from '../../../src/http/doors/kaltura/wire/types.js';
import type { KObject, ParamDef } from '../../../src/http/doors/kaltura/wire/types.js';
import { GatehouseError } from '../../../src/core/errors/index.js';
import { STATUS, HASH } from './fixtures.js';

const ctx = { nowSec: 1_700_000_000 };
const dv = (raw: unknown, type: Parameters<typeof decodeValue>[1], name = 'p') => decodeValue(raw, type, name, ctx);

/** Runs `fn` and returns the catalogue error it throws (fails the test otherwise). */
function caught(fn: () => unknown): GatehouseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof GatehouseError) return e;
    throw e;
  }
  throw new Error('expected a GatehouseError');
}

describe('decodeParams', () => {
  const params: ParamDef[] = [
    { name: 'secret', type: T.string },
    { name: 'userId', type: T.string, optional: true, default: '' },
    { name: 'type', type: STATUS, optional: true, default: null },
    { name: 'partnerId', type: T.int, optional: true, default: null },
    { name: 'expiry', type: T.int, optional: true, default: 86400 },
    { name: 'privileges', type: T.string, optional: true, default: null },
    { name: 'flag', type: T.bool, optional: true, default: null },
    { name: 'ratio', type: T.float, optional: true },
    { name: 'thing', type: T.object('KalturaThing'), optional: true, default: null },
    { name: 'list', type: T.array('KalturaStringValue'), optional: true, default: null },
  ];

  it('casts declared defaults of omitted optional params', () => {
    expect(decodeParams({ secret: 's' }, params, ctx)).toEqual({
      secret: 's', userId: '', type: 0, partnerId: 0, expiry: 86400, privileges: '', flag: false, ratio: 0, thing: null, list: null,
    });
  });

  it('treats JSON null as absent and ignores undeclared keys', () => {
    const out = decodeParams({ secret: 's', partnerId: null, ks: 'x', format: 1 }, params, ctx);
    expect(out.partnerId).toBe(0);
    expect(out).not.toHaveProperty('ks');
  });

  it('reports a missing mandatory param', () => {
    const e = caught(() => decodeParams({}, params, ctx));
    expect(e.code).toBe('MISSING_MANDATORY_PARAMETER');
    expect(e.args).toEqual({ PARAM_NAME: 'secret' });
  });
});

describe('scalars', () => {
  it('casts ints like PHP and clamps to safe integers', () => {
    expect(dv('12abc', T.int)).toBe(12);
    expect(dv('abc', T.int)).toBe(0);
    expect(dv('', T.int)).toBe(0);
    expect(dv(' -7.9', T.int)).toBe(-7);
    expect(dv(3.99, T.int)).toBe(3);
    expect(dv('1e3', T.int)).toBe(1000);
    expect(dv(true, T.int)).toBe(1);
    expect(dv('1e400', T.int)).toBe(Number.MAX_SAFE_INTEGER);
    expect(dv(-1e300, T.int)).toBe(-Number.MAX_SAFE_INTEGER);
    expect(dv('2.5x', T.float)).toBe(2.5);
  });

  it('reads bools: "false" in any case is false, else PHP truthiness', () => {
    for (const v of ['false', 'FALSE', 'False', '0', '', 0, false]) expect(dv(v, T.bool)).toBe(false);
    for (const v of ['1', 'true', 'yes', 'x', 1, true, '0.0']) expect(dv(v, T.bool)).toBe(true);
  });

  it('matches int enums loosely and refuses the rest', () => {
    expect(dv('2', STATUS)).toBe(2);
    expect(dv(' 3 ', STATUS)).toBe(3);
    expect(dv('1.0', STATUS)).toBe(1);
    expect(dv('true', STATUS)).toBe(1);
    expect(dv(true, STATUS)).toBe(1);
    const e = caught(() => dv('9', STATUS, 'type'));
    expect(e.code).toBe('INVALID_ENUM_VALUE');
    expect(e.args).toEqual({ ENUM_VAL: '9', PARAM_NAME: 'type', ENUM_TYPE: 'KalturaTestStatus' });
    expect(caught(() => dv('2abc', STATUS)).code).toBe('INVALID_ENUM_VALUE');
    expect(caught(() => dv('', STATUS)).code).toBe('INVALID_ENUM_VALUE');
  });

  it('matches string enums exactly', () => {
    expect(dv('SHA1', HASH)).toBe('SHA1');
    const e = caught(() => dv('sha1', HASH, 'hashType'));
    expect(e.args).toEqual({ ENUM_VAL: 'sha1', PARAM_NAME: 'hashType', ENUM_TYPE: 'KalturaTestHashType' });
  });

  it('makes small times relative to now, keeps 0, -1 and absolute times', () => {
    expect(dv(3600, T.time)).toBe(ctx.nowSec + 3600);
    expect(dv('-60', T.time)).toBe(ctx.nowSec - 60);
    expect(dv(315360000, T.time)).toBe(ctx.nowSec + 315360000);
    expect(dv(315360001, T.time)).toBe(315360001);
    expect(dv(0, T.time)).toBe(0);
    expect(dv('', T.time)).toBe(0);
    expect(dv(-1, T.time)).toBe(-1);
    expect(dv(1_800_000_000, T.time)).toBe(1_800_000_000);
  });

  it('casts strings, strips lone surrogates and refuses XML-illegal characters', () => {
    expect(dv(12, T.string)).toBe('12');
    expect(dv(true, T.string)).toBe('1');
    expect(dv('a\uD800b\uDC00c😀', T.string)).toBe('abc😀');
    expect(dv('tab\tnew\nline\r', T.string)).toBe('tab\tnew\nline\r');
    const e = caught(() => dv('bad\u0001', T.string, 'name'));
    expect(e.code).toBe('INVALID_PARAMETER_CHAR');
    expect(e.args).toEqual({ XML_FIELD: 'name' });
    expect(caught(() => dv('\uFFFE', T.string)).code).toBe('INVALID_PARAMETER_CHAR');
  });

  it('refuses a non-scalar where a scalar is expected', () => {
    const e = caught(() => dv({ a: 1 }, T.int, 'count'));
    expect(e.code).toBe('PROPERTY_VALIDATION_WRONG_FORMAT');
    expect(e.args.PROP_NAME).toBe('count');
    expect(caught(() => dv(['x'], T.string)).code).toBe('PROPERTY_VALIDATION_WRONG_FORMAT');
  });
});

describe('objects', () => {
  const thing = (raw: unknown) => dv(raw, T.object('KalturaThing'), 'thing') as KObject;

  it('builds the declared class with only the props that were sent', () => {
    const out = thing({ name: 'n', count: '5', unknown: 'x', enabled: 'false' });
    expect(out).toEqual({ name: 'n', count: 5, enabled: false, objectType: 'KalturaThing' });
    expect(Object.keys(out).at(-1)).toBe('objectType');
  });

  it('honours objectType only for a subclass, case-insensitively', () => {
    expect(thing({ objectType: 'kalturaspecialthing', special: 's' })).toEqual({ special: 's', objectType: 'KalturaSpecialThing' });
    expect(thing({ objectType: 'KalturaUnrelated', zzz: 'z', name: 'n' })).toEqual({ name: 'n', objectType: 'KalturaThing' });
    expect(thing({ objectType: 'NoSuchClass' }).objectType).toBe('KalturaThing');
  });

  it('refuses an abstract class', () => {
    const e = caught(() => thing({ condition: { not: 1 } }));
    expect(e.code).toBe('OBJECT_TYPE_ABSTRACT');
    expect(e.args).toEqual({ OBJ_TYPE: 'KalturaCondition' });
    const ok = thing({ condition: { objectType: 'KalturaCountryCondition', not: '1', type: '1' } });
    expect(ok.condition).toEqual({ type: '1', not: true, objectType: 'KalturaCountryCondition' });
  });

  it('refuses a non-object where an object is expected', () => {
    const e = caught(() => thing('x'));
    expect(e.code).toBe('PROPERTY_VALIDATION_WRONG_FORMAT');
    expect(e.args).toEqual({ PROP_NAME: 'thing', FORMAT: 'KalturaThing' });
    expect(caught(() => thing({ child: 5 })).args.PROP_NAME).toBe('child');
  });

  it('accepts a PHP-style empty list as an empty object', () => {
    expect(thing([])).toEqual({ objectType: 'KalturaThing' });
  });

  it('clears non-list props with foo__null and keeps absent props absent', () => {
    const out = thing({ name__null: '', count__null: 1, conditions__null: 1, name: 'ignored' });
    expect(out).toEqual({ name: null, count: null, objectType: 'KalturaThing' });
    expect(out).not.toHaveProperty('conditions');
    expect(out).not.toHaveProperty('enabled');
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    let raw: Record<string, unknown> = { name: 'leaf' };
    for (let i = 0; i < 40; i++) raw = { child: raw };
    expect(caught(() => thing(raw)).code).toBe('PROPERTY_VALIDATION_WRONG_FORMAT');
    let ok: Record<string, unknown> = { name: 'leaf' };
    for (let i = 0; i < 20; i++) ok = { child: ok };
    expect(() => thing(ok)).not.toThrow();
  });
});

describe('arrays and maps', () => {
  const conds = (raw: unknown) => dv(raw, T.array('KalturaCondition'), 'conditions');
  const cc = (v: string) => ({ objectType: 'KalturaCountryCondition', values: [{ value: v }] });

  it('accepts a JSON list or an object with numeric keys, sorted by key', () => {
    const expected = ['a', 'b', 'c'].map((v) => ({ values: [{ value: v, objectType: 'KalturaStringValue' }], objectType: 'KalturaCountryCondition' }));
    expect(conds([cc('a'), cc('b'), cc('c')])).toEqual(expected);
    expect(conds({ 10: cc('c'), 2: cc('b'), 1: cc('a') })).toEqual(expected);
    expect(conds({ 1: cc('a'), '-': '' })).toEqual([]);
    expect(conds([])).toEqual([]);
    expect(conds([null, cc('a')])).toHaveLength(1);
  });

  it('builds every item as the item class', () => {
    expect(caught(() => conds([{ not: 1 }])).code).toBe('OBJECT_TYPE_ABSTRACT');
    expect(caught(() => conds(['x'])).code).toBe('PROPERTY_VALIDATION_WRONG_FORMAT');
    expect(caught(() => conds('x')).code).toBe('PROPERTY_VALIDATION_WRONG_FORMAT');
  });

  it('keeps map keys', () => {
    expect(dv({ b: { value: '2' }, a: { value: '1' } }, T.map('KalturaStringValue'))).toEqual({
      b: { value: '2', objectType: 'KalturaStringValue' },
      a: { value: '1', objectType: 'KalturaStringValue' },
    });
  });
});

describe('assertWritable', () => {
  const obj = (props: Record<string, unknown>): KObject => ({ ...props, objectType: 'KalturaSpecialThing' });

  it('refuses readonly props on insert, naming the concrete class', () => {
    const e = caught(() => assertWritable(obj({ id: 'x' }), 'insert'));
    expect(e.code).toBe('PROPERTY_VALIDATION_NOT_UPDATABLE');
    expect(e.args).toEqual({ PROP_NAME: 'KalturaSpecialThing::id' });
    expect(() => assertWritable(obj({ name: 'n', externalId: 'e', id: null }), 'insert')).not.toThrow();
  });

  it('on update refuses readonly and insert-only props only when they change', () => {
    const current = { id: 'x', createdAt: 1_700_000_000, externalId: 'e' };
    expect(() => assertWritable(obj({ id: 'x', createdAt: '1700000000', externalId: 'e', name: 'n' }), 'update', current)).not.toThrow();
    expect(caught(() => assertWritable(obj({ externalId: 'f' }), 'update', current)).args).toEqual({ PROP_NAME: 'KalturaSpecialThing::externalId' });
    expect(caught(() => assertWritable(obj({ id: 'y' }), 'update', current)).code).toBe('PROPERTY_VALIDATION_NOT_UPDATABLE');
    expect(caught(() => assertWritable(obj({ id: 'x' }), 'update')).code).toBe('PROPERTY_VALIDATION_NOT_UPDATABLE');
  });
});
