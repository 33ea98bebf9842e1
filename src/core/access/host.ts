/**
 * Site conditions: the host of the referrer and the domain rules it is matched against.
 *
 * The host is cut out of the referrer by index arithmetic, not `new URL()`: URL parsing alone caps
 * a decision near 1.2 M/s (issue 4), and the site rule only needs the authority's host.
 */

const SLASH = 47;
const COLON = 58;
const OPEN_BRACKET = 91;
const DOT = 46;

/*
 * Character classes of the authority scan, one table lookup per character (this loop is a large
 * part of a decision's cost). Everything at or above 128 folds (non-ASCII: let toLowerCase decide).
 */
const C_PLAIN = 0;
const C_END = 1; // `/`, `\`, `?`, `#`, space and control characters end the authority
const C_AT = 2; // userinfo separator: the host starts after the last one
const C_CUT = 3; // `&` (Kaltura's tail strip) and the port `:` end the host
const C_CLOSE = 4; // `]` of an IPv6 literal
const C_UPPER = 5;
const CLASS = new Uint8Array(128);
for (let c = 0; c <= 32; c++) CLASS[c] = C_END;
for (const ch of '/\\?#') CLASS[ch.charCodeAt(0)] = C_END;
CLASS[64] = C_AT;
CLASS[38] = C_CUT;
CLASS[COLON] = C_CUT;
CLASS[93] = C_CLOSE;
for (let c = 65; c <= 90; c++) CLASS[c] = C_UPPER;
CLASS[127] = C_END;

/** Letters, digits, `+`, `-`, `.`: the characters of a URL scheme after its first letter. */
function isSchemeChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

/**
 * The lower-cased host of a referrer, '' when there is none.
 *
 * - `scheme://host…` → host; `//host…` (protocol-relative) → host, as a browser resolves it;
 *   anything else → the text up to the first `/` (Kaltura's rule for scheme-less referrers).
 * - The authority ends at `/`, `\` (browsers treat it as `/` in http(s) URLs), `?` and `#`;
 *   userinfo (`user@`) and the port are dropped, so `https://publisher.com@evil.com` is evil.com;
 *   the host is cut at `&` (Kaltura strips `&` tails too).
 * - One trailing dot is dropped (`publisher.com.` is the same DNS name).
 * - Lower-cased: Kaltura preserves case, but browsers lower-case hosts before sending a Referer,
 *   so case-insensitive matching only changes the outcome for hand-written referrers.
 */
export function referrerHost(referrer: string): string {
  const n = referrer.length;
  let start = 0;
  while (start < n && referrer.charCodeAt(start) <= 32) start++;
  // A scheme is a letter then scheme characters up to `://`; scanning them directly (rather than
  // searching for `://`) also stops early for scheme-less text such as `publisher.com/x`.
  const first = referrer.charCodeAt(start) | 0x20;
  if (referrer.startsWith('https://', start)) start += 8;
  else if (referrer.startsWith('http://', start)) start += 7;
  else if (first >= 97 && first <= 122) {
    let i = start + 1;
    while (i < n && isSchemeChar(referrer.charCodeAt(i))) i++;
    if (referrer.charCodeAt(i) === COLON && referrer.charCodeAt(i + 1) === SLASH && referrer.charCodeAt(i + 2) === SLASH) start = i + 3;
  } else if (referrer.charCodeAt(start) === SLASH && referrer.charCodeAt(start + 1) === SLASH) {
    start += 2;
  }
  // One pass over the authority: a later `@` restarts the host (userinfo), the first `&` or port
  // `:` (or the `]` of an IPv6 literal) ends it, and upper case is noted so lower-casing (an
  // allocation) only happens when needed.
  let hostStart = start;
  let cut = -1;
  let fold = false;
  let bracket = referrer.charCodeAt(start) === OPEN_BRACKET;
  let end = start;
  for (; end < n; end++) {
    const c = referrer.charCodeAt(end);
    const k = c < 128 ? (CLASS[c] as number) : C_UPPER;
    if (k === C_PLAIN) continue;
    if (k === C_END) break;
    if (k === C_AT) {
      hostStart = end + 1;
      cut = -1;
      fold = false;
      bracket = referrer.charCodeAt(end + 1) === OPEN_BRACKET;
    } else if (cut < 0) {
      if (k === C_UPPER) fold = true;
      else if (k === C_CUT) {
        if (c !== COLON || !bracket) cut = end;
      } else if (bracket) cut = end + 1; // C_CLOSE: keep the brackets, drop a port after them
    }
  }
  if (cut >= 0) end = cut;
  if (end > hostStart && referrer.charCodeAt(end - 1) === DOT && !bracket) end--;
  if (end <= hostStart) return '';
  const host = referrer.slice(hostStart, end);
  return fold ? host.toLowerCase() : host;
}

/** A compiled list of site values. */
export type HostMatcher = (host: string) => boolean;

/**
 * Compiles site values. Each value is trimmed and lower-cased, one trailing dot dropped.
 *
 * - Kaltura's literal rule: the host equals the value, or (value non-empty) the host *contains*
 *   `"." + value` anywhere. It is loose on purpose of compatibility: `publisher.com` also matches
 *   `www.publisher.com.evil.com`. Prefer the wildcard form below.
 * - The seed's wildcard `*.publisher.com`: the bare domain or any subdomain of it, anchored at the
 *   end of the host (so `publisher.com.evil.com` and `evilpublisher.com` do not match). The seed
 *   documents it as "allow only from publisher.com and subdomains", hence the bare domain too.
 *   Kaltura itself has no wildcard (the value would never match there).
 * - An empty value matches a referrer without a host (Kaltura's `host == value`).
 */
export function compileHostValues(values: readonly string[]): HostMatcher {
  // Parallel arrays, scanned linearly: profiles list a handful of domains, and comparing strings
  // of different lengths is immediate, where a Set would hash the host first.
  const exact: string[] = [];
  const suffixes: string[] = [];
  const contains: string[] = [];
  for (const raw of values) {
    let v = raw.trim().toLowerCase();
    if (v.endsWith('.') && v.length > 1) v = v.slice(0, -1);
    if (v.startsWith('*.') && v.length > 2) {
      const base = v.slice(2);
      exact.push(base);
      suffixes.push(`.${base}`);
    } else {
      exact.push(v);
      if (v !== '') contains.push(`.${v}`);
    }
  }
  return (host) => {
    for (let i = 0; i < exact.length; i++) if (host === exact[i]) return true;
    for (let i = 0; i < suffixes.length; i++) if (host.endsWith(suffixes[i] as string)) return true;
    for (let i = 0; i < contains.length; i++) if (host.includes(contains[i] as string)) return true;
    return false;
  };
}
