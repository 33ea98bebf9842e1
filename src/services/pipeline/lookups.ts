/**
 * The pipeline's reads: from the bounded caches when they hold the answer (a value now), else from
 * the database (a promise). A cached miss (`null`) is an answer too: "no such thing".
 */
import type { Maybe } from '../../core/maybe.js';
import type { Entry, Role, User } from '../model.js';
import type { AccessProfiles, CompiledAccessProfile, Directory, DirectoryPeek, EntryRepo, PartnerEntry } from '../ports.js';

export type EntryReader = Pick<EntryRepo, 'get'> & {
  /** The cached entry without loading (null: a cached miss, undefined: not cached); optional. */
  peek?(id: string): Entry | null | undefined;
  /** Drops this node's copy (a stale entry found by a reader); optional. */
  forget?(id: string): void;
};

export function partnerOf(directory: Directory, peek: DirectoryPeek | undefined, id: number): Maybe<PartnerEntry | undefined> {
  const cached = peek?.peekPartner(id);
  return cached === undefined ? directory.partner(id) : (cached ?? undefined);
}

export function userOf(directory: Directory, peek: DirectoryPeek | undefined, partnerId: number, userId: string): Maybe<User | undefined> {
  const cached = peek?.peekUser(partnerId, userId);
  return cached === undefined ? directory.user(partnerId, userId) : (cached ?? undefined);
}

export function roleOf(directory: Directory, peek: DirectoryPeek | undefined, id: number): Maybe<Role | undefined> {
  const cached = peek?.peekRole(id);
  return cached === undefined ? directory.role(id) : (cached ?? undefined);
}

export function entryOf(entries: EntryReader, id: string): Maybe<Entry | undefined> {
  const cached = entries.peek?.(id);
  return cached === undefined ? entries.get(id) : (cached ?? undefined);
}

export function profileOf(profiles: AccessProfiles, id: number): Maybe<CompiledAccessProfile | undefined> {
  const cached = profiles.peek?.(id);
  return cached === undefined ? profiles.get(id) : (cached ?? undefined);
}
