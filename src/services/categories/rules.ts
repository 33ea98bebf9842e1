/**
 * Pure rules of a category's fields (protocol §2-§3): names, privacy contexts, the fields that need
 * a context, INHERIT's restrictions, and what a subtree recomputes after a move or a context change.
 */
import { E, fail } from '../../core/errors/index.js';
import type { CategoryNode, DerivedValues } from '../ports.js';
import { ENTITLEMENT_DEFAULTS, InheritanceType } from './model.js';

/** The writable entitlement fields, which need CONTENT_MANAGE_CATEGORY_USERS and a privacy context. */
export interface EntitlementFields {
  appearInList?: number | null;
  inheritanceType?: number | null;
  privacy?: number | null;
  owner?: string | null;
  userJoinPolicy?: number | null;
  contributionPolicy?: number | null;
  defaultPermissionLevel?: number | null;
  privacyContext?: string | null;
}

export const ENTITLEMENT_FIELDS = ['appearInList', 'inheritanceType', 'privacy', 'owner', 'userJoinPolicy', 'contributionPolicy', 'defaultPermissionLevel', 'privacyContext'] as const;

/** Trimmed, 1..200 characters, with '<', '>' and ',' replaced by '_' (categoryPeer::getParsedName). */
export function parseName(raw: string | null | undefined): string {
  if (raw === undefined || raw === null) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'category::name' });
  const name = raw.trim().replace(/[<>,]/g, '_');
  if (name.length < 1) throw fail(E.PROPERTY_VALIDATION_MIN_LENGTH, { PROP_NAME: 'category::name', MIN_LEN: 1 });
  if (name.length > 200) throw fail(E.PROPERTY_VALIDATION_MAX_LENGTH, { PROP_NAME: 'category::name', MAX_LEN: 200 });
  return name;
}

/** Splits and checks a privacy context list: letters and digits, at least 4 characters each. */
export function parseContexts(raw: string): string[] {
  const list = splitContexts(raw);
  for (const ctx of list) if (!/^[a-zA-Z\d]+$/.test(ctx) || ctx.length < 4) throw fail(E.PRIVACY_CONTEXT_INVALID_STRING, { CONTEXT: ctx });
  return list;
}

export function splitContexts(raw: string): string[] {
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
}

/** A parent's effective contexts ∪ the category's own, de-duplicated, in that order. */
export function effectiveContexts(parent: string, own: string): string {
  return [...new Set([...splitContexts(parent), ...splitContexts(own)])].join(',');
}

/** §3.1: without any context, each entitlement field must keep its default (checked in the server's order). */
export function assertNeedsNoContext(f: EntitlementFields): void {
  const d = ENTITLEMENT_DEFAULTS;
  if (f.appearInList != null && f.appearInList !== d.appearInList) throw fail(E.CANNOT_SET_APPEAR_IN_LIST_FIELD_WITH_NO_PRIVACY_CONTEXT);
  if (f.inheritanceType != null && f.inheritanceType !== d.inheritanceType) throw fail(E.CANNOT_SET_INHERITANCE_TYPE_FIELD_WITH_NO_PRIVACY_CONTEXT);
  if (f.privacy != null && f.privacy !== d.privacy) throw fail(E.CANNOT_SET_PRIVACY_FIELD_WITH_NO_PRIVACY_CONTEXT);
  if (f.owner) throw fail(E.CANNOT_SET_OWNER_FIELD_WITH_NO_PRIVACY_CONTEXT);
  if (f.userJoinPolicy != null && f.userJoinPolicy !== d.userJoinPolicy) throw fail(E.CANNOT_SET_USER_JOIN_POLICY_FIELD_WITH_NO_PRIVACY_CONTEXT);
  if (f.contributionPolicy != null && f.contributionPolicy !== d.contributionPolicy) throw fail(E.CANNOT_SET_CONTIRUBUTION_POLICY_FIELD_WITH_NO_PRIVACY_CONTEXT);
  if (f.defaultPermissionLevel != null && f.defaultPermissionLevel !== d.defaultPermissionLevel) throw fail(E.CANNOT_SET_DEFAULT_PERMISSION_LEVEL_FIELD_WITH_NO_PRIVACY_CONTEXT);
}

/** An INHERIT category takes owner, join policy and default level from the category it inherits from. */
export function assertInheritFields(f: EntitlementFields): void {
  if (f.owner) throw fail(E.CANNOT_SET_OWNER_WHEN_CATEGORY_INHERIT_MEMBERS);
  if (f.userJoinPolicy != null) throw fail(E.CANNOT_SET_USER_JOIN_POLICY_WHEN_CATEGORY_INHERIT_MEMBERS);
  if (f.defaultPermissionLevel != null) throw fail(E.CANNOT_SET_DEFAULT_PERMISSION_LEVEL_WHEN_CATEGORY_INHERIT_MEMBERS);
}

/**
 * What a subtree's categories derive from their ancestors once one of them changed (moved, changed
 * its context or its inheritance): effective contexts and whose members apply. `nodes` come
 * shallowest first (each parent before its children) and hold the new own values; `base` is the
 * derived values of the subtree root's parent (null for a root). One pass, no recursion; the result
 * is grouped by value so the store writes one statement per distinct value, not one per category.
 */
export function deriveSubtree(base: { privacyContexts: string; membersCategoryId: number } | null, nodes: readonly CategoryNode[]): DerivedValues[] {
  const derived = new Map<number, { contexts: string; members: number }>();
  const groups = new Map<string, DerivedValues>();
  for (const n of nodes) {
    const parent = derived.get(n.parentId) ?? (base ? { contexts: base.privacyContexts, members: base.membersCategoryId } : { contexts: '', members: 0 });
    const contexts = effectiveContexts(parent.contexts, n.privacyContext);
    const reset = contexts === '';
    const inherit = !reset && n.inheritanceType === InheritanceType.INHERIT && parent.members !== 0;
    const members = inherit ? parent.members : n.id;
    derived.set(n.id, { contexts, members });
    const key = reset ? `reset` : `${contexts}|${inherit ? members : 'self'}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = reset ? { ids: [], privacyContexts: '', resetEntitlement: true } : inherit ? { ids: [], privacyContexts: contexts, membersCategoryId: members } : { ids: [], privacyContexts: contexts, membersCategoryId: 'self' }));
    g.ids.push(n.id);
  }
  return [...groups.values()];
}
