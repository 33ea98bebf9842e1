// Step: when entitlement is enforced (the KS's `enableentitlement`, or the partner's default unless `disableentitlement`), the session's user must be entitled to the entry through its categories; else `entitlement`.
import {
  entitlementEnforced,
  entitlementLiftedFor,
  isAnonymousUserId,
  isEntryEntitled,
  sessionPrivacyContext,
  type EntitlementLink,
  type EntitlementVerdict,
} from '../../../core/access/entitlement.js';
import type { PrivilegeMap } from '../../../core/ks/index.js';
import { isPromise, type Maybe } from '../../../core/maybe.js';
import type { Principal } from '../../context.js';
import type { Entry, Partner } from '../../model.js';
import type { EntitlementScope } from '../../ports-categories.js';
import { PASS, refuse, type StepOutcome } from '../reasons.js';

/** One live link of an entry, with what entitlement reads of its category. */
export interface LinkedCategory {
  categoryId: number;
  /** 'active' links make an entry categorised; 'pending' ones may still grant (protocol §10). */
  status: 'active' | 'pending';
  /** The category's full name (`Courses>Course 101`) and ids (`12>34`), for explanations. */
  name: string;
  fullIds: string;
  privacy: number;
  privacyContexts: string;
  appearInList: number;
  /** The category whose members apply (itself for MANUAL inheritance, else the nearest MANUAL ancestor). */
  membersCategoryId: number;
}

/** A user's active memberships: category id → permission level. */
export type Memberships = ReadonlyMap<number, number>;

/** The cached reads entitlement needs (cache/categories.ts): at once when cached, else a promise. */
export interface EntitlementReads {
  linksOf(entryId: string): Maybe<readonly LinkedCategory[]>;
  membershipsOf(partnerId: number, userId: string): Maybe<Memberships>;
  /** The categories through which a scope is entitled (open in its context, or with the user as member): what entry lists are filtered by. */
  entitledCategoryIds(partnerId: number, scope: EntitlementScope): Promise<readonly number[]>;
}

/** Who asks: the partner (its default), the session's privileges (null without a KS) and user. */
export interface EntitlementAsker {
  partner: Pick<Partner, 'settings'>;
  privileges: PrivilegeMap | null;
  userId: string;
}

const MEMBERS_ONLY = 3;
const CATEGORY_MEMBERS_ONLY = 3;
const LEVEL_NONE = 4;
const NO_MEMBERSHIPS: Memberships = new Map();

/**
 * Who asks, for an API caller: the partner acted on, the KS's privileges (none for REST callers,
 * for whom the partner's default decides) and the user (a KS's, or the user behind an access
 * token; an API key names none).
 */
export function askerOf(p: Pick<Principal, 'partner' | 'ks' | 'privileges' | 'userId' | 'user'>): EntitlementAsker {
  const userId = p.ks ? (isAnonymousUserId(p.userId) ? '' : p.userId) : (p.user?.id ?? '');
  return { partner: p.partner ?? { settings: {} }, privileges: p.ks ? p.privileges : null, userId };
}

/** The partner's account-level default (Kaltura's admin console sets it; so does our operator console). */
export function partnerDefaultEnforced(partner: Pick<Partner, 'settings'>): boolean {
  return partner.settings.defaultEntitlementEnforcement === true;
}

/** The scope a list is filtered to when entitlement applies; null when it does not (protocol §9). */
export function entitlementScope(a: EntitlementAsker): EntitlementScope | null {
  if (!entitlementEnforced(a.privileges, partnerDefaultEnforced(a.partner))) return null;
  return { userId: a.userId, knownUser: !isAnonymousUserId(a.userId), privacyContext: sessionPrivacyContext(a.privileges) };
}

/**
 * The verdict for one entry, with what decided it (for the console's simulator), or null when
 * entitlement does not apply to this session or this entry (`disableentitlementforentry`).
 */
export function entitlementVerdict(d: EntitlementReads, a: EntitlementAsker, entry: Pick<Entry, 'id' | 'partnerId' | 'userId'>): Maybe<EntitlementVerdict | null> {
  const scope = entitlementScope(a);
  if (scope === null || entitlementLiftedFor(a.privileges, entry.id)) return null;
  // The owner needs no category (and no read).
  if (scope.userId !== '' && entry.userId === scope.userId) return { entitled: true, via: 'owner' };
  const links = d.linksOf(entry.id);
  return isPromise(links) ? links.then((l) => withLinks(d, scope, entry, l)) : withLinks(d, scope, entry, links);
}

function withLinks(d: EntitlementReads, scope: EntitlementScope, entry: Pick<Entry, 'partnerId' | 'userId'>, links: readonly LinkedCategory[]): Maybe<EntitlementVerdict> {
  if (links.length === 0 || !scope.knownUser) return judge(scope, entry, links, NO_MEMBERSHIPS);
  const m = d.membershipsOf(entry.partnerId, scope.userId);
  return isPromise(m) ? m.then((x) => judge(scope, entry, links, x)) : judge(scope, entry, links, m);
}

/**
 * Verdicts already reached, by the cached objects they were reached from: an entry's links and a
 * user's memberships are shared objects until they change (cache/categories.ts hands out new ones
 * then), so the steady state of a viewer replaying an entry judges nothing. The owner is decided
 * before (entitlementVerdict), so the verdict depends on these two, the context and knownUser only.
 */
const verdicts = new WeakMap<readonly LinkedCategory[], WeakMap<Memberships, Map<string, EntitlementVerdict>>>();

function judge(scope: EntitlementScope, entry: Pick<Entry, 'userId'>, links: readonly LinkedCategory[], memberships: Memberships): EntitlementVerdict {
  let byMembers = verdicts.get(links);
  if (!byMembers) {
    byMembers = new WeakMap();
    verdicts.set(links, byMembers);
  }
  let byScope = byMembers.get(memberships);
  if (!byScope) {
    byScope = new Map();
    byMembers.set(memberships, byScope);
  }
  const key = scope.privacyContext === null ? (scope.knownUser ? 'k' : 'a') : `${scope.knownUser ? 'k' : 'a'}:${scope.privacyContext}`;
  let v = byScope.get(key);
  if (!v) {
    v = judgeNow(scope, entry, links, memberships);
    // Bounded: one entry per context a session names (a handful), never per request.
    if (byScope.size < 64) byScope.set(key, v);
  }
  return v;
}

function judgeNow(scope: EntitlementScope, entry: Pick<Entry, 'userId'>, links: readonly LinkedCategory[], memberships: Memberships): EntitlementVerdict {
  const question: EntitlementLink[] = links.map((l) => {
    const level = memberships.get(l.membersCategoryId);
    // A NONE-level member does not count in a members-only category listed to members only (the server's shouldSkipMemberIndex).
    const member = level !== undefined && !(level === LEVEL_NONE && l.privacy === MEMBERS_ONLY && l.appearInList === CATEGORY_MEMBERS_ONLY);
    const inherited = l.membersCategoryId !== l.categoryId ? { inheritedFrom: { id: l.membersCategoryId } } : {};
    return { status: l.status, category: { id: l.categoryId, name: l.name, privacy: l.privacy, privacyContexts: l.privacyContexts, member, ...inherited } };
  });
  return isEntryEntitled({ entryOwner: entry.userId, links: question, userId: scope.userId, knownUser: scope.knownUser, privacyContext: scope.privacyContext });
}

/** The step: PASS when entitlement does not apply or the user is entitled; else `entitlement` (detail: outside_context | not_entitled). */
export function entitled(d: EntitlementReads, a: EntitlementAsker, entry: Pick<Entry, 'id' | 'partnerId' | 'userId'>): Maybe<StepOutcome> {
  const v = entitlementVerdict(d, a, entry);
  return isPromise(v) ? v.then(outcome) : outcome(v);
}

/** What the console's simulator shows: whether entitlement applied, the verdict, and why in words. */
export interface EntitlementExplanation {
  applies: boolean;
  entitled: boolean;
  /** e.g. "member of Courses>Course 101 (MEDIASPACE) via parent Courses". */
  why: string;
}

/** The verdict for one entry, explained step by step as the simulator shows it. */
export async function explainEntitlement(d: EntitlementReads, a: EntitlementAsker, entry: Pick<Entry, 'id' | 'partnerId' | 'userId'>): Promise<EntitlementExplanation> {
  const scope = entitlementScope(a);
  if (scope === null) return { applies: false, entitled: true, why: 'entitlement is not enforced for this session (no enableentitlement, and the partner does not enforce it by default)' };
  if (entitlementLiftedFor(a.privileges, entry.id)) return { applies: false, entitled: true, why: 'lifted for this entry by disableentitlementforentry' };
  const v = await entitlementVerdict(d, a, entry);
  const links = await d.linksOf(entry.id);
  const context = scope.privacyContext === null ? 'no privacy context' : `privacy context ${scope.privacyContext}`;
  const named = (id: number): string => {
    const l = links.find((x) => x.categoryId === id);
    return l ? `${l.name}${l.privacyContexts ? ` (${l.privacyContexts})` : ''}` : `category ${id}`;
  };
  if (v === null || v.entitled) {
    if (!v || v.via === 'owner') return { applies: true, entitled: true, why: `${scope.userId} owns the entry` };
    if (v.via === 'no_category') return { applies: true, entitled: true, why: 'the entry is in no category, so no category restricts it' };
    if (v.via === 'privacy_all') return { applies: true, entitled: true, why: `${named(v.category.id)} is open to everyone in its context` };
    if (v.via === 'authenticated') return { applies: true, entitled: true, why: `${named(v.category.id)} is open to every signed-in user` };
    if (v.via !== 'member') return { applies: true, entitled: true, why: 'entitled' };
    const via = v.inheritedFrom ? ` via parent ${ancestorName(links, v.category.id, v.inheritedFrom.id)}` : '';
    return { applies: true, entitled: true, why: `${scope.userId} is a member of ${named(v.category.id)}${via}` };
  }
  const categories = links.map((l) => named(l.categoryId)).join(', ');
  if (v.reason === 'outside_context') return { applies: true, entitled: false, why: `none of the entry's categories (${categories}) is in the session's ${context}` };
  const who = scope.userId === '' ? 'an anonymous session' : scope.userId;
  return { applies: true, entitled: false, why: `${who} is not a member of the entry's categories in the session's ${context} (${categories}), and none of them is open to it` };
}

/** The name of the ancestor whose members an INHERIT category has (its segment of the full name). */
function ancestorName(links: readonly LinkedCategory[], categoryId: number, ancestorId: number): string {
  const l = links.find((x) => x.categoryId === categoryId);
  if (!l) return `category ${ancestorId}`;
  const at = l.fullIds.split('>').indexOf(String(ancestorId));
  return at < 0 ? `category ${ancestorId}` : (l.name.split('>')[at] ?? `category ${ancestorId}`);
}

function outcome(v: EntitlementVerdict | null): StepOutcome {
  return v === null || v.entitled ? PASS : refuse('entitlement', v.reason);
}
