// collectParams takes a shortcut for plain JSON calls; it must answer exactly what the general path does.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { collectParams, collectParamsGeneral, type RawRequest } from '../../../src/http/doors/kaltura/wire/params.js';

/** Keys that hit every rule the shortcut must decline or copy faithfully. */
const key = fc.oneof(
  fc.constantFrom(
    'ks', 'format', 'service', 'action', 'partnerId', 'filter', 'idEqual', 'objectType', '-', '0', '1', '10', 'name__null',
    '__proto__', 'constructor', 'prototype', 'a:b', 'filter:idEqual', ':', 'toString', 'hasOwnProperty', '',
  ),
  fc.string({ maxLength: 6 }),
);
const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('%41', '+', '\uD800'));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(key, tie('node'), { maxKeys: 5 }),
})).map;

const pathTail = fc.oneof(
  fc.constantFrom('/service/session/action/get', '/service/userRole/action/list/', '/service/session/action/get/partnerId/5', '/index.php/service/a/action/b'),
  fc.constantFrom('/service//action/get', '/Service/session/action/get', '/service/multirequest', '/service/a%41/action/b', '', '/service/a/action'),
  fc.tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })).map(([s, a]) => `/service/${s}/action/${a}`),
);
const contentType = fc.constantFrom('application/json', 'Application/JSON', ' application/json ', 'application/json; charset=utf-8', undefined, 'text/plain');

/** JSON text for a tree, sometimes wrapped in whitespace or spelt with a duplicate/`__proto__` key by hand. */
const jsonBody = fc.oneof(
  { weight: 6, arbitrary: tree.map((t) => JSON.stringify(t)) },
  fc.tuple(tree, fc.constantFrom(' ', '\n', '')).map(([t, ws]) => ws + JSON.stringify(t) + ws),
  fc.constantFrom('{"__proto__":{"polluted":1},"ks":"k"}', '{"a":1,"a":2}', '{"a":', '[1,2]', '{}', '{"a":{"b":{"-":""}}}', '{"x":1} {"y":2}'),
);

const request = fc.record({
  pathTail,
  query: fc.constantFrom('', 'format=1', 'a:b=1'),
  body: fc.oneof(jsonBody, jsonBody.map((b) => Buffer.from(b)), fc.constant(undefined), fc.constant(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))),
  contentType,
});

/** The result of a call, or the error code it threw. */
function outcome(f: (r: RawRequest) => unknown, r: RawRequest): unknown {
  try {
    return { ok: f(r) };
  } catch (e) {
    return { threw: (e as { code?: string }).code ?? String(e) };
  }
}

function nullPrototypes(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (Array.isArray(v)) return v.every(nullPrototypes);
  return Object.getPrototypeOf(v) === null && Object.values(v).every(nullPrototypes);
}

describe('collectParams shortcut for JSON calls', () => {
  it('answers exactly what the general path answers, prototypes included', () => {
    fc.assert(
      fc.property(request, (r) => {
        const fast = outcome(collectParams, r);
        expect(fast).toStrictEqual(outcome(collectParamsGeneral, r));
        if ('ok' in (fast as object)) expect(nullPrototypes((fast as { ok: unknown }).ok)).toBe(true);
      }),
      { numRuns: 3000 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers exactly what the general path answers for the shapes the shortcut takes', () => {
    const simple = fc.record({
      pathTail: fc.constantFrom('/service/session/action/get', '/service/userRole/action/list/'),
      query: fc.constant(''),
      body: fc.oneof(jsonBody, jsonBody.map((b) => Buffer.from(b))),
      contentType: fc.constant('application/json'),
    });
    fc.assert(
      fc.property(simple, (r) => {
        expect(outcome(collectParams, r)).toStrictEqual(outcome(collectParamsGeneral, r));
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the path service and action precedence over the body', () => {
    const r = { pathTail: '/service/session/action/get', query: '', body: '{"service":"user","action":{"x":1},"ks":"k"}', contentType: 'application/json' };
    expect(collectParams(r)).toStrictEqual(collectParamsGeneral(r));
    expect({ ...collectParams(r) }).toEqual({ service: 'session', action: 'get', ks: 'k' });
  });

  it('matches the general path on a body nested deeper than the shortcut copies', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 40; i++) deep = { n: deep };
    const r = { pathTail: '/service/a/action/b', query: '', body: JSON.stringify({ deep }), contentType: 'application/json' };
    expect(collectParams(r)).toStrictEqual(collectParamsGeneral(r));
  });
});
