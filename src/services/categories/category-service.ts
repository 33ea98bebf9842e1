/**
 * category.add / get / list / update / delete: a tree per partner (protocol kaltura-entitlements.md
 * §2-§4). The tree's derived values (paths, effective contexts, whose members apply) are stored, and
 * a move or a context change rewrites the subtree in a few set-based statements (tree.ts). Every
 * write that can change entitlement is announced through CategoryChanges, the one invalidation point.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import type { ListResult, Page } from '../model.js';
import { DuplicateKeyError, type CategoryChanges, type CategoryFilter, type CategoryRepo, type MembershipRepo, type UnitOfWork, type UserRepo } from '../ports.js';
import { CATEGORY_USERS_PERMISSION, holds, isManager, membershipIn, viewerOf, visible, type Viewer } from './access.js';
import { CategoryStatus, ENTITLEMENT_DEFAULTS, InheritanceType, type Category } from './model.js';
import { ensureUser, ownerMembership } from './owner.js';
import { assertInheritFields, assertNeedsNoContext, effectiveContexts, ENTITLEMENT_FIELDS, parseContexts, parseName, type EntitlementFields } from './rules.js';
import { moveOrRederive } from './tree.js';

export interface CategoryInput extends EntitlementFields {
  parentId?: number | null;
  name?: string | null;
  description?: string | null;
  tags?: string | null;
  adminTags?: string | null;
  referenceId?: string | null;
  partnerData?: string | null;
  partnerSortValue?: number | null;
  defaultOrderBy?: string | null;
  moderation?: boolean | null;
}

export interface CategoryServiceDeps {
  uow: UnitOfWork;
  categories: CategoryRepo;
  memberships: MembershipRepo;
  users: UserRepo;
  changes: CategoryChanges;
  audit: Auditor;
  clock: Clock;
}

/** category.list without a pager: the server's MAX_NUMBER_OF_CATEGORIES. */
export const UNPAGED_CATEGORIES = 1500;

export class CategoryService {
  constructor(private readonly d: CategoryServiceDeps) {}

  async add(p: Principal, raw: CategoryInput, meta: RequestMeta): Promise<Category> {
    const v = viewerOf(p);
    const input = withoutUnpermitted(p, raw);
    const name = parseName(input.name);
    const own = input.privacyContext ? parseContexts(input.privacyContext) : [];
    if (input.privacyContext && v.enforced) throw fail(E.CANNOT_UPDATE_CATEGORY_PRIVACY_CONTEXT);
    let parent: Category | undefined;
    if (input.parentId) {
      parent = await this.findVisible(v, p.partnerId, input.parentId);
      // The server looks the parent up twice: first as any category, then as the parent of one with a context.
      if (!parent) throw fail(own.length ? E.PARENT_CATEGORY_NOT_FOUND : E.CATEGORY_NOT_FOUND, { ID: input.parentId });
    }
    const contexts = effectiveContexts(parent?.privacyContexts ?? '', own.join(','));
    if (!contexts) assertNeedsNoContext(input);
    const inheritanceType = input.inheritanceType ?? ENTITLEMENT_DEFAULTS.inheritanceType;
    if (inheritanceType === InheritanceType.INHERIT) {
      if (!parent) throw fail(E.CANNOT_INHERIT_MEMBERS_WHEN_PARENT_CATEGORY_IS_NOT_SET);
      assertInheritFields(input);
    }
    const now = nowSeconds(this.d.clock);
    let owner = '';
    if (input.owner) owner = await ensureUser(this.d.users, p.partnerId, input.owner, now);
    // A MANUAL category with a context gets the session's user as owner, if that user exists.
    else if (contexts && inheritanceType === InheritanceType.MANUAL && p.user) owner = p.user.id;
    const manual = inheritanceType === InheritanceType.MANUAL;
    let created: Category;
    try {
      created = await this.d.uow.transaction(async (r) => {
        const c = await r.categories.insert({
          partnerId: p.partnerId,
          parentId: parent?.id ?? 0,
          name,
          fullName: parent ? `${parent.fullName}>${name}` : name,
          parentFullIds: parent?.fullIds ?? '',
          depth: parent ? parent.depth + 1 : 0,
          description: input.description ?? '',
          tags: input.tags ?? '',
          adminTags: input.adminTags ?? '',
          referenceId: input.referenceId ?? '',
          partnerData: input.partnerData ?? '',
          partnerSortValue: input.partnerSortValue ?? 0,
          defaultOrderBy: input.defaultOrderBy ?? '',
          moderation: input.moderation ?? false,
          privacy: contexts ? (input.privacy ?? ENTITLEMENT_DEFAULTS.privacy) : ENTITLEMENT_DEFAULTS.privacy,
          privacyContext: own.join(','),
          privacyContexts: contexts,
          appearInList: input.appearInList ?? ENTITLEMENT_DEFAULTS.appearInList,
          inheritanceType,
          membersCategoryId: manual ? 'self' : parent!.membersCategoryId,
          owner: manual ? owner : '',
          userJoinPolicy: manual ? (input.userJoinPolicy ?? ENTITLEMENT_DEFAULTS.userJoinPolicy) : ENTITLEMENT_DEFAULTS.userJoinPolicy,
          defaultPermissionLevel: manual ? (input.defaultPermissionLevel ?? ENTITLEMENT_DEFAULTS.defaultPermissionLevel) : ENTITLEMENT_DEFAULTS.defaultPermissionLevel,
          contributionPolicy: input.contributionPolicy ?? ENTITLEMENT_DEFAULTS.contributionPolicy,
          status: CategoryStatus.ACTIVE,
          createdAt: now,
          updatedAt: now,
        });
        // The owner of a MANUAL category is its manager, and counts as a member (§3.3).
        if (manual && owner) await ownerMembership(r, c, owner, now);
        return (await r.categories.get(p.partnerId, c.id))!;
      });
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw fail(E.DUPLICATE_CATEGORY, { CATEGORY: parent ? `${parent.fullName}>${name}` : name });
      throw e;
    }
    if (contexts) await this.d.changes.changed({ kind: 'categories', partnerId: p.partnerId });
    if (manual && owner) await this.d.changes.changed({ kind: 'memberships', partnerId: p.partnerId, userIds: [owner] });
    await this.audit(p, 'category.add', created.id, meta, { fullName: created.fullName });
    return (await this.present(p.partnerId, [created]))[0]!;
  }

  async get(p: Principal, id: number): Promise<Category> {
    const c = await this.findVisible(viewerOf(p), p.partnerId, id);
    if (!c) throw fail(E.CATEGORY_NOT_FOUND, { ID: id });
    return (await this.present(p.partnerId, [c]))[0]!;
  }

  async list(p: Principal, filter: CategoryFilter, page: Page): Promise<ListResult<Category>> {
    const v = viewerOf(p);
    const r = await this.d.categories.list(p.partnerId, filter, page, v.enforced ? v.scope : undefined);
    return { objects: await this.present(p.partnerId, r.objects), totalCount: r.totalCount };
  }

  async update(p: Principal, id: number, raw: CategoryInput, meta: RequestMeta): Promise<Category> {
    const v = viewerOf(p);
    const c = await this.findVisible(v, p.partnerId, id);
    if (!c) throw fail(E.CATEGORY_NOT_FOUND, { ID: id });
    await this.assertMayEdit(v, c);
    const input = withoutUnpermitted(p, raw);
    if (input.privacyContext != null && input.privacyContext !== c.privacyContext && v.enforced) throw fail(E.CANNOT_UPDATE_CATEGORY_PRIVACY_CONTEXT);
    const now = nowSeconds(this.d.clock);
    const name = input.name != null ? parseName(input.name) : c.name;
    const ownContexts = input.privacyContext != null ? parseContexts(input.privacyContext).join(',') : c.privacyContext;
    const moving = input.parentId != null && input.parentId !== c.parentId;
    const newParent = moving && input.parentId ? await this.findVisible(v, p.partnerId, input.parentId) : undefined;
    if (moving && input.parentId && !newParent) throw fail(E.CATEGORY_NOT_FOUND, { ID: input.parentId });
    if (newParent && (newParent.id === c.id || `>${newParent.fullIds}>`.includes(`>${c.id}>`))) throw fail(E.PARENT_CATEGORY_IS_CHILD, { PARENT_CATEGORY: newParent.id, OTHER_CATEGORY: c.id });
    const parent = moving ? newParent : c.parentId ? await this.d.categories.get(p.partnerId, c.parentId) : undefined;
    const contexts = effectiveContexts(parent?.privacyContexts ?? '', ownContexts);
    if (!contexts) assertNeedsNoContext(changed(input, c));
    const inheritanceType = input.inheritanceType ?? c.inheritanceType;
    if (inheritanceType === InheritanceType.INHERIT) {
      if (!parent) throw fail(E.CANNOT_INHERIT_MEMBERS_WHEN_PARENT_CATEGORY_IS_NOT_SET);
      assertInheritFields(changed({ owner: input.owner, userJoinPolicy: input.userJoinPolicy, defaultPermissionLevel: input.defaultPermissionLevel }, c));
    }
    const owner = input.owner != null && input.owner !== c.owner ? (input.owner ? await ensureUser(this.d.users, p.partnerId, input.owner, now) : '') : undefined;
    const patch: Partial<Category> = { updatedAt: now };
    for (const k of ['description', 'tags', 'adminTags', 'referenceId', 'partnerData', 'defaultOrderBy'] as const) if (input[k] != null) patch[k] = input[k]!;
    if (input.partnerSortValue != null) patch.partnerSortValue = input.partnerSortValue;
    if (input.moderation != null) patch.moderation = input.moderation;
    for (const k of ['privacy', 'appearInList', 'userJoinPolicy', 'defaultPermissionLevel', 'contributionPolicy'] as const) if (input[k] != null) patch[k] = input[k]!;
    if (owner !== undefined) patch.owner = owner;
    patch.privacyContext = ownContexts;
    // Without any context the entitlement fields are back to their defaults (tree.ts resets them).
    patch.inheritanceType = contexts ? inheritanceType : InheritanceType.MANUAL;
    if (name !== c.name) patch.name = name;
    if (moving) patch.parentId = parent?.id ?? 0;
    let affectedUsers: string[];
    try {
      affectedUsers = await this.d.uow.transaction(async (r) => {
        // Structure first (the new parent's counters then see the category), then what derives from it.
        if (patch.name !== undefined || patch.parentId !== undefined) await r.categories.update(p.partnerId, c.id, { name: patch.name, parentId: patch.parentId });
        const moved = await moveOrRederive(r, c, { name, parent, moving, ownContexts, inheritanceType, privacy: patch.privacy ?? c.privacy }, now);
        const saved = await r.categories.update(p.partnerId, c.id, patch);
        const users = [...moved.removedMembers];
        // The owner of a MANUAL category is its manager (re-added when the category stops inheriting).
        if (saved.inheritanceType === InheritanceType.MANUAL && saved.owner && (owner !== undefined || c.inheritanceType !== InheritanceType.MANUAL)) {
          await ownerMembership(r, saved, saved.owner, now);
          users.push(saved.owner);
        }
        return users;
      });
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw fail(E.DUPLICATE_CATEGORY, { CATEGORY: parent ? `${parent.fullName}>${name}` : name });
      throw e;
    }
    await this.d.changes.changed({ kind: 'categories', partnerId: p.partnerId });
    if (affectedUsers.length) await this.d.changes.changed({ kind: 'memberships', partnerId: p.partnerId, userIds: affectedUsers });
    await this.audit(p, 'category.update', id, meta, { fields: Object.keys(raw).filter((k) => raw[k as keyof CategoryInput] !== undefined) });
    return this.get(p, id);
  }

  /**
   * category.move: puts categories that share a parent under another one (0: the top level), each
   * moved as update moves it (no cycles, paths and entitlement inheritance follow). Every id is
   * checked before any moves, as the server does.
   */
  async move(p: Principal, ids: number[], targetParentId: number, meta: RequestMeta): Promise<void> {
    const v = viewerOf(p);
    const cats: Category[] = [];
    for (const id of ids) {
      const c = await this.findVisible(v, p.partnerId, id);
      if (!c) throw fail(E.CATEGORY_NOT_FOUND, { ID: id });
      if (cats.length && c.parentId !== cats[0]!.parentId) throw fail(E.CANNOT_MOVE_CATEGORIES_FROM_DIFFERENT_PARENT_CATEGORY);
      cats.push(c);
    }
    if (targetParentId && !(await this.findVisible(v, p.partnerId, targetParentId))) throw fail(E.CATEGORY_NOT_FOUND, { ID: targetParentId });
    for (const c of cats) await this.update(p, c.id, { parentId: targetParentId }, meta);
  }

  /**
   * Deletes the category with all its descendants. With `moveEntriesToParent` and a parent, every
   * entry of the subtree is linked to the parent first; the subtree's links and memberships go.
   */
  async delete(p: Principal, id: number, moveEntriesToParent: boolean, meta: RequestMeta): Promise<void> {
    const v = viewerOf(p);
    const c = await this.findVisible(v, p.partnerId, id);
    if (!c) throw fail(E.CATEGORY_NOT_FOUND, { ID: id });
    await this.assertMayEdit(v, c);
    const now = nowSeconds(this.d.clock);
    const users = await this.d.uow.transaction(async (r) => {
      const ids = await r.categories.deleteSubtree(p.partnerId, c.fullIds, now);
      const parent = c.parentId ? await r.categories.get(p.partnerId, c.parentId) : undefined;
      if (moveEntriesToParent && parent) await r.categoryLinks.relinkTo(p.partnerId, ids, parent, now);
      await r.categoryLinks.removeFromCategories(p.partnerId, ids, now);
      const removed = await r.memberships.removeFromCategories(p.partnerId, ids, now);
      // The ancestors' counters: recomputed from their (bounded) chain, not walked per entry.
      if (parent) await r.categories.recount(p.partnerId, parent.fullIds.split('>').map(Number));
      return removed;
    });
    await this.d.changes.changed({ kind: 'categories', partnerId: p.partnerId });
    if (users.length) await this.d.changes.changed({ kind: 'memberships', partnerId: p.partnerId, userIds: users });
    await this.audit(p, 'category.delete', id, meta, { fullName: c.fullName, moveEntriesToParent });
  }

  /** A live category the session may see (§4), or undefined. */
  private async findVisible(v: Viewer, partnerId: number, id: number): Promise<Category | undefined> {
    const c = id ? await this.d.categories.get(partnerId, id) : undefined;
    return c && (await visible(this.d.memberships, v, c)) ? c : undefined;
  }

  /** §3.5-3.6: under entitlement only the category's manager may change or delete it. */
  private async assertMayEdit(v: Viewer, c: Category): Promise<void> {
    if (!v.enforced) return;
    if (!isManager(await membershipIn(this.d.memberships, c, v.scope.userId))) throw fail(E.NOT_ENTITLED_TO_UPDATE_CATEGORY);
  }

  /** An INHERIT category reports its inherited root's owner, join policy, default level and member counts. */
  private async present(partnerId: number, cats: Category[]): Promise<Category[]> {
    const rootIds = [...new Set(cats.filter((c) => c.membersCategoryId !== c.id).map((c) => c.membersCategoryId))];
    const roots = new Map((await this.d.categories.getMany(partnerId, rootIds)).map((r) => [r.id, r]));
    return cats.map((c) => {
      const root = roots.get(c.membersCategoryId);
      if (!root || root.id === c.id) return c;
      const { owner, userJoinPolicy, defaultPermissionLevel, membersCount, pendingMembersCount } = root;
      return { ...c, owner, userJoinPolicy, defaultPermissionLevel, membersCount, pendingMembersCount };
    });
  }

  private audit(p: Principal, action: string, id: number, meta: RequestMeta, detail: Record<string, unknown>): Promise<void> {
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target: String(id), outcome: 'success', clientIp: meta.clientIp, detail });
  }
}

/**
 * The entitlement fields need CONTENT_MANAGE_CATEGORY_USERS. Like the server, a caller without it
 * has them ignored, not refused (the server drops such properties and only logs it).
 */
function withoutUnpermitted(p: Principal, input: CategoryInput): CategoryInput {
  if (holds(p, [CATEGORY_USERS_PERMISSION])) return input;
  const out: CategoryInput = { ...input };
  for (const k of ENTITLEMENT_FIELDS) delete out[k];
  return out;
}

/** On update only what changes counts (the server skips properties equal to the stored value). */
function changed(input: EntitlementFields, c: Category): EntitlementFields {
  const out: EntitlementFields = {};
  for (const k of ['appearInList', 'inheritanceType', 'privacy', 'userJoinPolicy', 'contributionPolicy', 'defaultPermissionLevel'] as const) if (input[k] != null && input[k] !== c[k]) out[k] = input[k];
  if (input.owner && input.owner !== c.owner) out.owner = input.owner;
  return out;
}
