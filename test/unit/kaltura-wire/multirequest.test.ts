import { describe, it, expect } from 'vitest';
import { splitMultiRequest, resolvePlaceholders, MAX_SUB_REQUESTS } from '../../../src/http/doors/kaltura/wire/multirequest.js';
import { collectParams } from '../../../src/http/doors/kaltura/wire/params.js';
import { toApiException } from '../../../src/http/doors/kaltura/wire/errors.js';
import { E, fail, GatehouseError } from '../../../src/core/errors/index.js';

const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

describe('splitMultiRequest', () => {
  it('splits a node-style 0-based body and propagates ks, partnerId and clientTag', () => {
    const body = JSON.stringify({
      0: { secret: 's', partnerId: 1, format: 1, service: 'session', action: 'start' },
      1: { session: '{1:result}', format: 1, service: 'session', action: 'get', ks: 'own' },
      format: 1, apiVersion: '21.20.0', clientTag: 'node:25-07-20', ks: 'top', kalsig: 'x',
    });
    const raw = collectParams({ pathTail: '/service/multirequest', query: '', body, contentType: 'application/json' });
    expect(plain(splitMultiRequest(raw))).toEqual([
      { secret: 's', partnerId: 1, service: 'session', action: 'start', ks: 'top', clientTag: 'node:25-07-20' },
      { session: '{1:result}', service: 'session', action: 'get', ks: 'own', clientTag: 'node:25-07-20' },
    ]);
  });

  it('accepts 1-based flat n:param keys and stops at the first gap or incomplete item', () => {
    const query = '1:service=a&1:action=x&2:service=b&2:action=y&2:filter:idEqual=5&4:service=c&4:action=z&partnerId=9';
    const subs = splitMultiRequest(collectParams({ pathTail: '', query, body: undefined, contentType: undefined }));
    expect(plain(subs)).toEqual([
      { service: 'a', action: 'x', partnerId: '9' },
      { service: 'b', action: 'y', filter: { idEqual: '5' }, partnerId: '9' },
    ]);
    expect(splitMultiRequest({ 1: { service: 'a', action: 'x' }, 2: { service: 'b' }, 3: { service: 'c', action: 'z' } })).toHaveLength(1);
    expect(splitMultiRequest({ service: 'multirequest' })).toEqual([]);
  });

  it('caps the number of sub-requests', () => {
    const raw: Record<string, unknown> = {};
    for (let i = 0; i <= MAX_SUB_REQUESTS; i++) raw[String(i)] = { service: 's', action: 'a' };
    expect(() => splitMultiRequest(raw)).toThrow(GatehouseError);
    delete raw[String(MAX_SUB_REQUESTS)];
    expect(splitMultiRequest(raw)).toHaveLength(MAX_SUB_REQUESTS);
  });
});

describe('resolvePlaceholders', () => {
  const results = [
    'djJ8ks',
    { objects: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }], totalCount: 2, ok: true, objectType: 'KalturaListResponse' },
    toApiException(fail(E.INVALID_USER_ID)),
  ];

  it('replaces ordinal placeholders (1 = first executed, whatever the keys)', () => {
    expect(resolvePlaceholders({ session: '{1:result}', other: 'x' }, results)).toEqual({ session: 'djJ8ks', other: 'x' });
  });

  it('walks nested paths, list indices and replaces only the first placeholder, as a substring', () => {
    const sub = { filter: { idEqual: 'pre-{2:result:objects:1:id}-{2:result:totalCount}' }, list: ['{2:result:ok}'], n: 5 };
    expect(resolvePlaceholders(sub, results)).toEqual({ filter: { idEqual: 'pre-b-{2:result:totalCount}' }, list: ['1'], n: 5 });
  });

  it('joins _all with a trailing comma', () => {
    expect(resolvePlaceholders({ idIn: '{2:result:objects:_all:id}' }, results)).toEqual({ idIn: 'a,b,' });
  });

  it('gives an empty string for missing values, objects, errors and future results', () => {
    const sub = { a: '{2:result:nope}', b: '{2:result:objects}', c: '{3:result:code}', d: '{9:result}', e: '{0:result}' };
    expect(resolvePlaceholders(sub, results)).toEqual({ a: '', b: '', c: '', d: '', e: '' });
  });

  it('does not mutate its input', () => {
    const sub = { s: '{1:result}' };
    resolvePlaceholders(sub, results);
    expect(sub.s).toBe('{1:result}');
  });
});
