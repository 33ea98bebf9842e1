/**
 * A partner's `deliveryAllowedOrigins`: the web origins whose scripts may read the answers of the
 * partner's delivery URLs (CORS, http/doors/delivery/cors.ts). An empty list, the default, means
 * any origin (`Access-Control-Allow-Origin: *`, as Kaltura's manifest renderer answers).
 *
 * Origins are kept in the form a browser sends in `Origin` (RFC 6454 §6.2, WHATWG URL): lower-case
 * scheme and host, punycode, no default port, no path. Checked and canonicalised once when saved,
 * so a request is matched by one exact string comparison.
 */

/** The partner setting's name (a public contract: REST `settings.deliveryAllowedOrigins`). */
export const DELIVERY_ALLOWED_ORIGINS = 'deliveryAllowedOrigins';
/** At most this many origins per partner. */
export const MAX_DELIVERY_ORIGINS = 32;
/** At most this many characters per origin (a host name is at most 253). */
export const MAX_ORIGIN_LENGTH = 256;

/** scheme://authority and nothing else: no path (not even `/`), query, fragment or user info. */
const SHAPE = /^https?:\/\/[^/?#@\\\s]+$/i;
/**
 * The host after WHATWG parsing: DNS labels (punycode), an IPv4 address or a bracketed IPv6 one.
 * `*` parses as a host character, so a wildcard such as `https://*.example.edu` is refused here.
 */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*)$/;

/**
 * The serialized origin of `value`, or undefined when `value` is not exactly an http(s) origin.
 *
 * Refused on purpose: wildcards (an empty list is the only "any"), `null` (the origin of sandboxed
 * frames, `file:` pages and requests after a cross-origin redirect: shared by every site, so
 * listing it would list everyone), and other schemes (their origins serialise as `null`).
 */
export function canonicalOrigin(value: string): string | undefined {
  if (value.length > MAX_ORIGIN_LENGTH || !SHAPE.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return HOST.test(url.hostname) ? url.origin : undefined;
}

export type AllowedOriginsCheck =
  | { ok: true; origins: string[] }
  | { ok: false; problem: 'too_many' }
  | { ok: false; problem: 'not_an_origin'; index: number };

/** Checks a list as sent; the canonical origins, in order, without duplicates. */
export function checkAllowedOrigins(values: readonly string[]): AllowedOriginsCheck {
  if (values.length > MAX_DELIVERY_ORIGINS) return { ok: false, problem: 'too_many' };
  const out = new Set<string>();
  for (let i = 0; i < values.length; i++) {
    const origin = canonicalOrigin(values[i] as string);
    if (origin === undefined) return { ok: false, problem: 'not_an_origin', index: i };
    out.add(origin);
  }
  return { ok: true, origins: [...out] };
}

/** The stored list of a partner's settings ([] when unset: any origin). */
export function allowedOriginsOf(settings: Readonly<Record<string, unknown>>): string[] {
  const v = settings[DELIVERY_ALLOWED_ORIGINS];
  return Array.isArray(v) ? v.filter((o): o is string => typeof o === 'string' && canonicalOrigin(o) === o) : [];
}
