/**
 * Tree maintenance inside a category update's transaction: a rename or a move rewrites the subtree's
 * paths (two set-based statements), then the subtree's derived values (effective contexts, whose
 * members apply) are recomputed in one pass and written per distinct value (rules.deriveSubtree).
 * Counters of the ancestors whose subtree changed are recomputed from their bounded chain.
 */
import type { Repos } from '../ports.js';
import { InheritanceType, PermissionLevel, Privacy, type Category } from './model.js';
import { deriveSubtree } from './rules.js';

export interface TreeChange {
  name: string;
  parent: Category | undefined;
  moving: boolean;
  /** The category's own contexts after the update. */
  ownContexts: string;
  inheritanceType: number;
  /** The privacy after the update. */
  privacy: number;
}

/** Applies a rename/move and re-derives the subtree when anything it derives from changed; returns the users whose memberships were removed. */
export async function moveOrRederive(r: Repos, c: Category, t: TreeChange, now: number): Promise<{ removedMembers: string[] }> {
  const removedMembers: string[] = [];
  const recount = new Set<number>();
  const newFullIds = t.moving ? (t.parent ? `${t.parent.fullIds}>${c.id}` : String(c.id)) : c.fullIds;
  const newFullName = t.moving || t.name !== c.name ? (t.parent ? `${t.parent.fullName}>${t.name}` : t.name) : c.fullName;
  if (t.moving || t.name !== c.name) {
    const depthDelta = t.moving ? (t.parent ? t.parent.depth + 1 : 0) - c.depth : 0;
    await r.categories.rewritePaths(c.partnerId, { fullIds: c.fullIds, fullNameKey: c.fullName.toLowerCase(), fullName: c.fullName }, { fullIds: newFullIds, fullName: newFullName }, depthDelta, now);
  }
  // Becoming members-only drops the NONE-level members, as the server does (§3.5).
  if (t.privacy === Privacy.MEMBERS_ONLY && c.privacy !== Privacy.MEMBERS_ONLY && t.inheritanceType === InheritanceType.MANUAL) {
    const gone = await r.memberships.removeFromCategories(c.partnerId, [c.id], now, PermissionLevel.NONE);
    if (gone.length) {
      removedMembers.push(...gone);
      recount.add(c.id);
    }
  }
  const rederive = t.moving || t.ownContexts !== c.privacyContext || t.inheritanceType !== c.inheritanceType;
  if (rederive) {
    const nodes = (await r.categories.subtree(c.partnerId, newFullIds)).map((n) => (n.id === c.id ? { ...n, privacyContext: t.ownContexts, inheritanceType: t.inheritanceType } : n));
    const groups = deriveSubtree(t.parent ? { privacyContexts: t.parent.privacyContexts, membersCategoryId: t.parent.membersCategoryId } : null, nodes);
    await r.categories.setDerived(c.partnerId, groups, now);
    // Members go where a category stops managing its own: MANUAL → INHERIT (§3.5), and MANUAL
    // categories left without any context (their entitlement fields reset).
    const dropped = new Set<number>(groups.filter((g) => g.resetEntitlement).flatMap((g) => g.ids));
    if (c.inheritanceType === InheritanceType.MANUAL && t.inheritanceType === InheritanceType.INHERIT) dropped.add(c.id);
    if (dropped.size) {
      removedMembers.push(...(await r.memberships.removeFromCategories(c.partnerId, [...dropped], now)));
      for (const id of dropped) recount.add(id);
    }
  }
  if (t.moving) {
    // The old and new ancestors' entries and sub-category counts.
    for (const id of c.fullIds.split('>').map(Number)) if (id !== c.id) recount.add(id);
    for (const id of t.parent ? t.parent.fullIds.split('>').map(Number) : []) recount.add(id);
  }
  await r.categories.recount(c.partnerId, [...recount]);
  return { removedMembers };
}
