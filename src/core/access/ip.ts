/**
 * IP lists of `ipAddress` conditions, pre-parsed into sorted integer ranges (IPv4) and CIDRs
 * (IPv6) at compile time, so a decision costs one integer parse of the client IP and a search.
 *
 * Syntax is validated with ipaddr.js (STYLE rule 15: no hand-rolled IP parsing of admin input).
 * The one hand-written piece is `parseIpv4`, the per-request conversion of the client IP to an
 * integer: ipaddr.js allocates an object per parse, which would be most of a decision's budget.
 * It is strict (four decimal parts, no leading zeros) and property-tested against ipaddr.js.
 */
import ipaddr from 'ipaddr.js';

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * Strict dotted-quad IPv4 (also as the IPv4-mapped IPv6 `::ffff:a.b.c.d` that dual-stack sockets
 * report) to an unsigned 32-bit integer; -1 when the text is anything else.
 */
export function parseIpv4(s: string): number {
  let i = 0;
  if (s.length > 7 && s.charCodeAt(0) === 58 /* : */) {
    if (!(s.startsWith('::ffff:') || s.startsWith('::FFFF:'))) return -1;
    i = 7;
  }
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      if (digits === 1 && part === 0) return -1; // leading zero: octal in some parsers, refused
      part = part * 10 + (c - ZERO);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else return -1;
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + part;
}

/** A strict IPv6 address (no zone id), or null. */
export function parseIpv6(s: string): ipaddr.IPv6 | null {
  if (s.includes('%') || !ipaddr.IPv6.isValid(s)) return null;
  return ipaddr.IPv6.parse(s);
}

function v4ToInt(a: ipaddr.IPv4): number {
  const [b0, b1, b2, b3] = a.octets as [number, number, number, number];
  return ((b0 * 256 + b1) * 256 + b2) * 256 + b3;
}

function strictV4(text: string): number | undefined {
  return ipaddr.IPv4.isValidFourPartDecimal(text) ? v4ToInt(ipaddr.IPv4.parse(text)) : undefined;
}

const TWO_32 = 2 ** 32;

/** Why one IP list item is unusable, or its parsed form. */
type ParsedItem = { v4: [number, number] } | { v6: [ipaddr.IPv6, number] } | { problem: string };

/**
 * One item of an IP list: `1.2.3.4`, `10.0.0.0/8`, `10.0.0.0/255.0.0.0`, `10.0.0.1-10.0.0.9`
 * (inclusive), or, as our extension, an IPv6 address or CIDR.
 */
export function parseIpItem(item: string): ParsedItem {
  const dash = item.indexOf('-');
  if (dash >= 0) {
    const from = strictV4(item.slice(0, dash).trim());
    const to = strictV4(item.slice(dash + 1).trim());
    if (from === undefined || to === undefined) return { problem: 'a range must be two IPv4 addresses, e.g. 10.0.0.1-10.0.0.9' };
    if (from > to) return { problem: 'the range ends before it starts' };
    return { v4: [from, to] };
  }
  const slash = item.indexOf('/');
  if (slash >= 0) {
    const addr = item.slice(0, slash);
    const suffix = item.slice(slash + 1);
    const base = strictV4(addr);
    if (base !== undefined) {
      let prefix: number | null;
      if (/^\d{1,2}$/.test(suffix)) prefix = Number(suffix);
      else if (ipaddr.IPv4.isValidFourPartDecimal(suffix)) prefix = ipaddr.IPv4.parse(suffix).prefixLengthFromSubnetMask();
      else return { problem: 'the part after "/" must be a prefix length (0-32) or a netmask such as 255.255.0.0' };
      // A non-contiguous mask (255.0.255.0) is not a range; Kaltura would AND it, we refuse it.
      if (prefix === null) return { problem: 'the netmask is not contiguous' };
      if (prefix > 32) return { problem: 'an IPv4 prefix length is at most 32' };
      const size = 2 ** (32 - prefix);
      const network = base - (base % size); // host bits are ignored, as Kaltura's masked compare does
      return { v4: [network, Math.min(network + size - 1, TWO_32 - 1)] };
    }
    if (!addr.includes('%') && ipaddr.IPv6.isValidCIDR(item)) return { v6: ipaddr.IPv6.parseCIDR(item) };
    return { problem: 'not an IPv4 CIDR/netmask or IPv6 CIDR' };
  }
  const single = strictV4(item);
  if (single !== undefined) return { v4: [single, single] };
  const v6 = parseIpv6(item);
  if (v6) return { v6: [v6, 128] };
  return { problem: 'not an IPv4/IPv6 address, CIDR, netmask or range' };
}

/** Ranges above this count are searched by bisection; below it a linear scan is faster. */
const LINEAR_MAX = 8;

/** A compiled IP list: merged, sorted IPv4 ranges plus IPv6 CIDRs. */
export class IpRanges {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;

  constructor(
    v4: ReadonlyArray<readonly [number, number]>,
    private readonly v6: ReadonlyArray<readonly [ipaddr.IPv6, number]>,
  ) {
    const sorted = [...v4].sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [s, e] of sorted) {
      const last = merged[merged.length - 1];
      if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
      else merged.push([s, e]);
    }
    this.starts = Float64Array.from(merged, (r) => r[0]);
    this.ends = Float64Array.from(merged, (r) => r[1]);
  }

  get hasV6(): boolean {
    return this.v6.length > 0;
  }

  containsV4(ip: number): boolean {
    const { starts, ends } = this;
    const n = starts.length;
    if (n <= LINEAR_MAX) {
      for (let i = 0; i < n; i++) if (ip >= (starts[i] as number) && ip <= (ends[i] as number)) return true;
      return false;
    }
    // Last range starting at or before ip.
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((starts[mid] as number) <= ip) lo = mid;
      else hi = mid - 1;
    }
    return (starts[lo] as number) <= ip && ip <= (ends[lo] as number);
  }

  containsV6(ip: ipaddr.IPv6): boolean {
    if (ip.isIPv4MappedAddress()) return this.containsV4(v4ToInt(ip.toIPv4Address()));
    for (const cidr of this.v6) if (ip.match(cidr as [ipaddr.IPv6, number])) return true;
    return false;
  }

  /** Any address given as text (used for IPs read from a header rather than the scope). */
  containsText(text: string): boolean {
    const v4 = parseIpv4(text);
    if (v4 >= 0) return this.containsV4(v4);
    const v6 = parseIpv6(text);
    return v6 !== null && this.containsV6(v6);
  }
}
