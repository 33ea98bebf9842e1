/**
 * What the access rules see of a request: the session (from a KS) and the entry (with its custom
 * metadata), built once per cached object — the verified KS, the Directory's User and the entry
 * cache's Entry are shared objects until they change — so the hot path builds nothing per request.
 */
import { fieldsForRules } from '../metadata/xml.js';
import type { ScopeEntry, ScopeSession } from '../../core/access/model.js';
import { PRIV, privilegeValue, verifyPrivilege, type ParsedKs, type PrivilegeMap } from '../../core/ks/index.js';
import type { Principal } from '../context.js';
import type { Entry, User } from '../model.js';
import type { ObjectMetadataFields } from '../ports.js';

export interface ScopedSession {
  type: number;
  privileges: PrivilegeMap;
  raw: string;
  scope: ScopeSession;
}

/** The request's own session (an authenticated principal), if it has one. */
export function sessionOf(p: Principal): ScopedSession | undefined {
  return p.ks ? scoped(p.ksString, p.ks, p.privileges, p.user) : undefined;
}

export function scoped(raw: string, ks: ParsedKs, privileges: PrivilegeMap, user: User | undefined): ScopedSession {
  // A verified KS is one frozen object shared by every request that sends it (cache/verified-ks.ts),
  // and the Directory hands out one User object until the user changes: their session is built once.
  const shared = Object.isFrozen(ks);
  const memo = shared ? scopedByKs.get(ks) : undefined;
  if (memo && memo.user === user && memo.session.scope.raw === raw) return memo.session;
  // `setrole` replaces the user's roles for this session, as it does for permissions.
  const setrole = privilegeValue(privileges, PRIV.setrole);
  const roleIds = setrole ? [setrole] : (user?.roleIds ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const session: ScopedSession = {
    type: ks.type,
    privileges,
    raw: ks.privileges,
    scope: Object.freeze({ raw, type: ks.type, userId: ks.userId, privileges: ks.privileges, roleIds: Object.freeze(roleIds), email: user?.email ?? '' }),
  };
  if (shared) scopedByKs.set(ks, { user, session: Object.freeze(session) });
  return session;
}

/** Sessions built for verified (frozen, shared) KS objects; entries go with their KS. */
const scopedByKs = new WeakMap<ParsedKs, { user: User | undefined; session: ScopedSession }>();

/**
 * Kaltura's `isScheduledNow`: inside the entry's start/end window at `time`; an `sview:*` or
 * `sview:<entryId>` KS may always view, so it is "scheduled" for that session.
 */
export function scheduled(entry: Entry, time: number, session: ScopedSession | undefined): boolean {
  return mayAlwaysView(entry, session) || inSchedule(entry, time);
}

/** The session's `sview` covers the entry: it may view it whatever its schedule. */
export function mayAlwaysView(entry: Entry, session: ScopedSession | undefined): boolean {
  return session !== undefined && verifyPrivilege(session.raw, session.privileges, PRIV.sview, entry.id);
}

/** Inside the entry's start/end window at `time`. */
export function inSchedule(entry: Entry, time: number): boolean {
  return (entry.startDate === null || entry.startDate <= time) && (entry.endDate === null || entry.endDate >= time);
}

const NO_METADATA = (): undefined => undefined;
const plainScopeEntries = new WeakMap<Entry, ScopeEntry>();

export function scopeEntry(entry: Entry, rows: readonly ObjectMetadataFields[]): ScopeEntry {
  // No metadata (no rule reads it, or the entry has none): no maps to build on the hot path, and
  // one scope entry per Entry object (the entry cache hands out the same object until it changes).
  if (rows.length === 0) {
    let plain = plainScopeEntries.get(entry);
    if (!plain) {
      plain = Object.freeze({ id: entry.id, startDate: entry.startDate, endDate: entry.endDate, metadata: NO_METADATA });
      plainScopeEntries.set(entry, plain);
    }
    return plain;
  }
  const byId = new Map<number, ReadonlyMap<string, readonly string[]>>();
  const bySystemName = new Map<string, ReadonlyMap<string, readonly string[]>>();
  const merged = new Map<string, string[]>();
  for (const r of rows) {
    const fields = fieldsForRules(r.fields);
    byId.set(r.profileId, fields);
    if (r.profileSystemName && !bySystemName.has(r.profileSystemName)) bySystemName.set(r.profileSystemName, fields);
    for (const [k, v] of fields) merged.set(k, [...(merged.get(k) ?? []), ...v]);
  }
  return {
    id: entry.id,
    startDate: entry.startDate,
    endDate: entry.endDate,
    // A condition naming no profile reads the fields of every profile of the entry.
    metadata: (profileId, systemName) => (profileId ? byId.get(profileId) : systemName ? bySystemName.get(systemName) : rows.length ? merged : undefined),
  };
}
