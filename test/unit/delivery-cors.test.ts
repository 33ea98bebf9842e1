/**
 * core/delivery/allowed-origins.ts (what a partner may list, and its stored form) and the delivery
 * door's CORS headers (http/doors/delivery/cors.ts): shared objects, compiled once per partner
 * record, the default path reading one property.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowedOriginsOf, canonicalOrigin, checkAllowedOrigins, MAX_DELIVERY_ORIGINS } from '../../src/core/delivery/allowed-origins.js';
import { allowedRequestHeaders, ANY_ORIGIN, corsFor } from '../../src/http/doors/delivery/cors.js';
import type { Partner } from '../../src/services/model.js';

const req = (origin?: string) => ({ headers: origin === undefined ? {} : { origin } }) as IncomingMessage;
const partner = (settings: Record<string, unknown>) => ({ id: 100, settings }) as Partner;

describe('canonicalOrigin', () => {
  it.each([
    ['https://lms.example.edu', 'https://lms.example.edu'],
    ['HTTPS://LMS.Example.EDU', 'https://lms.example.edu'],
    ['https://lms.example.edu:443', 'https://lms.example.edu'],
    ['http://lms.example.edu:80', 'http://lms.example.edu'],
    ['https://lms.example.edu:8443', 'https://lms.example.edu:8443'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
  ])('%s → %s', (input, out) => expect(canonicalOrigin(input)).toBe(out));

  it.each(['*', 'https://*', 'https://*.example.edu', 'null', '', 'https://', 'https://a.example/', 'https://a.example/x', 'https://a.example?x', 'https://a.example#x', 'https://u:p@a.example', 'a.example', '//a.example', 'ftp://a.example', 'file:///etc', 'capacitor://localhost', 'https://a.example:70000', 'https://a.example.', 'https://a..example', 'https://a example', ' https://a.example', 'https://a.example\\x', `https://${'a'.repeat(260)}.example`])(
    'refuses %j',
    (input) => expect(canonicalOrigin(input)).toBeUndefined(),
  );
});

describe('checkAllowedOrigins', () => {
  it('canonical, in order, without duplicates; [] is fine (any origin)', () => {
    expect(checkAllowedOrigins(['https://B.example', 'https://a.example', 'https://b.example:443'])).toEqual({ ok: true, origins: ['https://b.example', 'https://a.example'] });
    expect(checkAllowedOrigins([])).toEqual({ ok: true, origins: [] });
  });
  it('names the first bad entry; bounds the count', () => {
    expect(checkAllowedOrigins(['https://a.example', 'https://*.b.example'])).toEqual({ ok: false, problem: 'not_an_origin', index: 1 });
    const many = Array.from({ length: MAX_DELIVERY_ORIGINS + 1 }, (_, i) => `https://h${i}.example`);
    expect(checkAllowedOrigins(many)).toEqual({ ok: false, problem: 'too_many' });
    expect(checkAllowedOrigins(many.slice(1)).ok).toBe(true);
  });
  it('allowedOriginsOf reads only canonical strings from stored settings', () => {
    expect(allowedOriginsOf({})).toEqual([]);
    expect(allowedOriginsOf({ deliveryAllowedOrigins: 'https://a.example' })).toEqual([]);
    expect(allowedOriginsOf({ deliveryAllowedOrigins: ['https://a.example', 42, 'HTTPS://B.example', '*'] })).toEqual(['https://a.example']);
  });
});

describe('corsFor', () => {
  it('any origin by default, for an unknown partner and for an empty list: one shared object', () => {
    expect(ANY_ORIGIN).toEqual({ 'access-control-allow-origin': '*', 'access-control-expose-headers': 'X-Gatehouse-Reason, WWW-Authenticate, Retry-After' });
    expect(Object.isFrozen(ANY_ORIGIN)).toBe(true);
    for (const p of [undefined, partner({}), partner({ deliveryAllowedOrigins: [] }), partner({ deliveryAllowedOrigins: ['*'] })]) {
      expect(corsFor(p, req('https://evil.example'))).toBe(ANY_ORIGIN);
      expect(corsFor(p, req())).toBe(ANY_ORIGIN);
    }
  });

  it('a list echoes listed origins with Vary: Origin, the same object each time; others only vary', () => {
    const p = partner({ deliveryAllowedOrigins: ['https://lms.example.edu', 'http://127.0.0.1:8080'] });
    const listed = corsFor(p, req('https://lms.example.edu'));
    expect(listed).toEqual({ 'access-control-allow-origin': 'https://lms.example.edu', 'access-control-expose-headers': 'X-Gatehouse-Reason, WWW-Authenticate, Retry-After', vary: 'Origin' });
    expect(corsFor(p, req('https://lms.example.edu'))).toBe(listed);
    expect(corsFor(p, req('http://127.0.0.1:8080'))['access-control-allow-origin']).toBe('http://127.0.0.1:8080');
    for (const o of ['https://evil.example', 'https://LMS.example.edu', 'https://lms.example.edu, https://evil.example', 'null', undefined]) {
      expect(corsFor(p, req(o))).toEqual({ vary: 'Origin' });
    }
  });

  it('is compiled per partner record: a changed partner (a new cached object) answers its new list', () => {
    const before = partner({ deliveryAllowedOrigins: ['https://a.example'] });
    const after = partner({ deliveryAllowedOrigins: ['https://b.example'] });
    expect(corsFor(before, req('https://a.example'))['access-control-allow-origin']).toBe('https://a.example');
    expect(corsFor(after, req('https://a.example'))['access-control-allow-origin']).toBeUndefined();
    expect(corsFor(after, req('https://b.example'))['access-control-allow-origin']).toBe('https://b.example');
  });
});

describe('allowedRequestHeaders', () => {
  it('echoes the requested headers that are allowed, lower-case, once', () => {
    expect(allowedRequestHeaders(undefined)).toBe('');
    expect(allowedRequestHeaders('')).toBe('');
    expect(allowedRequestHeaders('range')).toBe('range');
    expect(allowedRequestHeaders('Range, If-Range,x-custom , authorization,cache-control,range')).toBe('range, if-range, cache-control');
    expect(allowedRequestHeaders('authorization, cookie, content-type')).toBe('');
  });
});
