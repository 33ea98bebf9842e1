/**
 * baseEntry.getContextData (protocol §5.5), protocol-neutral so the delivery door can reuse it:
 * build an access-control scope from the request (overridable by the caller), evaluate the entry's
 * compiled profile, and report the decision with `isScheduledNow` and `isAdmin`.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import type { AccessScope, Decision, ScopeEntry, ScopeSession } from '../../core/access/model.js';
import { ContextType } from '../../core/access/model.js';
import { E, fail } from '../../core/errors/index.js';
import { PRIV, privilegeValue, verifyPrivilege, type ParsedKs, type PrivilegeMap } from '../../core/ks/index.js';
import type { Principal, RequestMeta } from '../context.js';
import { MetadataObjectType, type Entry, type User } from '../model.js';
import type { AccessProfiles, Directory, EntryRepo, MetadataRepo, ObjectMetadataFields } from '../ports.js';
import type { Authenticator } from '../sessions/authenticate.js';

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
  decision: Decision;
  isScheduledNow: boolean;
  isAdmin: boolean;
  /** The user id of the session the decision was made for ('' without a session or user). */
  userId: string;
}

export interface ContextDataDeps {
  /** Only reads by id: the delivery door hands in the entry cache (cache/entries.ts) here. */
  entries: Pick<EntryRepo, 'get'>;
  metadata: MetadataRepo;
  profiles: AccessProfiles;
  directory: Directory;
  authenticator: Authenticator;
  clock: Clock;
}

const ALLOW: Decision = Object.freeze({ fulfilled: [], messages: [], actions: [], codes: {} }) as Decision;

export class ContextDataService {
  constructor(private readonly d: ContextDataDeps) {}

  async getContextData(p: Principal, entryId: string, o: ScopeOverrides, meta: RequestMeta, actionName = 'baseentry.getContextData'): Promise<ContextData> {
    const entry = entryId ? await this.d.entries.get(entryId) : undefined;
    if (!entry || entry.partnerId !== p.partnerId) throw fail(E.ENTRY_ID_NOT_FOUND, { ENTRY_ID: entryId });
    const now = nowSeconds(this.d.clock);
    const session = o.ks ? await this.sessionFromKs(o.ks, entry.partnerId, meta) : sessionOf(p);
    const time = o.time && o.time > 0 ? o.time : now;
    const isAdmin = (session?.type ?? -1) >= 2;

    // The entry's own profile, else the partner default; a profile of another partner never applies.
    const profileId = entry.accessControlId ?? (await this.d.directory.partner(entry.partnerId))?.partner.defaultAccessControlId ?? null;
    const loaded = profileId === null ? undefined : await this.d.profiles.get(profileId);
    const profile = loaded && loaded.profile.partnerId === entry.partnerId ? loaded : undefined;

    let decision = ALLOW;
    let evaluated: number | null = null;
    if (profile && profile.compiled.ruleCount > 0) {
      evaluated = profile.profile.id;
      const metadata = profile.usesMetadata ? await this.d.metadata.fieldsOf(entry.partnerId, MetadataObjectType.ENTRY, entry.id) : [];
      const headers = meta.headers ?? {};
      const scope: AccessScope = {
        ip: o.ip || meta.clientIp,
        referrer: o.referrer || meta.referrer || '',
        userAgent: o.userAgent || meta.userAgent || '',
        time,
        contexts: o.contexts?.length ? o.contexts : [ContextType.PLAY],
        session: session?.scope ?? null,
        entry: scopeEntry(entry, metadata),
        hashes: o.hashes ?? {},
        header: (name) => headerValue(headers[name.toLowerCase()]),
        actionName,
      };
      decision = profile.compiled.evaluate(scope, { now });
    }
    return { entry, profileId: evaluated, decision, isScheduledNow: scheduled(entry, time, session), isAdmin, userId: session?.scope.userId ?? '' };
  }

  /**
   * A KS given as a parameter is checked like a request KS (signature, expiry, revocation). It must
   * be of the entry's partner: another partner's `sview` grants nothing here.
   */
  private async sessionFromKs(raw: string, partnerId: number, meta: RequestMeta): Promise<ScopedSession> {
    const check = await this.d.authenticator.parse(raw);
    await this.d.authenticator.validate(check, meta);
    if (check.ks.partnerId !== partnerId) throw fail(E.INVALID_KS, { KSID: raw, ERR_CODE: -2, ERR_DESC: 'INVALID_PARTNER' });
    const user = check.ks.userId ? await this.d.directory.user(check.ks.partnerId, check.ks.userId) : undefined;
    return scoped(raw, check.ks, check.privileges, user);
  }
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
  // `setrole` replaces the user's roles for this session, as it does for permissions.
  const setrole = privilegeValue(privileges, PRIV.setrole);
  const roleIds = setrole ? [setrole] : (user?.roleIds ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    type: ks.type,
    privileges,
    raw: ks.privileges,
    scope: { raw, type: ks.type, userId: ks.userId, privileges: ks.privileges, roleIds, email: user?.email ?? '' },
  };
}

/**
 * Kaltura's `isScheduledNow`: inside the entry's start/end window at `time`; an `sview:*` or
 * `sview:<entryId>` KS may always view, so it is "scheduled" for that session.
 */
export function scheduled(entry: Entry, time: number, session: ScopedSession | undefined): boolean {
  if (session && verifyPrivilege(session.raw, session.privileges, PRIV.sview, entry.id)) return true;
  return (entry.startDate === null || entry.startDate <= time) && (entry.endDate === null || entry.endDate >= time);
}

const NO_METADATA = (): undefined => undefined;

export function scopeEntry(entry: Entry, rows: ObjectMetadataFields[]): ScopeEntry {
  // No metadata (no rule reads it, or the entry has none): no maps to build on the hot path.
  if (rows.length === 0) return { id: entry.id, startDate: entry.startDate, endDate: entry.endDate, metadata: NO_METADATA };
  const byId = new Map<number, ReadonlyMap<string, readonly string[]>>();
  const bySystemName = new Map<string, ReadonlyMap<string, readonly string[]>>();
  const merged = new Map<string, string[]>();
  for (const r of rows) {
    const fields = new Map(Object.entries(r.fields));
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
