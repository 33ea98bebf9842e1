import { describe, it, expect } from 'vitest';
import { collectParams } from '../../../src/http/doors/kaltura/wire/params.js';
import { GatehouseError } from '../../../src/core/errors/index.js';

const req = (over: Partial<Parameters<typeof collectParams>[0]>) =>
  collectParams({ pathTail: '', query: '', body: undefined, contentType: undefined, ...over });

/** Plain-object view of a null-prototype tree, for readable assertions. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('collectParams: bodies', () => {
  it('reads a JSON body only for the exact content type application/json', () => {
    const body = '{"secret":"s","type":2,"nested":{"a":[1,2]}}';
    expect(plain(req({ body, contentType: 'application/json' }))).toEqual({ secret: 's', type: 2, nested: { a: [1, 2] } });
    expect(plain(req({ body: Buffer.from(body), contentType: 'Application/JSON' }))).toEqual({ secret: 's', type: 2, nested: { a: [1, 2] } });
  });

  it('ignores a JSON body sent as application/json; charset=utf-8', () => {
    expect(plain(req({ body: '{"secret":"s"}', contentType: 'application/json; charset=utf-8' }))).toEqual({});
  });

  it('ignores JSON that is not an object or does not parse (no 500)', () => {
    expect(plain(req({ body: '[1,2]', contentType: 'application/json' }))).toEqual({});
    expect(plain(req({ body: '{"a":', contentType: 'application/json' }))).toEqual({});
    expect(plain(req({ body: '{"a":1} {"b":2}', contentType: 'application/json' }))).toEqual({});
  });

  it('parses form bodies with bracket nesting', () => {
    const body =
      'accessControlProfile[objectType]=KalturaAccessControlProfile&accessControlProfile[name]=p+1' +
      '&accessControlProfile[rules][0][conditions][0][values][0][value]=US&format=1';
    expect(plain(req({ body, contentType: 'application/x-www-form-urlencoded; charset=UTF-8' }))).toEqual({
      accessControlProfile: {
        objectType: 'KalturaAccessControlProfile',
        name: 'p 1',
        rules: [{ conditions: [{ values: [{ value: 'US' }] }] }],
      },
      format: '1',
    });
    expect(plain(req({ body: 'a=1&a=2' }))).toEqual({ a: '2' });
  });

  it('ignores text/plain and multipart bodies', () => {
    expect(plain(req({ body: 'a=1', contentType: 'text/plain' }))).toEqual({});
    expect(plain(req({ body: 'a=1', contentType: 'multipart/form-data; boundary=x' }))).toEqual({});
  });

  it('keeps 500 list items as a list and big indices as keys', () => {
    const body = Array.from({ length: 500 }, (_, i) => `l[${i}][v]=${i}`).join('&') + '&big[99999999]=x';
    const out = req({ body }) as { l: unknown[]; big: Record<string, unknown> };
    expect(Array.isArray(out.l)).toBe(true);
    expect(out.l).toHaveLength(500);
    expect(plain(out.big)).toEqual({ '99999999': 'x' });
  });

  it('drops invalid UTF-8 bytes and keeps valid ones', () => {
    expect(plain(req({ query: 'a=%FFok%C3%A9&b=100%' }))).toEqual({ a: 'oké', b: '100%' });
    expect(plain(req({ body: Buffer.from([0x61, 0x3d, 0xc3, 0x28, 0x62]) }))).toEqual({ a: '(b' });
  });
});

describe('collectParams: colon keys and the - marker', () => {
  it('expands colon keys into nesting at any level', () => {
    expect(plain(req({ query: 'filter:idEqual=5&filter:objectType=KalturaX&1:filter:statusIn=1,2' }))).toEqual({
      filter: { idEqual: '5', objectType: 'KalturaX' },
      1: { filter: { statusIn: '1,2' } },
    });
    const body = JSON.stringify({ 1: { 'filter:idEqual': 7, filter: { a: 1 } } });
    expect(plain(req({ body, contentType: 'application/json' }))).toEqual({ 1: { filter: { a: 1, idEqual: 7 } } });
  });

  it('turns a trailing - into an empty list, in flat and bracket form', () => {
    expect(req({ query: 'profile:rules:-=' })).toEqual({ profile: { rules: [] } });
    expect(req({ body: 'profile[rules][-]=&profile[name]=x' })).toEqual({ profile: { rules: [], name: 'x' } });
    expect(req({ body: '{"profile":{"rules":{"-":""}}}', contentType: 'application/json' })).toEqual({ profile: { rules: [] } });
  });

  it('refuses absurdly deep colon keys with a catalogue error', () => {
    expect(() => req({ query: `${'a:'.repeat(200)}b=1` })).toThrow(GatehouseError);
  });
});

describe('collectParams: path pairs and precedence', () => {
  it('reads service, action and extra pairs from the path', () => {
    expect(plain(req({ pathTail: '/service/session/action/start/partnerId/5' }))).toEqual({ service: 'session', action: 'start', partnerId: '5' });
    expect(plain(req({ pathTail: '/index.php/service/x/action/y' }))).toEqual({ service: 'x', action: 'y' });
    expect(plain(req({ pathTail: '/service/multirequest' }))).toEqual({ service: 'multirequest' });
    expect(plain(req({ pathTail: '/service/a%20b/action' }))).toEqual({ service: 'a b' });
    expect(plain(req({ pathTail: '' }))).toEqual({});
  });

  it('merges path > query > body, recursively', () => {
    const out = req({
      pathTail: '/service/session/action/start/partnerId/3',
      query: 'partnerId=2&filter[b]=q&ks=fromQuery',
      body: JSON.stringify({ partnerId: 1, filter: { a: 'body', b: 'body' }, ks: 'fromBody', secret: 's' }),
      contentType: 'application/json',
    });
    expect(plain(out)).toEqual({ partnerId: '3', filter: { a: 'body', b: 'q' }, ks: 'fromQuery', secret: 's', service: 'session', action: 'start' });
  });
});

describe('collectParams: prototype pollution', () => {
  it('drops __proto__, constructor and prototype keys from every source', () => {
    const out = req({
      pathTail: '/__proto__/x/service/s',
      query: '__proto__[polluted]=1&constructor[prototype][polluted]=1&a:__proto__:polluted=1&ok=1',
      body: '{"__proto__":{"polluted":1},"b":{"constructor":{"prototype":{"polluted":1}},"c":1}}',
      contentType: 'application/json',
    });
    expect(plain(out)).toEqual({ ok: '1', b: { c: 1 }, service: 's' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBeNull();
    const form = req({ body: 'x[__proto__][polluted]=1&x[y]=2' });
    expect(plain(form)).toEqual({ x: { y: '2' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
