/**
 * Step: the client address a decision is made for. Country and IP rules are only as good as this
 * address, so a forwarded address is believed only from a configured proxy (ASVS 4.1.3):
 * - peer (socket address) not in GATEHOUSE_TRUSTED_PROXIES → the peer, whatever headers say;
 * - trusted peer with `X-Forwarded-For` → the rightmost address that is not itself a trusted proxy
 *   (the walk Fastify's trustProxy does for `request.ip`, done here over the pre-parsed ranges:
 *   proxy-addr parses each hop with ipaddr.js, an allocation per address on the hot path);
 * - trusted peer without it but with a valid `X-Real-IP` (nginx's `proxy_set_header X-Real-IP`) →
 *   that address;
 * - otherwise the peer.
 */
import type { IncomingMessage } from 'node:http';
import type ipaddr from 'ipaddr.js';
import { IpRanges, parseIpItem, parseIpv4, parseIpv6 } from '../../../core/access/ip.js';
import { plainIp } from '../../plain-ip.js';

export class ClientIpResolver {
  private readonly trusted: IpRanges | null;
  // One-entry memo: behind a proxy, nearly every request comes from the same peer address.
  private lastPeer = '';
  private lastTrusted = false;

  /** `trustedProxies` are the config's normalised CIDRs. */
  constructor(trustedProxies: readonly string[]) {
    const v4: Array<[number, number]> = [];
    const v6Cidrs: Array<[ipaddr.IPv6, number]> = [];
    for (const cidr of trustedProxies) {
      const item = parseIpItem(cidr);
      if ('v4' in item) v4.push(item.v4);
      else if ('v6' in item) v6Cidrs.push(item.v6);
    }
    this.trusted = v4.length + v6Cidrs.length > 0 ? new IpRanges(v4, v6Cidrs) : null;
  }

  /** Whether the socket peer is one of the configured proxies. */
  isTrusted(peer: string): boolean {
    if (this.trusted === null || peer === '') return false;
    if (peer !== this.lastPeer) {
      this.lastTrusted = this.trusted.containsText(peer);
      this.lastPeer = peer;
    }
    return this.lastTrusted;
  }

  /**
   * Right to left through the hops each trusted proxy appended: the first address that is not a
   * trusted proxy is the client; one that is not an address at all stops the walk (it is what a
   * client wrote, as proxy-addr treats it), and if every hop is a proxy the leftmost is the client.
   */
  private walk(xff: string, peer: string): string {
    let end = xff.length;
    let last = peer;
    while (end > 0) {
      const comma = xff.lastIndexOf(',', end - 1);
      const hop = xff.slice(comma + 1, end).trim();
      end = comma < 0 ? 0 : comma;
      if (hop === '') continue;
      last = hop;
      if (!(this.trusted as IpRanges).containsText(hop)) return hop;
    }
    return last;
  }

  resolve(req: Pick<IncomingMessage, 'socket' | 'headers'>): string {
    const peer = req.socket.remoteAddress ?? '';
    if (!this.isTrusted(peer)) return plainIp(peer);
    const xff = req.headers['x-forwarded-for'];
    if (typeof xff === 'string') return plainIp(this.walk(xff, peer));
    const real = req.headers['x-real-ip'];
    if (typeof real === 'string') {
      const ip = real.trim();
      if (parseIpv4(ip) >= 0 || parseIpv6(ip) !== null) return plainIp(ip);
    }
    return plainIp(peer);
  }
}
