/**
 * The client IP of delivery decisions on every dialect: X-Forwarded-For and X-Real-IP are believed
 * only from a peer in GATEHOUSE_TRUSTED_PROXIES (ASVS 4.1.3); from anyone else they are ignored
 * and the socket address decides country and IP rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { block, rule, strings } from '../support/access-control.js';
import { DIALECTS } from '../support/dialects.js';
import { FR, request, startDeliveryWorld, tokenOf, US, type DeliveryWorld } from '../support/delivery.js';
import { kaltura } from '../support/gatehouse.js';

const O = kaltura.objects;
const PROXY = '10.1.2.3';
const STRANGER = '192.0.2.50';

for (const dialect of DIALECTS) {
  describe(`delivery client IP [${dialect}]`, () => {
    let w: DeliveryWorld;
    let geo: string;
    let net: string;
    beforeAll(async () => {
      w = await startDeliveryWorld(dialect, 'delivery-client-ip', { env: { GATEHOUSE_TRUSTED_PROXIES: '10.0.0.0/8,::1' } });
      geo = (await w.entryWith([rule({ conditions: [new O.CountryCondition({ values: strings('FR') })], actions: [block()], message: 'not in France' })])).entry.id;
      net = (await w.entryWith([rule({ conditions: [new O.IpAddressCondition({ values: strings('203.0.113.0/24') })], actions: [block()], message: 'blocked network' })])).entry.id;
    });
    afterAll(() => w?.close());

    const play = (entryId: string, remoteAddress: string, headers: Record<string, string> = {}) => request(w.t, w.playUrl(entryId), { remoteAddress, headers });
    const check = (entryId: string, remoteAddress: string, headers: Record<string, string> = {}) =>
      request(w.t, '/authz/delivery', { remoteAddress, headers: { 'x-original-uri': w.playUrl(entryId), ...headers } });

    it('X-Forwarded-For from a trusted proxy decides country rules; the token carries that address', async () => {
      expect((await play(geo, PROXY, { 'x-forwarded-for': FR })).json()).toMatchObject({ status: 403, message: 'not in France' });
      const us = await play(geo, PROXY, { 'x-forwarded-for': US });
      expect(us.status).toBe(302);
      expect(tokenOf(w.t, String(us.headers.location)).ip).toBe(US);
      expect((await check(geo, PROXY, { 'x-forwarded-for': FR })).status).toBe(403);
      expect((await check(geo, PROXY, { 'x-forwarded-for': US })).status).toBe(200);
      // A chain through several trusted hops: the rightmost address that is not a proxy.
      expect((await check(geo, PROXY, { 'x-forwarded-for': `${FR}, 10.9.9.9` })).status).toBe(403);
      // ... and a client cannot hide behind a forged leftmost entry: the hop our proxy saw wins.
      expect((await check(geo, PROXY, { 'x-forwarded-for': `${US}, ${FR}` })).status).toBe(403);
    });

    it('from an untrusted peer the headers are ignored and the socket address decides', async () => {
      expect((await play(geo, STRANGER, { 'x-forwarded-for': FR })).status).toBe(302);
      expect((await check(geo, STRANGER, { 'x-forwarded-for': FR, 'x-real-ip': FR })).status).toBe(200);
      expect((await check(net, STRANGER, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
      expect((await check(net, '203.0.113.9', { 'x-forwarded-for': STRANGER })).json()).toMatchObject({ status: 403, message: 'blocked network' });
      const r = await play(net, STRANGER, { 'x-real-ip': '203.0.113.9' });
      expect(tokenOf(w.t, String(r.headers.location)).ip).toBe(STRANGER);
    });

    it('X-Real-IP counts from a trusted proxy that sends no X-Forwarded-For; garbage in it is ignored', async () => {
      expect((await check(net, PROXY, { 'x-real-ip': '203.0.113.9' })).status).toBe(403);
      expect((await check(geo, PROXY, { 'x-real-ip': FR })).status).toBe(403);
      expect((await check(net, PROXY, { 'x-real-ip': 'not-an-ip' })).status).toBe(200);
      // X-Forwarded-For wins when both are sent.
      expect((await check(net, PROXY, { 'x-forwarded-for': US, 'x-real-ip': '203.0.113.9' })).status).toBe(200);
    });

    it('an IPv6 proxy (::1) and an IPv4-mapped peer address work like their plain forms', async () => {
      expect((await check(geo, '::1', { 'x-forwarded-for': FR })).status).toBe(403);
      expect((await check(net, '::ffff:203.0.113.9')).status).toBe(403);
      expect((await check(geo, '::ffff:10.1.2.3', { 'x-real-ip': FR })).status).toBe(403);
      const r = await play(geo, '::ffff:192.0.2.77');
      expect(tokenOf(w.t, String(r.headers.location)).ip).toBe('192.0.2.77');
    });
  });
}
