/**
 * The Directory's synchronous reads, for callers that answer without awaiting when everything is
 * cached (the delivery and gateway hot paths). Re-exported by ports.ts.
 */
import type { Role, User } from './model.js';
import type { Directory, PartnerEntry } from './ports.js';

/**
 * Synchronous reads of a Directory's cache, which CachedDirectory offers: the object, `null` for a
 * cached miss, `undefined` when nothing is cached. With them, a call whose partner, user and roles
 * are cached runs without awaiting a promise per lookup; without them every lookup is awaited.
 */
export interface DirectoryPeek {
  peekPartner(id: number): PartnerEntry | null | undefined;
  peekRole(id: number): Role | null | undefined;
  peekUser(partnerId: number, id: string): User | null | undefined;
}

export function peekable(d: Directory): (Directory & DirectoryPeek) | undefined {
  const p = d as Directory & Partial<DirectoryPeek>;
  return typeof p.peekPartner === 'function' && typeof p.peekRole === 'function' && typeof p.peekUser === 'function' ? (p as Directory & DirectoryPeek) : undefined;
}
