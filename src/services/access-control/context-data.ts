/**
 * baseEntry.getContextData (protocol §5.5), protocol-neutral so the delivery door can reuse it:
 * build an access-control scope from the request (overridable by the caller), evaluate the entry's
 * compiled profile, and report the decision with `isScheduledNow` and `isAdmin`.
 */
import { fieldsForRules } from '../metadata/xml.js';
import { nowSeconds, type Clock } from '../../core/clock.js';
import type { AccessScope, Decision, ScopeEntry, ScopeSession } from '../../core/access/model.js';
import { ContextType } from '../../core/access/model.js';
import { E, fail } from '../../core/errors/index.js';
import { PRIV, privilegeValue, verifyPrivilege, type ParsedKs, type PrivilegeMap } from '../../core/ks/index.js';
import type { Principal, RequestMeta } from '../context.js';
import { MetadataObjectType, type Entry, type User } from '../model.js';
import type { AccessControlProfileRecord } from '../model.js';
import { peekable, type AccessProfiles, type CompiledAccessProfile, type Directory, type DirectoryPeek, type EntryRepo, type MetadataRepo, type ObjectMetadataFields } from '../ports.js';
import type { Authenticator } from '../sessions/authenticate.js';
import { userUsable } from '../pipeline/steps/user-usable.js';

/** What the caller may override; anything absent (or empty) comes from the request itself. */
export interface ScopeOverrides {
  ip?: string | null;
  referrer?: string | null;
  userAgent?: string | null;
  /** A KS string to evaluate instead of the request's own (parsed and validated; invalid fails the call). */
  ks?: string | null;
  /** Unix seconds the decision is "at" (also the time `isScheduledNow` is computed for). */
  time?: number | null;
  contexts?: number[] | null;
  hashes?: Record<string, string> | null;
}

export interface ContextData {
  entry: Entry;
  /** The profile evaluated, or null when there was none with rules (neither the entry's nor the partner default: allow). */
  profileId: number | null;
  /** The record of the profile evaluated (its rules' messages and codes), null when none was. */
  profile: AccessControlProfileRecord | null;
  decision: Decision;
  isScheduledNow: boolean;
  isAdmin: boolean;
  /** The user id of the session the decision was made for ('' without a session or user). */
  userId: string;
}

export interface ContextDataDeps {
  /**
   * Only reads by id. The delivery door hands in the entry cache (cache/entries.ts), whose `peek`
   * lets `peekContextData` answer without waiting.
   */
  entries: Pick<EntryRepo, 'get'> & { peek?(id: string): Entry | null | undefined };
  metadata: MetadataRepo;
  profiles: AccessProfiles;
  directory: Directory;
  authenticator: Authenticator;
  clock: Clock;
}

/**
 * The scope of one request. A class rather than an object literal so `header` is one shared method
 * instead of a closure allocated per request (the delivery hot path builds one per viewer request).
 */
class RequestScope implements AccessScope {
  constructor(
    readonly ip: string,
    readonly referrer: string,
    readonly userAgent: string,
    readonly time: number,
    readonly contexts: readonly number[],
    readonly session: ScopeSession | null,
    readonly entry: ScopeEntry,
    readonly hashes: Readonly<Record<string, string>>,
    private readonly headers: RequestMeta['headers'] & object,
    readonly actionName: string,
  ) {}

  header(name: string): string | undefined {
    return headerValue(this.headers[name.toLowerCase()]);
  }
}

const PLAY_ONLY: readonly number[] = Object.freeze([ContextType.PLAY]);
const NO_HASHES: Readonly<Record<string, string>> = Object.freeze({});
const NO_HEADERS = Object.freeze({}) as NonNullable<RequestMeta['headers']>;

/** Whether `p` is a profile the entry may be judged by (one of its own partner's). */
function ownedBy(p: CompiledAccessProfile | undefined, entry: Entry): p is CompiledAccessProfile {
  return p !== undefined && p.profile.partnerId === entry.partnerId;
}

const ALLOW: Decision = Object.freeze({ fulfilled: [], messages: [], actions: [], codes: {} }) as Decision;
const NO_ROWS: readonly ObjectMetadataFields[] = Object.freeze([]);
/** `peekContextData`'s "something it needs is not in memory". */
const MISS = Symbol('not cached');

export class ContextDataService {
  private readonly peek: DirectoryPeek | undefined;

  constructor(private readonly d: ContextDataDeps) {
    this.peek = peekable(d.directory);
  }

  async getContextData(p: Principal, entryId: string, o: ScopeOverrides, meta: RequestMeta, actionName = 'baseentry.getContextData'): Promise<ContextData> {
    const entry = entryId ? await this.d.entries.get(entryId) : undefined;
    if (!entry || entry.partnerId !== p.partnerId) throw fail(E.ENTRY_ID_NOT_FOUND, { ENTRY_ID: entryId });
    const session = o.ks ? await this.sessionFromKs(o.ks, entry.partnerId, meta) : sessionOf(p);
    // The entry's own profile, else the partner default; a profile of another partner never applies.
    // An entry still naming a deleted profile (a write that raced the deletion, or a stale cached
    // entry) is judged by the default, as the deletion re-points it: never by no rules at all.
    let loaded = entry.accessControlId === null ? undefined : await this.d.profiles.get(entry.accessControlId);
    if (!ownedBy(loaded, entry)) {
      const fallback = (await this.d.directory.partner(entry.partnerId))?.partner.defaultAccessControlId ?? null;
      loaded = fallback === null || fallback === entry.accessControlId ? undefined : await this.d.profiles.get(fallback);
    }
    const metadata = loaded?.usesMetadata ? await this.d.metadata.fieldsOf(entry.partnerId, MetadataObjectType.ENTRY, entry.id) : NO_ROWS;
    return this.evaluate(entry, session, loaded, metadata, o, meta, actionName);
  }

  /**
   * The same answer without waiting, when everything it reads is in memory: the entry, the
   * verified KS and its user, the partner and the compiled profile (and no rule reads metadata, no
   * `actionslimit` to count). Throws as `getContextData` does; `undefined` means "await
   * getContextData" (something was not cached). The delivery hot path calls this first.
   */
  peekContextData(p: Principal, entryId: string, o: ScopeOverrides, meta: RequestMeta, actionName = 'baseentry.getContextData'): ContextData | undefined {
    const peek = this.peek;
    const entries = this.d.entries;
    const profiles = this.d.profiles;
    if (!peek || !entries.peek || !profiles.peek) return undefined;
    const entry = entryId ? entries.peek(entryId) : null;
    if (entry === undefined) return undefined;
    if (!entry || entry.partnerId !== p.partnerId) throw fail(E.ENTRY_ID_NOT_FOUND, { ENTRY_ID: entryId });
    const session = o.ks ? this.sessionFromKsNow(o.ks, entry.partnerId, meta, peek) : sessionOf(p);
    if (session === MISS) return undefined;
    let loaded = entry.accessControlId === null ? null : profiles.peek(entry.accessControlId);
    if (loaded === undefined) return undefined;
    if (!ownedBy(loaded ?? undefined, entry)) {
      // As getContextData: no usable profile of its own, the partner default.
      const partner = peek.peekPartner(entry.partnerId);
      if (partner === undefined) return undefined;
      const fallback = partner?.partner.defaultAccessControlId ?? null;
      loaded = fallback === null || fallback === entry.accessControlId ? null : profiles.peek(fallback);
      if (loaded === undefined) return undefined;
    }
    if (loaded?.usesMetadata) return undefined;
    return this.evaluate(entry, session, loaded ?? undefined, NO_ROWS, o, meta, actionName);
  }

  private evaluate(entry: Entry, session: ScopedSession | undefined, loaded: CompiledAccessProfile | undefined, metadata: readonly ObjectMetadataFields[], o: ScopeOverrides, meta: RequestMeta, actionName: string): ContextData {
    const now = nowSeconds(this.d.clock);
    const time = o.time && o.time > 0 ? o.time : now;
    const isAdmin = (session?.type ?? -1) >= 2;
    const profile = loaded && loaded.profile.partnerId === entry.partnerId ? loaded : undefined;
    let decision = ALLOW;
    let evaluated: AccessControlProfileRecord | null = null;
    if (profile && profile.compiled.ruleCount > 0) {
      evaluated = profile.profile;
      const scope = new RequestScope(
        o.ip || meta.clientIp,
        o.referrer || meta.referrer || '',
        o.userAgent || meta.userAgent || '',
        time,
        o.contexts?.length ? o.contexts : PLAY_ONLY,
        session?.scope ?? null,
        scopeEntry(entry, metadata),
        o.hashes ?? NO_HASHES,
        meta.headers ?? NO_HEADERS,
        actionName,
      );
      decision = profile.compiled.evaluate(scope, { now });
    }
    return {
      entry,
      profileId: evaluated?.id ?? null,
      profile: evaluated,
      decision,
      isScheduledNow: scheduled(entry, time, session),
      isAdmin,
      userId: session?.scope.userId ?? '',
    };
  }

  /**
   * A KS given as a parameter is checked like a request KS (signature, expiry, revocation). It must
   * be of the entry's partner: another partner's `sview` grants nothing here.
   */
  private async sessionFromKs(raw: string, partnerId: number, meta: RequestMeta): Promise<ScopedSession> {
    const check = await this.d.authenticator.parse(raw);
    await this.d.authenticator.validate(check, meta);
    if (check.ks.partnerId !== partnerId) throw invalidPartner(raw);
    const user = check.ks.userId ? await this.d.directory.user(check.ks.partnerId, check.ks.userId) : undefined;
    return scoped(raw, check.ks, check.privileges, usableUser(user));
  }

  /** `sessionFromKs` from the verified-KS cache and the Directory's cache, or MISS. */
  private sessionFromKsNow(raw: string, partnerId: number, meta: RequestMeta, peek: DirectoryPeek): ScopedSession | typeof MISS {
    const check = this.d.authenticator.parseCached(raw);
    if (!check || !this.d.authenticator.validateNow(check, meta)) return MISS;
    if (check.ks.partnerId !== partnerId) throw invalidPartner(raw);
    const user = check.ks.userId ? peek.peekUser(check.ks.partnerId, check.ks.userId) : null;
    return user === undefined ? MISS : scoped(raw, check.ks, check.privileges, usableUser(user ?? undefined));
  }
}

/**
 * A KS given as a parameter is a request KS in all but name: a blocked or deleted user's sessions
 * stop at once here too (as Authenticator.principal does for the request's own KS), or a blocked
 * viewer would keep playing with the KS they hold.
 */
function usableUser(user: User | undefined): User | undefined {
  if (!userUsable(user).ok) throw fail(E.USER_BLOCKED);
  return user;
}

function invalidPartner(raw: string) {
  return fail(E.INVALID_KS, { KSID: raw, ERR_CODE: -2, ERR_DESC: 'INVALID_PARTNER' });
}

export interface ScopedSession {
  type: number;
  privileges: PrivilegeMap;
  raw: string;
  scope: ScopeSession;
}

function sessionOf(p: Principal): ScopedSession | undefined {
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
  if (session && verifyPrivilege(session.raw, session.privileges, PRIV.sview, entry.id)) return true;
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

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}
