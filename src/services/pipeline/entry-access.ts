/**
 * "May this session have this entry, now, from here?" — the pipeline's table for every entry point
 * that reaches an entry: the delivery URLs and `/authz/delivery` (delivery-decision.ts), and the
 * Kaltura door's `baseEntry.getContextData` (access-control/context-data.ts). One implementation
 * per step, each answering at once from the caches or after a read (core/maybe.ts):
 *
 *   partner usable → session usable (a KS to check, or the caller's own) → entry found
 *     → entitlement (categories, when enforced) → access profile (own, else partner default;
 *     metadata when read) → rules evaluated
 *
 * A refusal is a value with a neutral reason; only faults (a broken database) are exceptions.
 * What the table concludes from stored state alone is kept for the next request with the same KS
 * and entry (prepared.ts), which then runs only the request-dependent checks and the rules.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import type { AccessScope, Decision, ScopeEntry, ScopeSession } from '../../core/access/model.js';
import { ContextType } from '../../core/access/model.js';
import { isPromise, type Maybe } from '../../core/maybe.js';
import type { RequestMeta } from '../context.js';
import type { AccessControlProfileRecord, Entry, Partner } from '../model.js';
import { peekable, type AccessProfiles, type ChangeEpoch, type Directory, type DirectoryPeek, type MetadataRepo } from '../ports.js';
import type { Authenticator, KsCheck } from '../sessions/authenticate.js';
import { entryOf, partnerOf, type EntryReader } from './lookups.js';
import { inSchedule, scheduled, scopeEntry, type ScopedSession } from './scope.js';
import { accessProfile, type AccessProfileDeps, type JudgingProfile } from './steps/access-profile.js';
import { entitlementEnforced } from '../../core/access/entitlement.js';
import { entitled, partnerDefaultEnforced, type EntitlementReads } from './steps/entitlement.js';
import { partnerUsable } from './steps/partner-usable.js';
import { checkedSessionUsable, sessionUsable, usableForRequest, type SessionOutcome, type SessionUsableDeps } from './steps/session-usable.js';
import { Prepared, PreparedSteps } from './prepared.js';
import { PASS, refuse, type StepOutcome } from './reasons.js';
import { runSteps, type Step } from './run.js';

/** What the caller may set instead of the request's own values (getContextData's scope fields). */
export interface ScopeOverrides {
  ip?: string | null;
  referrer?: string | null;
  userAgent?: string | null;
  /** Unix seconds the decision is "at" (also the time `isScheduledNow` is computed for). */
  time?: number | null;
  contexts?: readonly number[] | null;
  hashes?: Readonly<Record<string, string>> | null;
}

export interface EntryAccessRequest {
  partnerId: number;
  entryId: string;
  /** A KS to check (validated like a request's), the caller's own session, or none. */
  session: { ks: string } | ScopedSession | undefined;
  meta: RequestMeta;
  overrides: ScopeOverrides;
  /** `service.action` for action-name conditions ('' for delivery URLs, which are no API call). */
  actionName: string;
}

export interface EntryAccess {
  entry: Entry;
  /** The record of the profile evaluated, null when none with rules applied (allow). */
  profile: AccessControlProfileRecord | null;
  decision: Decision;
  isScheduledNow: boolean;
  isAdmin: boolean;
  /** The session's user id ('' without a session or user). */
  userId: string;
  session: ScopedSession | undefined;
}

export type EntryAccessRefusal =
  | { ok: false; reason: 'partner_blocked' }
  | { ok: false; reason: 'not_found' }
  /** `detail`: outside_context (none of its categories is of the session's context) or not_entitled. */
  | { ok: false; reason: 'entitlement'; detail: string }
  /** `detail`: Kaltura's reason (session-usable.ts). */
  | { ok: false; reason: 'invalid_session'; detail: string };
export type EntryAccessOutcome = { ok: true; access: EntryAccess } | EntryAccessRefusal;

export interface EntryAccessDeps {
  authenticator: Pick<Authenticator, 'check' | 'usable' | 'consume' | 'digestOf' | 'checkDigested'>;
  directory: Directory;
  entries: EntryReader;
  profiles: AccessProfiles;
  metadata: MetadataRepo;
  /** Category links and memberships, for the entitlement step (cache/categories.ts). */
  entitlements: EntitlementReads;
  clock: Clock;
  /**
   * The change count of the caches above (cache/lru.ts's Epoch). Given: what the table concludes
   * from stored state is kept for later requests (prepared.ts); only with caches that move it.
   */
  epoch?: ChangeEpoch;
}

const NOT_FOUND = refuse('not_found');
const PLAY_ONLY: readonly number[] = Object.freeze([ContextType.PLAY]);
const NO_HASHES: Readonly<Record<string, string>> = Object.freeze({});
const NO_HEADERS = Object.freeze({}) as NonNullable<RequestMeta['headers']>;
const ALLOW: Decision = Object.freeze({ fulfilled: [], messages: [], actions: [], codes: {} }) as Decision;

/**
 * The scope of one request. A class rather than an object literal so `header` is one shared method
 * instead of a closure allocated per request.
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
    const v = this.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }
}

/** One request's context: what the steps found so far. */
interface Ctx {
  readonly r: EntryAccessRequest;
  partner: Partner | undefined;
  session: ScopedSession | undefined;
  entry: Entry | undefined;
  judging: JudgingProfile | undefined;
  /** The request's KS already checked (null: not genuine); undefined: the session step checks it. */
  checked: KsCheck | null | undefined;
}

export class EntryAccessPipeline {
  private readonly peek: DirectoryPeek | undefined;
  private readonly sessionDeps: SessionUsableDeps;
  private readonly profileDeps: AccessProfileDeps;
  private readonly prepared: PreparedSteps | undefined;
  /** The table (run.ts runs it); the rules are in steps/, each once. */
  readonly steps: readonly Step<Ctx>[];

  constructor(private readonly d: EntryAccessDeps) {
    this.peek = peekable(d.directory);
    this.sessionDeps = { authenticator: d.authenticator, directory: d.directory, peek: this.peek };
    this.profileDeps = { profiles: d.profiles, metadata: d.metadata, directory: d.directory, peek: this.peek, entries: d.entries };
    this.prepared = d.epoch ? new PreparedSteps(d.epoch) : undefined;
    this.steps = [
      { name: 'partner usable', run: (c) => this.partner(c) },
      { name: 'session usable', run: (c) => this.session(c) },
      { name: 'entry found', run: (c) => this.entry(c) },
      { name: 'entitlement', run: (c) => this.entitlement(c) },
      { name: 'access profile', run: (c) => this.profile(c) },
    ];
  }

  run(r: EntryAccessRequest): Maybe<EntryAccessOutcome> {
    const s = r.session;
    const prepared = this.prepared;
    if (s !== undefined && !('ks' in s)) return this.table(r, s, undefined, undefined, undefined);
    if (prepared === undefined) return this.table(r, undefined, undefined, undefined, undefined);
    // Read before anything else: a change made while the table runs must not be kept as current.
    const epoch = prepared.count;
    const nowMs = this.d.clock.nowMs();
    const digest = s === undefined ? undefined : this.d.authenticator.digestOf(s.ks);
    const p = s === undefined || digest !== undefined ? prepared.find(digest, r.partnerId, r.entryId, nowMs) : undefined;
    if (p !== undefined) return this.fromPrepared(r, p, nowMs);
    if (s === undefined) return this.table(r, undefined, undefined, epoch, undefined);
    const c = this.d.authenticator.checkDigested(s.ks, digest);
    // Without a digest (no verified-KS cache) a KS's conclusion is not kept: it would be filed as anonymous.
    const keepUnder = digest === undefined ? undefined : epoch;
    return isPromise(c) ? c.then((v) => this.table(r, undefined, v, keepUnder, digest)) : this.table(r, undefined, c, keepUnder, digest);
  }

  /** A request with current prepared steps: only what depends on the request, then the rules. */
  private fromPrepared(r: EntryAccessRequest, p: Prepared, nowMs: number): Maybe<EntryAccessOutcome> {
    const nowSec = Math.floor(nowMs / 1000);
    if (p.check === undefined) return this.evaluate(r, undefined, p.entry, p.judging, p, nowSec);
    const refused = usableForRequest(this.d.authenticator, p.check, r.partnerId, r.meta, nowSec);
    if (isPromise(refused)) return refused.then((x) => x ?? this.evaluate(r, p.session, p.entry, p.judging, p, nowSec));
    return refused ?? this.evaluate(r, p.session, p.entry, p.judging, p, nowSec);
  }

  /**
   * Runs the whole table. `keepUnder`: the change count to keep its conclusion under (prepared.ts),
   * with `digest` the KS's (undefined: a request without a KS).
   */
  private table(r: EntryAccessRequest, session: ScopedSession | undefined, checked: KsCheck | null | undefined, keepUnder: number | undefined, digest: string | undefined): Maybe<EntryAccessOutcome> {
    const ctx: Ctx = { r, partner: undefined, session, entry: undefined, judging: undefined, checked };
    const out = runSteps(this.steps, ctx);
    return isPromise(out) ? out.then((o) => this.conclude(ctx, o, keepUnder, digest)) : this.conclude(ctx, out, keepUnder, digest);
  }

  private conclude(c: Ctx, out: StepOutcome, keepUnder: number | undefined, digest: string | undefined): EntryAccessOutcome {
    if (!out.ok) return out as EntryAccessRefusal;
    const entry = c.entry as Entry;
    const judging = c.judging as JudgingProfile;
    let p: Prepared | undefined;
    if (keepUnder !== undefined) {
      p = new Prepared(keepUnder, PreparedSteps.until(this.d.clock.nowMs()), c.r.partnerId, c.checked ?? undefined, c.session, entry, judging);
      (this.prepared as PreparedSteps).keep(digest, p);
    }
    return this.evaluate(c.r, c.session, entry, judging, p);
  }

  private partner(c: Ctx): Maybe<StepOutcome> {
    const partner = partnerOf(this.d.directory, this.peek, c.r.partnerId);
    return isPromise(partner) ? partner.then((p) => usablePartner(c, p?.partner)) : usablePartner(c, partner?.partner);
  }

  private entitlement(c: Ctx): Maybe<StepOutcome> {
    const s = c.session;
    const partner = c.partner as Partner;
    const privileges = s ? s.privileges : null;
    // The common case (not enforced) decides here, allocating nothing on the delivery hot path.
    if (!entitlementEnforced(privileges, partnerDefaultEnforced(partner))) return PASS;
    return entitled(this.d.entitlements, { partner, privileges, userId: s?.scope.userId ?? '' }, c.entry as Entry);
  }

  private session(c: Ctx): Maybe<StepOutcome> {
    const s = c.r.session;
    if (s === undefined || !('ks' in s)) return PASS;
    const checked = c.checked === undefined ? sessionUsable(this.sessionDeps, s.ks, c.r.partnerId, c.r.meta) : checkedSessionUsable(this.sessionDeps, c.checked, c.r.partnerId, c.r.meta);
    return isPromise(checked) ? checked.then((o) => withSession(c, o)) : withSession(c, checked);
  }

  private entry(c: Ctx): Maybe<StepOutcome> {
    const entry = c.r.entryId ? entryOf(this.d.entries, c.r.entryId) : undefined;
    return isPromise(entry) ? entry.then((e) => found(c, e)) : found(c, entry);
  }

  private profile(c: Ctx): Maybe<StepOutcome> {
    const judging = accessProfile(this.profileDeps, c.entry as Entry);
    if (isPromise(judging)) {
      return judging.then((j) => {
        c.judging = j;
        return PASS;
      });
    }
    c.judging = judging;
    return PASS;
  }

  /** The rules, over the request's scope; `p`: the prepared steps this request came through, if any. */
  private evaluate(r: EntryAccessRequest, session: ScopedSession | undefined, entry: Entry, j: JudgingProfile, p?: Prepared, nowSec?: number): EntryAccessOutcome {
    const o = r.overrides;
    const now = nowSec ?? nowSeconds(this.d.clock);
    const time = o.time && o.time > 0 ? o.time : now;
    let decision = ALLOW;
    let evaluated: AccessControlProfileRecord | null = null;
    const profile = j.profile;
    if (profile && profile.compiled.ruleCount > 0) {
      evaluated = profile.profile;
      const meta = r.meta;
      const ip = o.ip || meta.clientIp;
      const referrer = o.referrer || meta.referrer || '';
      const userAgent = o.userAgent || meta.userAgent || '';
      const contexts = o.contexts?.length ? o.contexts : PLAY_ONLY;
      // A repeat from the same client with prepared steps: the rules said it already (prepared.ts).
      const repeat = p !== undefined && profile.clientOnly && !o.time && !o.hashes ? p : undefined;
      const known = repeat?.decisionFor(ip, referrer, userAgent, contexts);
      if (known !== undefined) decision = known;
      else {
        const scope = new RequestScope(ip, referrer, userAgent, time, contexts, session?.scope ?? null, scopeEntry(entry, j.metadata), o.hashes ?? NO_HASHES, meta.headers ?? NO_HEADERS, r.actionName);
        decision = profile.compiled.evaluate(scope, { now });
        repeat?.remember(ip, referrer, userAgent, contexts, decision);
      }
    }
    const access: EntryAccess = {
      entry,
      profile: evaluated,
      decision,
      isScheduledNow: p !== undefined ? p.alwaysViewable || inSchedule(entry, time) : scheduled(entry, time, session),
      isAdmin: (session?.type ?? -1) >= 2,
      userId: session?.scope.userId ?? '',
      session,
    };
    return { ok: true, access };
  }
}

function usablePartner(c: Ctx, partner: Partner | undefined): StepOutcome {
  c.partner = partner;
  return partnerUsable(partner);
}

function withSession(c: Ctx, o: SessionOutcome): StepOutcome {
  if (!o.ok) return o;
  c.session = o.session;
  return PASS;
}

function found(c: Ctx, entry: Entry | undefined): StepOutcome {
  // Another partner's entry is "not found": never confirm that an id exists elsewhere.
  if (!entry || entry.partnerId !== c.r.partnerId) return NOT_FOUND;
  c.entry = entry;
  return PASS;
}
