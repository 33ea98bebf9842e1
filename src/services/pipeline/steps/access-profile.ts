// Step: the access-control profile that judges an entry — its own, else its partner's default, never another partner's — with the entry's custom metadata when a rule reads it.
import { isPromise, type Maybe } from '../../../core/maybe.js';
import { MetadataObjectType, type Entry } from '../../model.js';
import type { AccessProfiles, CompiledAccessProfile, Directory, DirectoryPeek, MetadataRepo, ObjectMetadataFields } from '../../ports.js';
import { partnerOf, profileOf, type EntryReader } from '../lookups.js';

export interface JudgingProfile {
  /** The compiled profile, or undefined when none applies (no profile of its own, no default: allow). */
  profile: CompiledAccessProfile | undefined;
  /** The entry's metadata rows, read only when a rule of the profile reads metadata. */
  metadata: readonly ObjectMetadataFields[];
}

export interface AccessProfileDeps {
  profiles: AccessProfiles;
  metadata: MetadataRepo;
  directory: Directory;
  peek: DirectoryPeek | undefined;
  entries: EntryReader;
}

const NO_ROWS: readonly ObjectMetadataFields[] = Object.freeze([]);
const NONE: JudgingProfile = Object.freeze({ profile: undefined, metadata: NO_ROWS });
const judging = new WeakMap<CompiledAccessProfile, JudgingProfile>();

/** Whether `p` may judge the entry: a profile of the entry's own partner. */
function ownedBy(p: CompiledAccessProfile | undefined, entry: Entry): p is CompiledAccessProfile {
  return p !== undefined && p.profile.partnerId === entry.partnerId;
}

export function accessProfile(d: AccessProfileDeps, entry: Entry): Maybe<JudgingProfile> {
  if (entry.accessControlId === null) return byDefault(d, entry);
  const own = profileOf(d.profiles, entry.accessControlId);
  const pick = (p: CompiledAccessProfile | undefined): Maybe<JudgingProfile> => {
    if (ownedBy(p, entry)) return withMetadata(d, entry, p);
    // Security: an entry still naming a deleted profile (a write that raced the deletion, or a
    // stale cached entry) or another partner's is judged by the partner default, as the deletion
    // re-points entries — never by "no rules". This node's copy of the entry is dropped too.
    d.entries.forget?.(entry.id);
    return byDefault(d, entry);
  };
  return isPromise(own) ? own.then(pick) : pick(own);
}

function byDefault(d: AccessProfileDeps, entry: Entry): Maybe<JudgingProfile> {
  const partner = partnerOf(d.directory, d.peek, entry.partnerId);
  const pick = (fallback: number | null): Maybe<JudgingProfile> => {
    if (fallback === null || fallback === entry.accessControlId) return NONE;
    const p = profileOf(d.profiles, fallback);
    const use = (q: CompiledAccessProfile | undefined): Maybe<JudgingProfile> => (ownedBy(q, entry) ? withMetadata(d, entry, q) : NONE);
    return isPromise(p) ? p.then(use) : use(p);
  };
  return isPromise(partner) ? partner.then((e) => pick(e?.partner.defaultAccessControlId ?? null)) : pick(partner?.partner.defaultAccessControlId ?? null);
}

function withMetadata(d: AccessProfileDeps, entry: Entry, p: CompiledAccessProfile): Maybe<JudgingProfile> {
  if (!p.usesMetadata) {
    let j = judging.get(p);
    if (!j) {
      j = Object.freeze({ profile: p, metadata: NO_ROWS });
      judging.set(p, j);
    }
    return j;
  }
  return d.metadata.fieldsOf(entry.partnerId, MetadataObjectType.ENTRY, entry.id).then((metadata) => ({ profile: p, metadata }));
}
