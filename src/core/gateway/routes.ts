/**
 * A partner's protected services as a route table, compiled once per change and matched per
 * request: the longest `routePrefix` that matches the (normalised) request path wins.
 *
 * Prefixes match on path-segment boundaries: `/api/content` matches `/api/content` and
 * `/api/content/read/1` but not `/api/contents`, so a service never silently covers a sibling
 * whose name merely starts the same way (that path then matches no service and is refused). A
 * prefix ending in '/' (`/api/`) matches everything below it. Matching walks the path's segment
 * boundaries from the longest candidate down, one Map lookup each, and only at boundaries where
 * some prefix ends (a lookup hashes a fresh slice of the path, the largest cost of matching): the
 * cost grows with the depth of the path, not with the number of services.
 */

export interface Routed {
  routePrefix: string;
}

export interface RouteTable<T extends Routed> {
  match(path: string): T | undefined;
  readonly size: number;
}

/** The form a prefix is compared in: percent-decoded like request paths are (see ./target.ts). */
function comparable(prefix: string): string {
  try {
    return decodeURIComponent(prefix);
  } catch {
    return prefix;
  }
}

export function compileRoutes<T extends Routed>(services: readonly T[]): RouteTable<T> {
  const byPrefix = new Map<string, T>();
  for (const s of services) byPrefix.set(comparable(s.routePrefix), s);
  /** `ends[n]` is 1 when some prefix is n characters long (dense, read within bounds). */
  let longest = 0;
  for (const prefix of byPrefix.keys()) longest = Math.max(longest, prefix.length);
  const ends = new Uint8Array(longest + 1);
  for (const prefix of byPrefix.keys()) ends[prefix.length] = 1;
  const lookup = (path: string, length: number): T | undefined =>
    length < ends.length && ends[length] === 1 ? byPrefix.get(length === path.length ? path : path.slice(0, length)) : undefined;
  return {
    size: byPrefix.size,
    match(path: string): T | undefined {
      if (byPrefix.size === 0) return undefined;
      const exact = lookup(path, path.length);
      if (exact) return exact;
      for (let i = path.length - 1; i >= 0; i--) {
        if (path.charCodeAt(i) !== 47 /* '/' */) continue;
        // Both forms of the boundary: "/a/" (covers everything below) and "/a" (itself and below).
        if (i + 1 < path.length) {
          const withSlash = lookup(path, i + 1);
          if (withSlash) return withSlash;
        }
        if (i > 0) {
          const bare = lookup(path, i);
          if (bare) return bare;
        }
      }
      return undefined;
    },
  };
}
