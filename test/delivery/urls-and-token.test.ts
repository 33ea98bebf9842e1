/** Pure parts of the delivery door: the URL forms, the KS-free forwarded target, and the gh_token format. */
import { describe, expect, it } from 'vitest';
import { deriveDeliveryTokenKey, signDeliveryToken, verifyDeliveryToken } from '../../src/core/delivery/token.js';
import { forwardedTarget, parseDeliveryUri, queryValue } from '../../src/http/doors/delivery/urls.js';

describe('delivery URL forms', () => {
  it.each([
    ['/p/100/sp/10000/playManifest/entryId/0_abc/format/url/protocol/https/a.mp4', { partnerId: 100, entryId: '0_abc', context: 1, ks: '', ksSegment: -1 }],
    ['/p/100/sp/10000/playmanifest/entry_id/0_abc', { partnerId: 100, entryId: '0_abc', context: 1 }],
    ['/p/100/sp/10000/raw/entry_id/0_abc/version/1/clip.mp4', { entryId: '0_abc', context: 2 }],
    ['/p/100/thumbnail/entry_id/0_abc/width/120/height/90', { entryId: '0_abc', context: 3 }],
    ['/p/100/sp/10000/thumbnail/entry_id/0_abc', { entryId: '0_abc', context: 3 }],
    ['/p/100/sp/10000/playManifest/entryId/0_abc/ks/djJ8MTAw/a.mp4', { ks: 'djJ8MTAw', ksSegment: 8 }],
    ['/p/100/sp/10000/playManifest/entryId/0_abc/a.mp4?x=1&ks=djJ8MTAw%3D&y', { ks: 'djJ8MTAw=', ksSegment: -1 }],
    // The path's KS wins over the query's.
    ['/p/100/sp/10000/playManifest/ks/PATH/entryId/0_abc?ks=QUERY', { ks: 'PATH', ksSegment: 6 }],
  ])('%s', (uri, expected) => {
    expect(parseDeliveryUri(uri, false)).toMatchObject(expected);
  });

  it.each([
    '/p/100/sp/10000/playManifest/format/url',
    '/p/0/sp/0/playManifest/entryId/0_abc',
    '/p/-1/sp/-100/playManifest/entryId/0_abc',
    '/p/100/sp/10000/download/entryId/0_abc',
    '/p/100/sp/10000/playManifest/entryId/0_a%2Fb',
    '/p/100/sp/10000/playManifest/entryId/%E0%A4%A',
    `/p/100/sp/10000/playManifest/entryId/0_abc/ks/${'k'.repeat(5000)}`,
    '/videos/a.mp4?partnerId=100&entryId=0_abc',
    '/p/100/sp/10000/constructor/entryId/0_abc',
    '/p/100/__proto__/entryId/0_abc',
  ])('not a delivery URL: %s', (uri) => {
    expect(parseDeliveryUri(uri, false)).toBeUndefined();
  });

  it('the generic form (forward-auth only) reads partnerId, entryId, context and ks from the query', () => {
    expect(parseDeliveryUri('/videos/a.mp4?partnerId=100&entryId=0_abc', true)).toEqual({ partnerId: 100, entryId: '0_abc', context: 1, ks: '', ksSegment: -1 });
    expect(parseDeliveryUri('/v?entryId=0_abc&partnerId=100&context=DOWNLOAD&ks=a%2Bb', true)).toMatchObject({ context: 2, ks: 'a+b' });
    expect(parseDeliveryUri('/v?entryId=0_abc&partnerId=100&context=3', true)).toMatchObject({ context: 3 });
    expect(parseDeliveryUri('/v?entryId=0_abc&partnerId=100&context=serve', true)).toBeUndefined();
    expect(parseDeliveryUri('/v?entryId=0_abc&partnerId=100&context=constructor', true)).toBeUndefined();
    expect(parseDeliveryUri('/v?entryId=0_abc', true)).toBeUndefined();
    expect(parseDeliveryUri('/p/100/nothing?partnerId=100&entryId=0_abc', true)).toMatchObject({ entryId: '0_abc' });
  });

  it('queryValue matches whole parameter names only', () => {
    expect(queryValue('xks=1&ks=2', 'ks')).toBe('2');
    expect(queryValue('ks', 'ks')).toBeUndefined();
    expect(queryValue('a=1&ks=', 'ks')).toBe('');
  });

  it('the forwarded target drops the KS pair, the ks parameter and any client gh_* parameter', () => {
    const uri = '/p/100/sp/10000/playManifest/entryId/0_abc/ks/SECRET/format/url/a.mp4?a=1&ks=SECRET&gh_token=x.y&gh_preview=0&b=2#frag';
    const t = parseDeliveryUri(uri, false);
    expect(t).toBeDefined();
    expect(forwardedTarget(uri, t!)).toEqual({ path: '/p/100/sp/10000/playManifest/entryId/0_abc/format/url/a.mp4', query: 'a=1&b=2' });
  });
});

describe('gh_token', () => {
  const key = deriveDeliveryTokenKey(Buffer.alloc(32, 7));
  const claims = { partnerId: 100, entryId: '0_abc', context: 'play' as const, expiresAt: 1_800_000_060, ip: '203.0.113.7' };

  it('has the documented shape: base64url(JSON) "." base64url(HMAC-SHA256 of the first part)', () => {
    const token = signDeliveryToken(key, { ...claims, previewSeconds: 30 });
    const [payload, sig] = token.split('.');
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toEqual({ v: 1, pid: 100, eid: '0_abc', ctx: 'play', exp: 1_800_000_060, ip: '203.0.113.7', pv: 30 });
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it('the key is HKDF-SHA256 of the master key with an empty salt and the fixed label', async () => {
    const { hkdfSync } = await import('node:crypto');
    expect(deriveDeliveryTokenKey(Buffer.alloc(32, 7))).toEqual(Buffer.from(hkdfSync('sha256', Buffer.alloc(32, 7), Buffer.alloc(0), 'gatehouse/delivery-token/v1', 32)));
    expect(deriveDeliveryTokenKey(Buffer.alloc(32, 8))).not.toEqual(key);
  });

  it('verifies until exp, and refuses tampering, another key and junk', () => {
    const token = signDeliveryToken(key, claims);
    expect(verifyDeliveryToken(key, token, claims.expiresAt)).toEqual({ ok: true, claims });
    expect(verifyDeliveryToken(key, token, claims.expiresAt + 1)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyDeliveryToken(deriveDeliveryTokenKey(Buffer.alloc(32, 9)), token, 0)).toEqual({ ok: false, reason: 'signature' });
    const [, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ v: 1, pid: 100, eid: '0_other', ctx: 'play', exp: claims.expiresAt, ip: claims.ip })).toString('base64url');
    expect(verifyDeliveryToken(key, `${forged}.${sig}`, 0)).toEqual({ ok: false, reason: 'signature' });
    for (const junk of ['', '.', 'abc', 'a.b.c', `${token}x`]) expect(verifyDeliveryToken(key, junk, 0).ok).toBe(false);
  });
});
