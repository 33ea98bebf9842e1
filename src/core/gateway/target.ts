/**
 * The original request's target (from `X-Original-URI`, `X-Forwarded-Uri` or Envoy's path prefix),
 * normalised the way a proxy routes it before any prefix is compared. `$request_uri` and its
 * siblings are raw: `/public/../admin`, `/public/%2e%2e/admin` or `//admin` must be judged as the
 * path the upstream will actually serve, or a service prefix could be matched by a path that
 * resolves somewhere else. So: percent-decoding, RFC 3986 dot-segment removal and merged slashes
 * (nginx's defaults). Anything that stays ambiguous after that is refused rather than guessed:
 * encoded '/' or '\' (servers disagree on whether they separate segments), backslashes, control
 * characters and malformed escapes.
 */

export const MAX_TARGET_LENGTH = 8192;

export type TargetResult = { ok: true; path: string; query: string } | { ok: false; reason: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const ENCODED_SEPARATOR = /%(2f|5c)/i;
const METHOD = /^[A-Z]{1,20}$/;

/** RFC 3986 §5.2.4 on an absolute path whose empty segments were already merged. */
function removeDotSegments(path: string): string {
  const out: string[] = [];
  const segments = path.split('/');
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i] as string;
    if (s === '.') {
      if (i === segments.length - 1) out.push('');
    } else if (s === '..') {
      out.pop();
      if (i === segments.length - 1) out.push('');
    } else out.push(s);
  }
  return `/${out.join('/')}`;
}

/** Origin-form (`/p?q`) or absolute-form (`https://h/p?q`) target → normalised path + raw query. */
export function normaliseTarget(target: string): TargetResult {
  if (target.length === 0) return { ok: false, reason: 'empty request target' };
  if (target.length > MAX_TARGET_LENGTH) return { ok: false, reason: 'request target too long' };
  let t = target;
  const hash = t.indexOf('#');
  if (hash >= 0) t = t.slice(0, hash);
  if (!t.startsWith('/')) {
    const m = /^https?:\/\/[^/?#]*/i.exec(t);
    if (!m) return { ok: false, reason: 'request target is not a path' };
    t = t.slice(m[0].length) || '/';
    if (!t.startsWith('/')) t = `/${t}`;
  }
  const q = t.indexOf('?');
  const rawPath = q >= 0 ? t.slice(0, q) : t;
  const query = q >= 0 ? t.slice(q + 1) : '';
  let path = rawPath;
  if (rawPath.includes('%')) {
    if (ENCODED_SEPARATOR.test(rawPath)) return { ok: false, reason: 'encoded path separator' };
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      return { ok: false, reason: 'malformed percent-encoding' };
    }
  }
  if (CONTROL.test(path) || path.includes('\\')) return { ok: false, reason: 'control character or backslash in path' };
  if (path.includes('//')) path = path.replace(/\/{2,}/g, '/');
  if (path.includes('/.')) path = removeDotSegments(path);
  return { ok: true, path, query };
}

/** An HTTP method token as sent by a proxy, upper-cased; undefined when it is not one. */
export function normaliseMethod(method: string): string | undefined {
  // As proxies send it (the common case), without the trimmed and upper-cased copies.
  if (METHOD.test(method)) return method;
  const m = method.trim().toUpperCase();
  return METHOD.test(m) ? m : undefined;
}

/**
 * The values of one query parameter (`key=...`, for API keys sent as Kala does). Decoded like a
 * form: `+` is a space, bad escapes are kept as written.
 */
export function queryValues(query: string, name: string): string[] {
  // Most queries have no such parameter: skip the split unless the name, or an escape that
  // might spell it, appears at all.
  if (!query || (!query.includes(name) && !query.includes('%'))) return [];
  const out: string[] = [];
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    if (decode(k) !== name) continue;
    out.push(eq < 0 ? '' : decode(pair.slice(eq + 1)));
  }
  return out;
}

function decode(s: string): string {
  const plus = s.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(plus);
  } catch {
    return plus;
  }
}
