/**
 * The access-control simulator (the console's "what would this viewer get?"): one decision for a
 * request described by the caller (IP or a forced country, referrer, user agent, session, time,
 * context) against an entry's profile, a saved profile, or unsaved rules, with the trace of
 * which rules fired and why. Uses the same compiled rules as real decisions (core/access/explain.ts);
 * nothing is stored, so nothing is audited.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { RuleCompileError, type CompiledProfile } from '../../core/access/compile.js';
import { explainProfile, type Explanation } from '../../core/access/explain.js';
import type { AccessScope, RuleSpec, ScopeEntry } from '../../core/access/model.js';
import { E, fail } from '../../core/errors/index.js';
import { parsePrivileges } from '../../core/ks/index.js';
import type { Principal, RequestMeta } from '../context.js';
import { MetadataObjectType, SessionType, type Entry } from '../model.js';
import { peekable, type AccessProfiles, type Directory, type EntryRepo, type MetadataRepo } from '../ports.js';
import type { Authenticator } from '../sessions/authenticate.js';
import { scheduled, scopeEntry, type ScopedSession } from '../pipeline/scope.js';
import { explainEntitlement, type EntitlementExplanation, type EntitlementReads } from '../pipeline/steps/entitlement.js';
import { sessionRefusalError, sessionUsable } from '../pipeline/steps/session-usable.js';

export interface SimulationInput {
  /** Exactly one of entryId, profileId and rules says what to evaluate. */
  entryId?: string | undefined;
  profileId?: number | undefined;
  rules?: RuleSpec[] | undefined;
  /** KalturaContextType value. */
  context: number;
  /** Default: the caller's own address. */
  ip?: string | undefined;
  /** Forces the country instead of looking the IP up. */
  country?: string | undefined;
  referrer?: string | undefined;
  userAgent?: string | undefined;
  /** A KS to evaluate as (validated like a request's), or a described session; neither: no session. */
  ks?: string | undefined;
  /** `userId`: the user the described session names (entitlement: their memberships). */
  session?: { type: 'none' | 'user' | 'admin'; privileges?: string | undefined; userId?: string | undefined } | undefined;
  /** Unix seconds the decision is "at" (rules' time fields and scheduling); default now. */
  time?: number | undefined;
}

export interface Simulation {
  allowed: boolean;
  isScheduledNow: boolean;
  explanation: Explanation;
  ip: string;
  /** The saved profile evaluated (null for unsaved rules, or an entry without any profile). */
  profileId: number | null;
  /** For an entry: the entitlement step's verdict, explained (categories, contexts, members). */
  entitlement: EntitlementExplanation | null;
}

export interface AccessSimulatorDeps {
  entries: Pick<EntryRepo, 'get'>;
  metadata: MetadataRepo;
  profiles: AccessProfiles;
  directory: Directory;
  authenticator: Authenticator;
  entitlements: EntitlementReads;
  clock: Clock;
}

const NO_RULES: RuleSpec[] = [];

export class AccessSimulator {
  constructor(private readonly d: AccessSimulatorDeps) {}

  async simulate(p: Principal, input: SimulationInput, meta: RequestMeta): Promise<Simulation> {
    const given = [input.entryId !== undefined, input.profileId !== undefined, input.rules !== undefined].filter(Boolean).length;
    if (given !== 1) throw fail(E.INVALID_REQUEST, { DETAIL: 'send exactly one of entryId, profileId and rules' });
    if (input.ks !== undefined && input.session !== undefined) throw fail(E.INVALID_REQUEST, { DETAIL: 'send ks or session, not both' });
    const time = input.time ?? nowSeconds(this.d.clock);

    const entry = input.entryId !== undefined ? await this.entry(p, input.entryId) : undefined;
    const { compiled, profileId, usesMetadata } = await this.profile(p, input, entry);
    const session = input.ks !== undefined ? await this.sessionFromKs(p, input.ks, meta) : described(input.session);
    const metadata = entry && usesMetadata ? await this.d.metadata.fieldsOf(p.partnerId, MetadataObjectType.ENTRY, entry.id) : [];
    const scopeOfEntry: ScopeEntry | null = entry ? scopeEntry(entry, metadata) : null;
    const ip = input.ip || meta.clientIp;
    const scope: AccessScope = {
      ip,
      referrer: input.referrer ?? '',
      userAgent: input.userAgent ?? '',
      time,
      contexts: [input.context],
      session: session?.scope ?? null,
      entry: scopeOfEntry,
      hashes: {},
      header: () => undefined,
      actionName: 'baseentry.getContextData',
    };
    const explanation = explainProfile(compiled, scope, { now: time, country: input.country });
    const isAdmin = (session?.type ?? -1) >= SessionType.ADMIN;
    const isScheduledNow = entry ? scheduled(entry, time, session) : true;
    const blocked = explanation.decision.actions.some((a) => a.type === 'block');
    // The pipeline's entitlement step, explained: same rule, same cached reads as real decisions.
    const entitlement = entry ? await explainEntitlement(this.d.entitlements, { partner: (await this.d.directory.partner(p.partnerId))?.partner ?? { settings: {} }, privileges: session ? session.privileges : null, userId: session?.scope.userId ?? '' }, entry) : null;
    return { allowed: (isScheduledNow || isAdmin) && !blocked && (entitlement?.entitled ?? true), isScheduledNow, explanation, ip, profileId, entitlement };
  }

  private async entry(p: Principal, id: string): Promise<Entry> {
    const entry = id ? await this.d.entries.get(id) : undefined;
    if (!entry || entry.partnerId !== p.partnerId) throw fail(E.ENTRY_ID_NOT_FOUND, { ENTRY_ID: id });
    return entry;
  }

  /** What to evaluate: unsaved rules (compiled now, refused like a save), a saved profile, or the entry's. */
  private async profile(p: Principal, input: SimulationInput, entry: Entry | undefined): Promise<{ compiled: CompiledProfile; profileId: number | null; usesMetadata: boolean }> {
    if (input.rules !== undefined) {
      try {
        return { compiled: this.d.profiles.compile(input.rules), profileId: null, usesMetadata: true };
      } catch (e) {
        if (e instanceof RuleCompileError) throw fail(E.INVALID_ACCESS_CONTROL_RULE, { PROP_NAME: e.path, REASON: e.reason });
        throw e;
      }
    }
    // An entry without a profile of its own uses the partner default, as real decisions do.
    const id = input.profileId ?? entry?.accessControlId ?? (await this.d.directory.partner(p.partnerId))?.partner.defaultAccessControlId ?? null;
    if (id === null) return { compiled: this.d.profiles.compile(NO_RULES), profileId: null, usesMetadata: false };
    const loaded = await this.d.profiles.get(id);
    if (!loaded || loaded.profile.partnerId !== p.partnerId) throw fail(E.ACCESS_CONTROL_ID_NOT_FOUND, { ID: id });
    return { compiled: loaded.compiled, profileId: id, usesMetadata: loaded.usesMetadata };
  }

  /**
   * Checked like a request's KS — the pipeline's session step: signature, expiry, revocation,
   * restrictions, its user usable — and of the caller's partner.
   */
  private async sessionFromKs(p: Principal, raw: string, meta: RequestMeta): Promise<ScopedSession> {
    const out = await sessionUsable({ authenticator: this.d.authenticator, directory: this.d.directory, peek: peekable(this.d.directory) }, raw, p.partnerId, meta);
    if (!out.ok) throw sessionRefusalError(out, out.detail === 'INVALID_STR' ? raw : '(simulated)');
    return out.session;
  }
}

/** A session described by type and privileges (no KS): enough for session and privilege conditions. */
function described(s: SimulationInput['session']): ScopedSession | undefined {
  if (!s || s.type === 'none') return undefined;
  const type = s.type === 'admin' ? SessionType.ADMIN : SessionType.USER;
  const privileges = s.privileges ?? '';
  return { type, privileges: parsePrivileges(privileges), raw: privileges, scope: { raw: '', type, userId: s.userId ?? '', privileges, roleIds: [], email: '' } };
}
