/** `KalturaIpAddressCondition` (type 3): the client IP is in one of the listed ranges. */
import { RuleCompileError } from '../errors.js';
import { headerKey, stringValues } from '../fields.js';
import { IpRanges, parseIpItem } from '../ip.js';
import type ipaddr from 'ipaddr.js';
import type { ConditionCompiler } from './types.js';

const MAPPED_PREFIX = /^(0{0,4}:){0,5}:?ffff:/i;

/** An item whose first address is 0.0.0.0 (single, CIDR, netmask or range). */
const ZERO_BASE = /^0\.0\.0\.0\s*(?:$|[/-])/;

/**
 * Values: IPv4 single, CIDR, netmask or inclusive range, each value possibly a comma list; IPv6
 * single or CIDR as our extension (Kaltura is IPv4-only).
 *
 * Deliberate difference: Kaltura silently ignores an entry it cannot parse (so a typo in an
 * allow-list quietly blocks everyone, and one in a block-list quietly lets everyone in). We refuse
 * the profile at save time with the path and the reason instead.
 *
 * `httpHeader`: when set, the IP is the first comma item of that request header (the header is
 * the client's word: only use it behind a proxy that sets it). Missing header ⇒ not fulfilled.
 * `acceptInternalIps` has no further effect: the scope IP is already resolved through the
 * configured trusted proxies, internal addresses included.
 */
export const compileIpAddress: ConditionCompiler<'ipAddress'> = (spec, ctx) => {
  const values = stringValues(spec.values, `${ctx.path}.values`);
  if (values.length === 0) return () => true;
  const v4: Array<[number, number]> = [];
  const v6: Array<[ipaddr.IPv6, number]> = [];
  values.forEach((value, i) => {
    const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (items.length === 0) throw new RuleCompileError(`${ctx.path}.values[${i}]`, 'empty IP address value');
    for (const item of items) {
      // Kaltura reads an item whose (first) address is 0.0.0.0 as unparseable (PHP's ip2long gives
      // 0, taken as failure), so it never matches: `0.0.0.0/0` covers nobody there, and not here.
      if (ZERO_BASE.test(item)) continue;
      const parsed = parseIpItem(item);
      if ('problem' in parsed) throw new RuleCompileError(`${ctx.path}.values[${i}]`, `${JSON.stringify(item)}: ${parsed.problem}`);
      if ('v4' in parsed) v4.push(parsed.v4);
      else v6.push(parsed.v6);
    }
  });
  const ranges = new IpRanges(v4, v6);
  const header = typeof spec.httpHeader === 'string' && spec.httpHeader.trim() !== '' ? headerKey(spec.httpHeader) : null;
  if (header !== null) {
    return (scope) => {
      const raw = scope.header(header);
      if (raw === undefined) return false;
      const comma = raw.indexOf(',');
      return ranges.containsText((comma < 0 ? raw : raw.slice(0, comma)).trim());
    };
  }
  const hasV6 = ranges.hasV6;
  return (scope, state) => {
    const ip = state.ipv4(scope);
    if (ip >= 0) return ranges.containsV4(ip);
    // Parsing IPv6 costs more than the rest of a decision: only when IPv6 ranges are listed, or
    // for the hex form of an IPv4-mapped address (`::ffff:a01:101`), checked against IPv4 ranges.
    if (!hasV6 && !MAPPED_PREFIX.test(scope.ip)) return false;
    const v6ip = state.ipv6(scope);
    return v6ip !== null && ranges.containsV6(v6ip);
  };
};
