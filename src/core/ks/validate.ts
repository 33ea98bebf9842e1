/**
 * The storage-free KS checks of protocol/kaltura.md §2.7, run after decodeKs authenticated the KS
 * and before the invalid-session list and the actions-limit counter (which need storage).
 */
import type { ParsedKs } from './codec.js';
import { PRIV, privilegeValue } from './privileges.js';
import type { PrivilegeMap } from './privileges.js';

/** Request facts the static checks compare against. */
export interface KsCheckContext {
  /** Current unix time in seconds. */
  nowSec: number;
  /** The client address as resolved by the trusted-proxy logic. */
  clientIp: string;
  /** The request URI (path and query) as received. */
  uri: string;
}

export type KsStaticFailure = 'EXPIRED' | 'EXCEEDED_RESTRICTED_IP' | 'EXCEEDED_RESTRICTED_URI';

/**
 * Expiry, then `iprestrict`, then `urirestrict`, in the server's order, so the first failing
 * reason is the one Kaltura would report. A failure is an outcome, not an exception.
 */
export function checkKsStatic(
  ks: ParsedKs,
  parsedPrivs: PrivilegeMap,
  ctx: KsCheckContext,
): { ok: true } | { ok: false; reason: KsStaticFailure } {
  if (ks.validUntil <= ctx.nowSec) return { ok: false, reason: 'EXPIRED' };

  // Exact string equality, no CIDR or IPv4/IPv6 normalisation: that is what the server does, and
  // a looser match here would accept addresses the KS issuer never listed.
  const ips = parsedPrivs.get(PRIV.iprestrict);
  if (ips !== undefined && !ips.includes(ctx.clientIp)) return { ok: false, reason: 'EXCEEDED_RESTRICTED_IP' };

  // URI values contain '/', which the privilege parser splits on; re-join, then split on '|'.
  const uris = privilegeValue(parsedPrivs, PRIV.urirestrict);
  if (uris !== undefined && !uriAllowed(uris, ctx.uri)) return { ok: false, reason: 'EXCEEDED_RESTRICTED_URI' };

  return { ok: true };
}

function uriAllowed(list: string, uri: string): boolean {
  for (const allowed of list.split('|')) {
    if (allowed.endsWith('*') ? uri.startsWith(allowed.slice(0, -1)) : uri === allowed) return true;
  }
  return false;
}

/**
 * Reads the `actionslimit` privilege: absent → `none`; a positive decimal integer → `limit`;
 * anything else (non-numeric, zero, negative, several values) → `invalid`, which the caller
 * reports as INVALID_ACTIONS_LIMIT.
 */
export function actionsLimitOf(parsed: PrivilegeMap): { kind: 'none' } | { kind: 'limit'; n: number } | { kind: 'invalid' } {
  const text = privilegeValue(parsed, PRIV.actionslimit);
  if (text === undefined) return { kind: 'none' };
  if (text.length === 0 || text.length > 15) return { kind: 'invalid' };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return { kind: 'invalid' };
  }
  const n = Number(text);
  return n > 0 ? { kind: 'limit', n } : { kind: 'invalid' };
}
