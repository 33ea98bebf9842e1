/**
 * Who is looking at categories and what they may do with them: whether entitlement applies to the
 * session (protocol §9), what it may see (§4), and the category roles that let a user manage a
 * category's members without any role permission (a category MANAGER, §5).
 */
import { carriesContext, isAnonymousUserId, sessionPrivacyContext } from '../../core/access/entitlement.js';
import { askerOf, entitlementScope } from '../pipeline/steps/entitlement.js';
import { satisfiesAny } from '../../core/permissions/catalogue.js';
import { isOperatorSession, type Principal } from '../context.js';
import type { EntitlementScope, MembershipRepo } from '../ports.js';
import { AppearInList, MembershipStatus, PermissionLevel, type Category, type Membership } from './model.js';

/** The permission that sets a category's entitlement fields and administers memberships (FEATURE_END_USER_MANAGE). */
export const CATEGORY_USERS_PERMISSION = 'CONTENT_MANAGE_CATEGORY_USERS';
/** The role permissions that administer memberships when entitlement does not apply. */
const MEMBERSHIP_ADMIN = ['CONTENT_MANAGE_ASSIGN_CATEGORIES', CATEGORY_USERS_PERMISSION];

export interface Viewer {
  /** Entitlement applies to this session. */
  enforced: boolean;
  scope: EntitlementScope;
}

export function viewerOf(p: Principal): Viewer {
  // When entitlement applies, and to whom, is the pipeline's entitlement step's rule (one place).
  const asker = askerOf(p);
  const scope = p.partner ? entitlementScope(asker) : null;
  return { enforced: scope !== null, scope: scope ?? { userId: asker.userId, knownUser: !isAnonymousUserId(asker.userId), privacyContext: sessionPrivacyContext(asker.privileges) } };
}

export function holds(p: Principal, names: readonly string[]): boolean {
  return satisfiesAny(p.permissions, names, isOperatorSession(p));
}

/**
 * A session that administers memberships by its role: one holding a category-assignment permission,
 * to which entitlement does not apply. Under entitlement the server decides by category roles only.
 */
export function administersMembers(p: Principal, v: Viewer): boolean {
  return !v.enforced && holds(p, MEMBERSHIP_ADMIN);
}

/** The user's live membership that applies to a category (its own, or the inherited one). */
export async function membershipIn(memberships: MembershipRepo, c: Category, userId: string): Promise<Membership | undefined> {
  if (userId === '') return undefined;
  return memberships.get(c.membersCategoryId, userId);
}

/** An ACTIVE membership with CATEGORY_EDIT: the category's manager. */
export function isManager(m: Membership | undefined): boolean {
  return m !== undefined && m.status === MembershipStatus.ACTIVE && m.permissionNames.includes('CATEGORY_EDIT');
}

/** An ACTIVE membership above MEMBER that may contribute entries. */
export function mayContribute(m: Membership | undefined): boolean {
  return m !== undefined && m.status === MembershipStatus.ACTIVE && m.permissionLevel < PermissionLevel.MEMBER && (m.permissionNames.includes('CATEGORY_EDIT') || m.permissionNames.includes('CATEGORY_CONTRIBUTE'));
}

/**
 * §4: under entitlement a category is seen only when it carries the session's context and is listed
 * to the whole partner or has the user as an active member. Not seen answers CATEGORY_NOT_FOUND.
 */
export async function visible(memberships: MembershipRepo, v: Viewer, c: Category): Promise<boolean> {
  if (!v.enforced) return true;
  if (!carriesContext(c.privacyContexts, v.scope.privacyContext)) return false;
  if (c.appearInList === AppearInList.PARTNER_ONLY) return true;
  const m = await membershipIn(memberships, c, v.scope.userId);
  return m !== undefined && m.status === MembershipStatus.ACTIVE;
}
