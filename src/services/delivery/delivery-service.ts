/**
 * May this viewer have this entry, now, from here? The protocol-neutral decision behind both
 * delivery doors (redirect URLs and forward-auth): the partner must be usable, the KS (if any) valid,
 * the entry scheduled, and its access-control profile must not block. The answer is a value
 * (STYLE rule 3): a grant with the preview length, or a denial with its reason and rule; only
 * faults (a broken database) are exceptions.
 */
import { ContextType } from '../../core/access/model.js';
import type { ActionSpec } from '../../core/access/model.js';
import { GatehouseError } from '../../core/errors/index.js';
import type { ContextData, ContextDataService } from '../access-control/context-data.js';
import type { AccessControlProfileRecord, Entry } from '../model.js';
import type { RequestMeta } from '../context.js';
import type { AccessProfiles } from '../ports.js';
import type { Authenticator } from '../sessions/authenticate.js';

/** The delivery contexts (KalturaContextType): what the viewer asks for. */
export type DeliveryContext = typeof ContextType.PLAY | typeof ContextType.DOWNLOAD | typeof ContextType.THUMBNAIL;

export interface DeliveryRequest {
  partnerId: number;
  entryId: string;
  context: DeliveryContext;
  /** The KS as sent ('' without one). */
  ks: string;
  /** Client address, the original URI (for `urirestrict`), Referer, User-Agent and headers. */
  meta: RequestMeta;
}

export type DenialReason =
  /** A rule with a block action fired. */
  | 'blocked'
  /** The entry is outside its start/end dates and the KS has neither `sview` for it nor ADMIN type. */
  | 'unscheduled'
  /** A blocking rule needs a session (`not authenticated`) and none was sent. */
  | 'session_required'
  /** The KS sent fails validation (signature, expiry, revocation, another partner, restrictions, its user blocked or deleted). */
  | 'invalid_session'
  /** No such entry for this partner (unknown, deleted or another partner's). */
  | 'not_found'
  /** The partner is unknown, blocked or deleted. */
  | 'partner_blocked';

export type DeliveryDecision =
  | {
      granted: true;
      partnerId: number;
      entryId: string;
      /** The KS user ('' when anonymous). */
      userId: string;
      /** Seconds of preview when a preview action applied (the smallest limit if several), else null. */
      previewSeconds: number | null;
      /** Indexes of the fulfilled rules (for logs; often empty). */
      fulfilled: readonly number[];
    }
  | {
      granted: false;
      reason: DenialReason;
      /** Index of the blocking rule, null when no rule decided (scheduling, session, not found). */
      rule: number | null;
      /** The blocking rule's message (or a fixed text for the other reasons). */
      message: string;
      /** The blocking rule's code, when it has one. */
      code: string | null;
    };

export interface DeliveryServiceDeps {
  authenticator: Authenticator;
  /** A ContextDataService reading entries through the entry cache. */
  contextData: ContextDataService;
  profiles: AccessProfiles;
  /** The entry cache: a reader that finds a cached entry stale drops this node's copy. */
  entries: { forget(id: string): void };
}

/** Fixed texts of the denials no rule wrote (Kaltura's wording where it has one). */
export const DENIAL_TEXT: Readonly<Record<Exclude<DenialReason, 'blocked'>, string>> = {
  unscheduled: 'Entry is not scheduled now',
  session_required: 'A valid session (KS) is required to access this entry',
  invalid_session: 'Invalid KS',
  not_found: 'Entry not found',
  partner_blocked: 'The partner is blocked or does not exist',
};

/** Per profile record: what each rule means for delivery, computed once per record, never per request. */
interface RuleFacts {
  block: boolean;
  message: string;
  code: string | null;
  /** A top-level `not authenticated` condition: without a KS, this rule firing means "log in". */
  wantsSession: boolean;
}
const factsByProfile = new WeakMap<AccessControlProfileRecord, readonly RuleFacts[]>();

function factsOf(profile: AccessControlProfileRecord): readonly RuleFacts[] {
  let facts = factsByProfile.get(profile);
  if (!facts) {
    facts = profile.rules.map((r) => ({
      block: (r.actions ?? []).some((a) => a.type === 'block'),
      message: r.message ?? '',
      code: r.code ? r.code : null,
      wantsSession: (r.conditions ?? []).some((c) => c.type === 'authenticated' && c.not === true),
    }));
    factsByProfile.set(profile, facts);
  }
  return facts;
}

/** Kaltura's getContextData defaults its action name to the API call; delivery URLs are not one. */
const NO_ACTION = '';
/** One frozen contexts array per delivery context, instead of one per request. */
const CONTEXTS: Readonly<Record<DeliveryContext, number[]>> = {
  [ContextType.PLAY]: Object.freeze([ContextType.PLAY]) as unknown as number[],
  [ContextType.DOWNLOAD]: Object.freeze([ContextType.DOWNLOAD]) as unknown as number[],
  [ContextType.THUMBNAIL]: Object.freeze([ContextType.THUMBNAIL]) as unknown as number[],
};

function deny(reason: Exclude<DenialReason, 'blocked'>): DeliveryDecision {
  return { granted: false, reason, rule: null, message: DENIAL_TEXT[reason], code: null };
}

function hasBlock(actions: readonly ActionSpec[]): boolean {
  for (let i = 0; i < actions.length; i++) if ((actions[i] as ActionSpec).type === 'block') return true;
  return false;
}

function previewOf(actions: readonly ActionSpec[]): number | null {
  let limit: number | null = null;
  for (let i = 0; i < actions.length; i++) {
    const a = actions[i] as ActionSpec;
    if (a.type === 'preview' && (limit === null || a.limit < limit)) limit = a.limit;
  }
  return limit;
}

export class DeliveryService {
  constructor(private readonly d: DeliveryServiceDeps) {}

  async decide(r: DeliveryRequest): Promise<DeliveryDecision> {
    try {
      // The anonymous principal of the URL's partner: checks that the partner exists and is usable.
      const principal = await this.d.authenticator.principal(null, r.partnerId);
      const overrides = { ks: r.ks === '' ? null : r.ks, contexts: CONTEXTS[r.context] };
      let cd = await this.d.contextData.getContextData(principal, r.entryId, overrides, r.meta, NO_ACTION);
      if (cd.profileId === null && cd.entry.accessControlId !== null && (await this.staleProfile(cd.entry))) {
        // The cached entry still names a profile that was deleted (its entries were re-pointed to
        // the partner default in the database): read the entry again rather than allow by mistake.
        this.d.entries.forget(r.entryId);
        cd = await this.d.contextData.getContextData(principal, r.entryId, overrides, r.meta, NO_ACTION);
      }
      return conclude(cd, r.ks === '');
    } catch (e) {
      return denialOf(e);
    }
  }

  /**
   * `decide` without waiting, when the partner, entry, verified KS, user and compiled profile are
   * all in memory (the steady state of a busy server); `undefined` means "await decide". It runs
   * the same steps and the same pure conclusion, so both always agree; it only skips the promise
   * hops, which on the forward-auth hot path cost more than the decision itself.
   */
  decideNow(r: DeliveryRequest): DeliveryDecision | undefined {
    try {
      const principal = this.d.authenticator.anonymousNow(r.partnerId);
      if (!principal) return undefined;
      const overrides = { ks: r.ks === '' ? null : r.ks, contexts: CONTEXTS[r.context] };
      const cd = this.d.contextData.peekContextData(principal, r.entryId, overrides, r.meta, NO_ACTION);
      if (!cd) return undefined;
      // No profile evaluated although the entry names one: a profile without rules (allow), or a
      // deleted one (re-read the entry), which `decide` tells apart unless the cache already can.
      if (cd.profileId === null && cd.entry.accessControlId !== null) {
        const named = this.d.profiles.peek?.(cd.entry.accessControlId);
        if (!named || named.profile.partnerId !== cd.entry.partnerId) return undefined;
      }
      return conclude(cd, r.ks === '');
    } catch (e) {
      return denialOf(e);
    }
  }

  /**
   * Whether the entry names a profile that no longer exists, as opposed to a profile without rules
   * (asked only when no profile was evaluated, so the common path never awaits it).
   */
  private async staleProfile(entry: Entry): Promise<boolean> {
    const profile = entry.accessControlId === null ? undefined : await this.d.profiles.get(entry.accessControlId);
    return profile === undefined || profile.profile.partnerId !== entry.partnerId;
  }
}

/** A failed step as a denial; anything else (a broken database) stays a fault. */
function denialOf(e: unknown): DeliveryDecision {
  if (!(e instanceof GatehouseError)) throw e;
  if (e.code === 'SERVICE_FORBIDDEN_CONTENT_BLOCKED') return deny('partner_blocked');
  if (e.code === 'ENTRY_ID_NOT_FOUND') return deny('not_found');
  // INVALID_KS, the session's own restrictions (actions limit, role set by the KS), and the KS of a
  // blocked or deleted user: a session that cannot be used (a new one, of a usable user, would do).
  if (e.def.category === 'unauthenticated' || e.code === 'INVALID_ACTIONS_LIMIT' || e.code === 'USER_BLOCKED') return deny('invalid_session');
  throw e;
}

/**
 * Kaltura checks scheduling before access control (kSecureEntryHelper); an ADMIN KS may always see
 * its partner's entries, as it bypasses ordinary rules. Then the first fulfilled rule that blocks
 * decides the reason, message and code.
 */
function conclude(cd: ContextData, noKs: boolean): DeliveryDecision {
  if (!cd.isScheduledNow && !cd.isAdmin) return deny('unscheduled');
  const decision = cd.decision;
  if (!hasBlock(decision.actions)) {
    return { granted: true, partnerId: cd.entry.partnerId, entryId: cd.entry.id, userId: cd.userId, previewSeconds: previewOf(decision.actions), fulfilled: decision.fulfilled };
  }
  const facts = cd.profile ? factsOf(cd.profile) : [];
  for (const index of decision.fulfilled) {
    const f = facts[index];
    if (!f?.block) continue;
    const reason = noKs && f.wantsSession ? 'session_required' : 'blocked';
    const message = f.message || (reason === 'blocked' ? 'Access to this entry is blocked' : DENIAL_TEXT.session_required);
    return { granted: false, reason, rule: index, message, code: f.code };
  }
  // A block without a fulfilled rule of ours: the profile failed to compile, or the scope did
  // not evaluate (the engine fails closed); its message says so.
  return { granted: false, reason: 'blocked', rule: null, message: decision.messages[0] ?? 'Access to this entry is blocked', code: null };
}
