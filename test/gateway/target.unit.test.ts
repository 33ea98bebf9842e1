/** The pure parts of the gateway: target normalisation, longest-prefix route tables, JWT parsing. */
import { createSecretKey } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTimeClaims, parseCompactJwt, verifyHs256 } from '../../src/core/jwt/consumer-token.js';
import { compileRoutes } from '../../src/core/gateway/routes.js';
import { normaliseMethod, normaliseTarget, queryValues } from '../../src/core/gateway/target.js';
import { hs256, hs256Raw } from '../support/consumer.js';

describe('normaliseTarget', () => {
  const path = (t: string) => {
    const r = normaliseTarget(t);
    return r.ok ? r.path : `!${r.reason}`;
  };
  it('resolves what a proxy resolves before prefixes are compared', () => {
    expect(path('/api/v1/read?x=1')).toBe('/api/v1/read');
    expect(path('/public/../admin')).toBe('/admin');
    expect(path('/public/%2e%2e/admin')).toBe('/admin');
    expect(path('/public/%2E%2E/admin/')).toBe('/admin/');
    expect(path('//admin///x')).toBe('/admin/x');
    expect(path('/a/./b/.')).toBe('/a/b/');
    expect(path('/../../etc')).toBe('/etc');
    expect(path('/caf%C3%A9')).toBe('/café');
    expect(path('https://api.example.org/v1/x?y#z')).toBe('/v1/x');
    expect(path('http://h')).toBe('/');
  });
  it('refuses what stays ambiguous', () => {
    expect(path('/a%2Fb')).toBe('!encoded path separator');
    expect(path('/a%5cb')).toBe('!encoded path separator');
    expect(path('/a\\b')).toMatch(/backslash/);
    expect(path('/a%00b')).toMatch(/control/);
    expect(path('/a%zz')).toBe('!malformed percent-encoding');
    expect(path('')).toBe('!empty request target');
    expect(path('api/x')).toBe('!request target is not a path');
    expect(path(`/${'a'.repeat(9000)}`)).toBe('!request target too long');
  });
  it('keeps the raw query for API keys', () => {
    const r = normaliseTarget('/x?a=1&key=gh_abc&key=%2B+');
    expect(r.ok && queryValues(r.query, 'key')).toEqual(['gh_abc', '+ ']);
    expect(normaliseMethod(' post ')).toBe('POST');
    expect(normaliseMethod('GE T')).toBeUndefined();
  });
});

describe('compileRoutes', () => {
  const table = compileRoutes([
    { routePrefix: '/', id: 'root' },
    { routePrefix: '/api/content', id: 'content' },
    { routePrefix: '/api/content/v2/', id: 'v2' },
    { routePrefix: '/api/user/read', id: 'user-read' },
    { routePrefix: '/caf%C3%A9', id: 'cafe' },
  ]);
  const match = (p: string) => table.match(p)?.id;
  it('picks the longest prefix on segment boundaries', () => {
    expect(match('/api/content')).toBe('content');
    expect(match('/api/content/read/1')).toBe('content');
    expect(match('/api/content/v2/x')).toBe('v2');
    expect(match('/api/content/v2')).toBe('content');
    expect(match('/api/contents')).toBe('root');
    expect(match('/api/user/read/7')).toBe('user-read');
    expect(match('/api/user/readers')).toBe('root');
    expect(match('/café/menu')).toBe('cafe');
  });
  it('matches nothing without a covering prefix', () => {
    const t2 = compileRoutes([{ routePrefix: '/api/content', id: 'c' }]);
    expect(t2.match('/api/contents')).toBeUndefined();
    expect(t2.match('/')).toBeUndefined();
    expect(compileRoutes([]).match('/x')).toBeUndefined();
  });
  it('agrees with the rule read literally: the longest prefix that is the path, or ends a segment of it', () => {
    const covers = (prefix: string, path: string) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
    const segment = fc.constantFrom('a', 'b', 'ab', 'api', 'v1', '');
    const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`);
    fc.assert(
      fc.property(fc.uniqueArray(path, { maxLength: 6 }), path, (prefixes, p) => {
        const expected = prefixes.filter((x) => covers(x, p)).sort((a, b) => b.length - a.length)[0];
        expect(compileRoutes(prefixes.map((routePrefix) => ({ routePrefix }))).match(p)?.routePrefix).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('consumer JWT parsing and HS256', () => {
  const secret = createSecretKey(Buffer.from('8ba62750', 'utf8'));
  it('parses a Sunbird token and verifies it with the direct HMAC', () => {
    const token = hs256Raw('{"typ":"JWT","alg":"HS256"}', '{"iss":"07dcc362"}', '8ba62750');
    const p = parseCompactJwt(token);
    expect(p.ok && p.jwt.payload).toEqual({ iss: '07dcc362' });
    expect(p.ok && verifyHs256(p.jwt, secret)).toBe(true);
    expect(p.ok && verifyHs256(p.jwt, createSecretKey(Buffer.from('other')))).toBe(false);
  });
  it('accepts only the canonical signature encoding', () => {
    const token = hs256('8ba62750', { iss: 'k' });
    const sig = token.split('.')[2]!;
    // Flip the unused low bits of the last base64url character: same bytes, another string.
    const last = sig.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const twin = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(Buffer.from(sig.slice(0, -1) + twin, 'base64url')).toEqual(Buffer.from(sig, 'base64url'));
    const p = parseCompactJwt(token.slice(0, -1) + twin);
    expect(p.ok && verifyHs256(p.jwt, secret)).toBe(false);
  });
  it('refuses malformed shapes and unknown critical headers', () => {
    const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    expect(parseCompactJwt('a.b')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCompactJwt('a.b.c.d')).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCompactJwt(`${b({ alg: 'none' })}.${b({ iss: 'k' })}.`)).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCompactJwt(`${b([1])}.${b({})}.c2ln`)).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCompactJwt(`${b({ typ: 'JWT' })}.${b({})}.c2ln`)).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCompactJwt(`${b({ alg: 'HS256', crit: ['b64'], b64: false })}.${b({})}.c2ln`)).toEqual({ ok: false, reason: 'unsupported header' });
    expect(parseCompactJwt(`${b({ alg: 'HS256', kid: 7 })}.${b({})}.c2ln`)).toEqual({ ok: false, reason: 'malformed' });
    expect(parseCompactJwt(`${'a'.repeat(9000)}.b.c`)).toEqual({ ok: false, reason: 'malformed' });
  });
  it('checks exp, nbf and the lifetime policy', () => {
    expect(checkTimeClaims({}, 1000, 0)).toBeUndefined();
    expect(checkTimeClaims({ exp: 1000 }, 1000, 0)).toBe('expired');
    expect(checkTimeClaims({ exp: 1001, nbf: 1000 }, 1000, 0)).toBeUndefined();
    expect(checkTimeClaims({ nbf: 1001 }, 1000, 0)).toBe('not yet valid');
    expect(checkTimeClaims({ exp: '2000' }, 1000, 0)).toBe('bad claim');
    expect(checkTimeClaims({}, 1000, 60)).toBe('exp required');
    expect(checkTimeClaims({ exp: 1061 }, 1000, 60)).toBe('exceeds max lifetime');
    expect(checkTimeClaims({ exp: 1060 }, 1000, 60)).toBeUndefined();
  });
});
