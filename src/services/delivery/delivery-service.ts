/**
 * May this viewer have this entry, now, from here? The protocol-neutral decision behind both
 * delivery doors (redirect URLs and forward-auth): the access pipeline's entry table
 * (pipeline/entry-access.ts: partner usable → session usable → entry found → access profile)
 * concluded for delivery — scheduled, not blocked, preview length. The answer is a value
 * (STYLE rule 3), now when every step answered from the caches, else a promise; only faults (a
 * broken database) are exceptions.
 */
import { ContextType } from '../../core/access/model.js';
import type { ActionSpec } from '../../core/access/model.js';
import { isPromise, type Maybe } from '../../core/maybe.js';
import type { AccessControlProfileRecord } from '../model.js';
import type { RequestMeta } from '../context.js';
import type { EntryAccess, EntryAccessOutcome, EntryAccessPipeline, ScopeOverrides } from '../pipeline/entry-access.js';

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
  | 'partner_blocked'
  /** Entitlement is enforced and the session's user is not entitled to the entry (its categories). */
  | 'entitlement';

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
  /** The entry pipeline over the entry cache (delivery reads entries from memory when it can). */
  pipeline: EntryAccessPipeline;
}

/** Fixed texts of the denials no rule wrote (Kaltura's wording where it has one). */
export const DENIAL_TEXT: Readonly<Record<Exclude<DenialReason, 'blocked'>, string>> = {
  unscheduled: 'Entry is not scheduled now',
  session_required: 'A valid session (KS) is required to access this entry',
  invalid_session: 'Invalid KS',
  not_found: 'Entry not found',
  partner_blocked: 'The partner is blocked or does not exist',
  entitlement: 'The session is not entitled to this entry',
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

/** Action-name conditions see '' here: a delivery URL is no API call. */
const NO_ACTION = '';
/** One frozen scope override per delivery context (its contexts), instead of one per request. */
const OVERRIDES: Readonly<Record<DeliveryContext, ScopeOverrides>> = {
  [ContextType.PLAY]: Object.freeze({ contexts: Object.freeze([ContextType.PLAY]) }),
  [ContextType.DOWNLOAD]: Object.freeze({ contexts: Object.freeze([ContextType.DOWNLOAD]) }),
  [ContextType.THUMBNAIL]: Object.freeze({ contexts: Object.freeze([ContextType.THUMBNAIL]) }),
};

const denials = new Map<DenialReason, DeliveryDecision>();
/** The denial no rule wrote: one frozen object per reason, so refusing allocates nothing. */
function deny(reason: Exclude<DenialReason, 'blocked'>): DeliveryDecision {
  let d = denials.get(reason);
  if (!d) {
    d = Object.freeze({ granted: false, reason, rule: null, message: DENIAL_TEXT[reason], code: null });
    denials.set(reason, d);
  }
  return d;
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

  /** Decides now when everything is cached (the steady state), else after the reads it needs. */
  decide(r: DeliveryRequest): Maybe<DeliveryDecision> {
    const noKs = r.ks === '';
    const out = this.d.pipeline.run({
      partnerId: r.partnerId,
      entryId: r.entryId,
      session: noKs ? undefined : { ks: r.ks },
      meta: r.meta,
      overrides: OVERRIDES[r.context],
      actionName: NO_ACTION,
    });
    return isPromise(out) ? out.then((o) => conclude(o, noKs)) : conclude(out, noKs);
  }
}

/**
 * Kaltura checks scheduling before access control (kSecureEntryHelper); an ADMIN KS may always see
 * its partner's entries, as it bypasses ordinary rules. Then the first fulfilled rule that blocks
 * decides the reason, message and code.
 */
function conclude(out: EntryAccessOutcome, noKs: boolean): DeliveryDecision {
  if (!out.ok) return deny(out.reason);
  const cd: EntryAccess = out.access;
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
