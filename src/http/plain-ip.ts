/** One spelling of a client address for every door (tokens, logs, access rules). */
import { parseIpv4 } from '../core/access/ip.js';

/** `::ffff:a.b.c.d` (a dual-stack socket's IPv4 peer) as plain `a.b.c.d`, so tokens and logs show one form. */
export function plainIp(ip: string): string {
  return ip.length > 7 && ip.charCodeAt(0) === 58 && parseIpv4(ip) >= 0 ? ip.slice(7) : ip;
}
