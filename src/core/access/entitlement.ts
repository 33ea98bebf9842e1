/**
 * Category entitlement, the pure rule (protocol kaltura-entitlements.md §9-§11; the real server's
 * kEntitlementUtils::initEntitlementEnforcement and isEntryEntitled). No I/O: the caller loads the
 * entry's links with their categories and says whether the user is a member of each; this answers
 * with a verdict that names what decided it, so the console simulator can explain it.
 *
 * Not wired anywhere yet: the access pipeline decides when it applies (entitlementEnforced) and
 * calls isEntryEntitled for one entry; lists use the SQL form in store/repos/entitlement-sql.ts,
 * which encodes the same steps.
 */
import type { PrivilegeMap } from '../ks/privileges.js';

/** Category privacy (PrivacyType): ALL=1, AUTHENTICATED_USERS=2, MEMBERS_ONLY=3. */
export const CATEGORY_PRIVACY = { ALL: 1, AUTHENTICATED_USERS: 2, MEMBERS_ONLY: 3 } as const;

/** A category as far as entitlement reads it. */
export interface EntitlementCategory {
  id: number;
  /** For explanations ("Course 101"); the full name reads best. */
  name?: string;
  privacy: number;
  /** The category's effective contexts (its own and inherited), as stored (comma-separated) or split. */
  privacyContexts: string | readonly string[];
  /** The session's user is an ACTIVE member, directly or through the category it inherits members from. */
  member: boolean;
  /** When `member` comes from the nearest MANUAL ancestor (INHERIT categories): that category. */
  inheritedFrom?: { id: number; name?: string };
}

/** One of the entry's category links. */
export interface EntitlementLink {
  /** Only ACTIVE links make an entry "categorised"; ACTIVE and PENDING ones may grant (§10 steps 6-7). */
  status: 'active' | 'pending';
  category: EntitlementCategory;
}

export interface EntitlementQuestion {
  /** The entry's owner (user id). */
  entryOwner: string;
  /** Its live links (DELETED/REJECTED ones are not passed). */
  links: readonly EntitlementLink[];
  /** The session's user id ('' for none). */
  userId: string;
  /** The user is a real, non-anonymous user (AUTHENTICATED_USERS categories open to it). */
  knownUser: boolean;
  /** The session's privacy context; null = none (the default context); '*' = every context. */
  privacyContext: string | null;
}

export type EntitlementVia = 'owner' | 'no_category' | 'privacy_all' | 'authenticated' | 'member';

export type EntitlementVerdict =
  | { entitled: true; via: 'owner' | 'no_category' }
  | { entitled: true; via: 'privacy_all' | 'authenticated' | 'member'; category: { id: number; name?: string }; inheritedFrom?: { id: number; name?: string } }
  /**
   * `outside_context`: none of the entry's categories carries the session's context (an entry only
   * in another context's categories, or a member whose session lacks the context);
   * `not_entitled`: some do, but none is open to this user and the user is a member of none.
   */
  | { entitled: false; reason: 'outside_context' | 'not_entitled'; categories: number[] };

/** Whether a category carries the context: no context is the default one, which only context-less categories have. */
export function carriesContext(contexts: string | readonly string[], context: string | null): boolean {
  const list = typeof contexts === 'string' ? contexts.split(',').map((s) => s.trim()).filter(Boolean) : contexts;
  if (context === null) return list.length === 0;
  if (context === '*') return true;
  return list.includes(context);
}

/**
 * §10 steps 5-8, in the server's order: the owner; an entry without any ACTIVE link is open; else
 * one of its ACTIVE or PENDING categories must carry the session's context and be ALL, or
 * AUTHENTICATED_USERS with a known user, or have the user among its active members (inherited
 * members included).
 */
export function isEntryEntitled(q: EntitlementQuestion): EntitlementVerdict {
  // Step 5: the owner. (Gatehouse entries have no entitledUsers* lists yet.)
  if (q.userId !== '' && q.entryOwner === q.userId) return { entitled: true, via: 'owner' };
  // Step 6: no ACTIVE link at all: a "public" entry. PENDING links do not make it categorised.
  if (!q.links.some((l) => l.status === 'active')) return { entitled: true, via: 'no_category' };
  // Step 7: one category of the context that opens to this user.
  let inContext = false;
  for (const { category: c } of q.links) {
    if (!carriesContext(c.privacyContexts, q.privacyContext)) continue;
    inContext = true;
    const category = c.name === undefined ? { id: c.id } : { id: c.id, name: c.name };
    if (c.privacy === CATEGORY_PRIVACY.ALL) return { entitled: true, via: 'privacy_all', category };
    if (c.privacy === CATEGORY_PRIVACY.AUTHENTICATED_USERS && q.knownUser) return { entitled: true, via: 'authenticated', category };
    if (c.member) return { entitled: true, via: 'member', category, ...(c.inheritedFrom ? { inheritedFrom: c.inheritedFrom } : {}) };
  }
  // Step 8.
  return { entitled: false, reason: inContext ? 'not_entitled' : 'outside_context', categories: q.links.map((l) => l.category.id) };
}

/** The server's anonymous session: no user id, or `0` (kSessionBase::isAnonymousSession). */
export function isAnonymousUserId(userId: string | null | undefined): boolean {
  return userId === undefined || userId === null || userId === '' || userId === '0';
}

/**
 * §9: whether entitlement applies to a call. The partner's default (`defaultEntitlementEnforcement`,
 * false unless the operator sets it) applies to calls without a KS and to KSes that say nothing;
 * `disableentitlement` turns it off and `enableentitlement` on, enable winning when both are
 * present. Privileges are whole items. ADMIN and USER sessions are treated alike.
 */
export function entitlementEnforced(privileges: PrivilegeMap | null, partnerDefault: boolean): boolean {
  if (privileges === null) return partnerDefault;
  if (privileges.has('enableentitlement')) return true;
  if (privileges.has('disableentitlement')) return false;
  return partnerDefault;
}

/** The session's privacy context: the first `privacycontext:` privilege, or null (§11). */
export function sessionPrivacyContext(privileges: PrivilegeMap | null): string | null {
  const v = privileges?.get('privacycontext')?.[0];
  return v === undefined || v === '' ? null : v;
}

/** §10 step 4: the KS lifts entitlement for this entry (`disableentitlementforentry:<id>`). */
export function entitlementLiftedFor(privileges: PrivilegeMap | null, entryId: string): boolean {
  return privileges?.get('disableentitlementforentry')?.includes(entryId) ?? false;
}
