import { describe, it, expect } from 'vitest';
import { toJson } from '../../../src/http/doors/kaltura/wire/serialize-json.js';
import { toXml } from '../../../src/http/doors/kaltura/wire/serialize-xml.js';
import { toApiException, toApiExceptionFromUnknown, INTERNAL_ERROR_EXCEPTION } from '../../../src/http/doors/kaltura/wire/errors.js';
import { kobj } from '../../../src/http/doors/kaltura/wire/types.js';
import { E, fail } from '../../../src/core/errors/index.js';
import './fixtures.js';

describe('toJson', () => {
  it('omits nulls from objects recursively but keeps them in lists', () => {
    expect(toJson({ a: 1, b: null, c: undefined, d: { e: null, f: [null, 1, undefined] } })).toBe('{"a":1,"d":{"f":[null,1,null]}}');
  });

  it('moves objectType last', () => {
    expect(toJson({ objectType: 'KalturaThing', name: 'n', child: { objectType: 'KalturaThing', count: 1 } })).toBe(
      '{"name":"n","child":{"count":1,"objectType":"KalturaThing"},"objectType":"KalturaThing"}',
    );
  });

  it('escapes / like PHP and prints scalars as they are', () => {
    expect(toJson('djJ8a/b+c=')).toBe('"djJ8a\\/b+c="');
    expect(toJson({ 'a/b': true, n: 1.5, s: '2', f: false })).toBe('{"a\\/b":true,"n":1.5,"s":"2","f":false}');
    expect(toJson('é "q" \u2028')).toBe(JSON.stringify('é "q" \u2028'));
  });

  it('prints void as null and keeps empty objects and lists', () => {
    expect(toJson(null)).toBe('null');
    expect(toJson(undefined)).toBe('null');
    expect(toJson({})).toBe('{}');
    expect(toJson([])).toBe('[]');
    expect(toJson({ x: Number.NaN })).toBe('{}');
  });

  it('prints exceptions in the order code, message, objectType, args', () => {
    expect(toJson(toApiException(fail(E.START_SESSION_ERROR, { PID: 123 })))).toBe(
      '{"code":"START_SESSION_ERROR","message":"Error while starting session for partner [123]","objectType":"KalturaAPIException","args":{"PID":"123"}}',
    );
    expect(toJson(toApiException(fail(E.INVALID_USER_ID)))).toBe(
      '{"code":"INVALID_USER_ID","message":"Invalid user id","objectType":"KalturaAPIException","args":[]}',
    );
  });
});

describe('errors', () => {
  it('maps a catalogue error with args in definition order', () => {
    const ex = toApiException(fail(E.INVALID_ENUM_VALUE, { PARAM_NAME: 'type', ENUM_VAL: '9' }));
    expect(Object.keys(ex)).toEqual(['code', 'message', 'objectType', 'args']);
    expect(ex.args).toEqual({ ENUM_VAL: '9', PARAM_NAME: 'type', ENUM_TYPE: 'N/A' });
  });

  it('strips tags from argument values', () => {
    expect(toApiException(fail(E.INVALID_WIDGET_ID, { WIDGET_ID: '<b>_1</b><script' })).args).toEqual({ WIDGET_ID: '_1' });
  });

  it('turns unknown faults into INTERNAL_SERVERL_ERROR without details', () => {
    const ex = toApiExceptionFromUnknown(new Error('db password is hunter2'));
    expect(ex).toEqual({ code: 'INTERNAL_SERVERL_ERROR', message: 'Internal server error occurred', objectType: 'KalturaAPIException', args: [] });
    expect(ex).toEqual(INTERNAL_ERROR_EXCEPTION);
    expect(toApiExceptionFromUnknown(fail(E.MISSING_KS)).code).toBe('MISSING_KS');
  });
});

describe('toXml', () => {
  const opts = { executionTime: 0.01, ignoreNull: false };
  const wrap = (inner: string) => `<?xml version="1.0" encoding="utf-8"?><xml><result>${inner}</result><executionTime>0.01</executionTime></xml>`;

  it('prints scalars, booleans and void', () => {
    expect(toXml('a<b&c', opts)).toBe(wrap('a&lt;b&amp;c'));
    expect(toXml(true, opts)).toBe(wrap('1'));
    expect(toXml(false, opts)).toBe(wrap('0'));
    expect(toXml(null, opts)).toBe(wrap(''));
    expect(toXml('bad\u0001char', opts)).toBe(wrap('badchar'));
  });

  it('prints objectType first, then every declared prop, then extras; never writeOnly props', () => {
    const obj = kobj('KalturaStringValue', { value: 'v', extra: 1, password: 'p' });
    expect(toXml(obj, opts)).toBe(wrap('<objectType>KalturaStringValue</objectType><value>v</value><extra>1</extra><password>p</password>'));
    const thing = kobj('KalturaSpecialThing', { name: 'n', password: 'secret', enabled: false, conditions: [kobj('KalturaStringValue', { value: 'x' })] });
    const xml = toXml(thing, opts);
    expect(xml).toContain('<result><objectType>KalturaSpecialThing</objectType><id></id><createdAt></createdAt><name>n</name>');
    expect(xml).toContain('<enabled>0</enabled>');
    expect(xml).toContain('<conditions><item><objectType>KalturaStringValue</objectType><value>x</value></item></conditions>');
    expect(xml).toContain('<special></special></result>');
    expect(xml).not.toContain('password');
    expect(xml).not.toContain('secret');
  });

  it('omits null props with ignoreNull', () => {
    const xml = toXml(kobj('KalturaSpecialThing', { name: 'n' }), { ...opts, ignoreNull: true });
    expect(xml).toBe(wrap('<objectType>KalturaSpecialThing</objectType><name>n</name>'));
  });

  it('prints maps with itemKey', () => {
    expect(toXml({ k: kobj('KalturaStringValue', { value: 'v' }) }, opts)).toBe(
      wrap('<item><itemKey>k</itemKey><objectType>KalturaStringValue</objectType><value>v</value></item>'),
    );
  });

  it('prints the error shape', () => {
    expect(toXml(toApiException(fail(E.START_SESSION_ERROR, { PID: 123 })), opts)).toBe(
      wrap(
        '<error><code>START_SESSION_ERROR</code><message>Error while starting session for partner [123]</message>' +
          '<objectType>KalturaAPIException</objectType><args><item><objectType>KalturaApiExceptionArg</objectType>' +
          '<name>PID</name><value>123</value></item></args></error>',
      ),
    );
    expect(toXml(toApiException(fail(E.MISSING_KS)), opts)).toContain('<args></args></error>');
  });

  it('wraps each multirequest result in an item', () => {
    const xml = toXml(['ks1', toApiException(fail(E.INVALID_USER_ID)), null], { ...opts, multi: true });
    expect(xml).toBe(
      wrap(
        '<item>ks1</item><item><error><code>INVALID_USER_ID</code><message>Invalid user id</message>' +
          '<objectType>KalturaAPIException</objectType><args></args></error></item><item></item>',
      ),
    );
  });
});
