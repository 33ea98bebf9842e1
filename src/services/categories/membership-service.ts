/**
 * categoryUser.add / get / update / delete / list / activate / deactivate (protocol §5). Members
 * belong to MANUAL categories; an INHERIT category answers with the members of the category it
 * inherits from. Who may change a membership (no escalation):
 *  - a role holding a category-assignment permission, where entitlement does not apply;
 *  - the category's MANAGER (an active member with CATEGORY_EDIT), always;
 *  - anyone else only for itself: joining as the category's default level under its join policy,
 *    leaving, or deactivating itself.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import type { ListResult, Page } from '../model.js';
import { DuplicateKeyError, type CategoryChanges, type CategoryRepo, type MembershipFilter, type MembershipRepo, type UnitOfWork, type UserRepo } from '../ports.js';
import { administersMembers, isManager, membershipIn, viewerOf, visible, type Viewer } from './access.js';
import { InheritanceType, MembershipStatus, permissionNamesOf, UpdateMethod, UserJoinPolicy, type Category, type Membership } from './model.js';
import { ensureUser } from './owner.js';

/** The most members of one category (configurations/base.ini). */
export const MAX_MEMBERS_PER_CATEGORY = 5000;

export interface MembershipInput {
  permissionLevel?: number | null;
  updateMethod?: number | null;
}

export interface MembershipServiceDeps {
  uow: UnitOfWork;
  categories: CategoryRepo;
  memberships: MembershipRepo;
  users: UserRepo;
  changes: CategoryChanges;
  audit: Auditor;
  clock: Clock;
}

/** A membership with its category's full ids, as answered. */
export type MemberView = Membership & { categoryFullIds: string };

type Counter = 'members' | 'pendingMembers' | undefined;
const counterOf = (status: number): Counter => (status === MembershipStatus.ACTIVE ? 'members' : status === MembershipStatus.PENDING ? 'pendingMembers' : undefined);

export class MembershipService {
  constructor(private readonly d: MembershipServiceDeps) {}

  async add(p: Principal, categoryId: number, userId: string, input: MembershipInput, meta: RequestMeta): Promise<MemberView> {
    const v = viewerOf(p);
    const c = await this.category(v, p.partnerId, categoryId);
    if (c.inheritanceType === InheritanceType.INHERIT) throw fail(E.CATEGORY_INHERIT_MEMBERS, { CAT: c.membersCategoryId });
    if (!userId || userId === '0') throw fail(E.INVALID_USER_ID);
    const manages = administersMembers(p, v) || isManager(await membershipIn(this.d.memberships, c, v.scope.userId));
    // Not a manager: only oneself, at the category's default level, under its join policy.
    if (!manages && userId !== v.scope.userId) throw fail(E.CANNOT_UPDATE_CATEGORY_USER);
    let status: number = MembershipStatus.ACTIVE;
    if (!manages) {
      if (c.userJoinPolicy === UserJoinPolicy.REQUEST_TO_JOIN) status = MembershipStatus.PENDING;
      else if (c.userJoinPolicy !== UserJoinPolicy.AUTO_JOIN) throw fail(E.CATEGORY_USER_JOIN_NOT_ALLOWED, { CAT: c.id });
    }
    if (await this.d.memberships.get(c.id, userId)) throw fail(E.CATEGORY_USER_ALREADY_EXISTS);
    if (c.membersCount + c.pendingMembersCount >= MAX_MEMBERS_PER_CATEGORY) throw fail(E.CATEGORY_MAX_USER_REACHED, { MAX: MAX_MEMBERS_PER_CATEGORY });
    const now = nowSeconds(this.d.clock);
    await ensureUser(this.d.users, p.partnerId, userId, now, () => fail(E.INVALID_USER_ID));
    const level = manages && input.permissionLevel != null ? input.permissionLevel : c.defaultPermissionLevel;
    let m: Membership;
    try {
      m = await this.d.uow.transaction(async (r) => {
        const created = await r.memberships.insert({ partnerId: p.partnerId, categoryId: c.id, userId, permissionLevel: level, permissionNames: permissionNamesOf(level), updateMethod: input.updateMethod ?? UpdateMethod.MANUAL, status, createdAt: now, updatedAt: now });
        await r.categories.bump([c.id], counterOf(status)!, 1);
        return created;
      });
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw fail(E.CATEGORY_USER_ALREADY_EXISTS);
      throw e;
    }
    await this.changed(p, [userId], 'categoryUser.add', c.id, userId, meta, { level, status });
    return (await this.withPaths(p.partnerId, [m]))[0]!;
  }

  /** An INHERIT category answers with the membership of the category it inherits from. */
  async get(p: Principal, categoryId: number, userId: string): Promise<MemberView> {
    if (!userId || !(await this.d.users.byId(p.partnerId, userId))) throw fail(E.INVALID_USER_ID);
    const c = await this.category(viewerOf(p), p.partnerId, categoryId);
    const m = await this.d.memberships.get(c.membersCategoryId, userId);
    if (!m) throw fail(E.INVALID_CATEGORY_USER_ID, { CAT: categoryId, USER: userId });
    return (await this.withPaths(p.partnerId, [m]))[0]!;
  }

  async update(p: Principal, categoryId: number, userId: string, input: MembershipInput, override: boolean, meta: RequestMeta): Promise<MemberView> {
    const { c, m } = await this.target(p, categoryId, userId);
    const v = viewerOf(p);
    if (!administersMembers(p, v) && !isManager(await membershipIn(this.d.memberships, c, v.scope.userId))) throw fail(E.CANNOT_UPDATE_CATEGORY_USER);
    // The server refuses to overwrite a MANUAL membership unless told to (PHP's `== null` also
    // matches MANUAL=0, so any updateMethod sent counts as none).
    if (m.updateMethod === UpdateMethod.MANUAL && !override) throw fail(E.CANNOT_OVERRIDE_MANUAL_CHANGES);
    const level = input.permissionLevel ?? m.permissionLevel;
    const names = permissionNamesOf(level);
    if (c.owner === userId && !names.includes('CATEGORY_EDIT')) throw fail(E.CANNOT_UPDATE_CATEGORY_USER_OWNER);
    const updated = await this.d.memberships.update(m.id, { permissionLevel: level, permissionNames: names, updateMethod: input.updateMethod ?? m.updateMethod, updatedAt: nowSeconds(this.d.clock) });
    await this.changed(p, [userId], 'categoryUser.update', c.id, userId, meta, { level });
    return (await this.withPaths(p.partnerId, [updated]))[0]!;
  }

  async delete(p: Principal, categoryId: number, userId: string, meta: RequestMeta): Promise<void> {
    const { c, m } = await this.target(p, categoryId, userId);
    if (c.owner === userId) throw fail(E.CANNOT_UPDATE_CATEGORY_USER_OWNER);
    await this.assertManagerOrSelf(p, c, userId);
    await this.setStatus(c, m, MembershipStatus.DELETED);
    await this.changed(p, [userId], 'categoryUser.delete', c.id, userId, meta, {});
  }

  async activate(p: Principal, categoryId: number, userId: string, meta: RequestMeta): Promise<MemberView> {
    const { c, m } = await this.target(p, categoryId, userId);
    const v = viewerOf(p);
    if (!administersMembers(p, v) && !isManager(await membershipIn(this.d.memberships, c, v.scope.userId))) throw fail(E.CANNOT_UPDATE_CATEGORY_USER);
    const updated = await this.setStatus(c, m, MembershipStatus.ACTIVE);
    await this.changed(p, [userId], 'categoryUser.activate', c.id, userId, meta, {});
    return (await this.withPaths(p.partnerId, [updated]))[0]!;
  }

  async deactivate(p: Principal, categoryId: number, userId: string, meta: RequestMeta): Promise<MemberView> {
    const { c, m } = await this.target(p, categoryId, userId);
    if (c.owner === userId) throw fail(E.CANNOT_UPDATE_CATEGORY_USER_OWNER);
    await this.assertManagerOrSelf(p, c, userId);
    const updated = await this.setStatus(c, m, MembershipStatus.NOT_ACTIVE);
    await this.changed(p, [userId], 'categoryUser.deactivate', c.id, userId, meta, {});
    return (await this.withPaths(p.partnerId, [updated]))[0]!;
  }

  /** Needs a category or user filter; INHERIT categories are replaced by the category they inherit from. */
  async list(p: Principal, filter: MembershipFilter, page: Page): Promise<ListResult<MemberView>> {
    const f = { ...filter };
    const narrowed = f.categoryIdEqual !== undefined || f.categoryIdIn !== undefined || f.categoryFullIdsStartsWith !== undefined || f.categoryFullIdsEqual !== undefined || f.userIdEqual !== undefined || f.userIdIn !== undefined;
    if (!narrowed) throw fail(E.MUST_FILTER_USERS_OR_CATEGORY);
    const v = viewerOf(p);
    const ids = [...(f.categoryIdEqual !== undefined ? [f.categoryIdEqual] : []), ...(f.categoryIdIn ?? [])];
    if (ids.length) {
      const cats = new Map((await this.d.categories.getMany(p.partnerId, ids)).map((c) => [c.id, c]));
      if (v.enforced) for (const id of ids) if (!cats.has(id) || !(await visible(this.d.memberships, v, cats.get(id)!))) throw fail(E.CATEGORY_NOT_FOUND, { ID: id });
      const resolve = (id: number) => cats.get(id)?.membersCategoryId ?? id;
      if (f.categoryIdEqual !== undefined) f.categoryIdEqual = resolve(f.categoryIdEqual);
      if (f.categoryIdIn) f.categoryIdIn = [...new Set(f.categoryIdIn.map(resolve))];
    }
    const r = await this.d.memberships.list(p.partnerId, f, page);
    return { objects: await this.withPaths(p.partnerId, r.objects), totalCount: r.totalCount };
  }

  /** Adds each membership's category path (one read for the whole page). */
  private async withPaths(partnerId: number, ms: readonly Membership[]): Promise<MemberView[]> {
    const cats = new Map((await this.d.categories.getMany(partnerId, [...new Set(ms.map((m) => m.categoryId))])).map((c) => [c.id, c.fullIds]));
    return ms.map((m) => ({ ...m, categoryFullIds: cats.get(m.categoryId) ?? '' }));
  }

  /** The category (visible, MANUAL) and the user's live membership of it. */
  private async target(p: Principal, categoryId: number, userId: string): Promise<{ c: Category; m: Membership }> {
    const c = await this.category(viewerOf(p), p.partnerId, categoryId);
    if (c.inheritanceType === InheritanceType.INHERIT) throw fail(E.CATEGORY_INHERIT_MEMBERS, { CAT: c.membersCategoryId });
    const m = userId ? await this.d.memberships.get(c.id, userId) : undefined;
    if (!m) throw fail(E.INVALID_CATEGORY_USER_ID, { CAT: categoryId, USER: userId });
    return { c, m };
  }

  private async assertManagerOrSelf(p: Principal, c: Category, userId: string): Promise<void> {
    const v = viewerOf(p);
    if (administersMembers(p, v) || (v.scope.userId !== '' && v.scope.userId === userId)) return;
    if (!isManager(await membershipIn(this.d.memberships, c, v.scope.userId))) throw fail(E.CANNOT_UPDATE_CATEGORY_USER);
  }

  /** A status change with its counters moved in the same transaction. */
  private setStatus(c: Category, m: Membership, status: number): Promise<Membership> {
    return this.d.uow.transaction(async (r) => {
      const updated = await r.memberships.update(m.id, { status, updatedAt: nowSeconds(this.d.clock) });
      const from = counterOf(m.status);
      const to = counterOf(status);
      if (from !== to) {
        if (from) await r.categories.bump([c.id], from, -1);
        if (to) await r.categories.bump([c.id], to, 1);
      }
      return updated;
    });
  }

  private async category(v: Viewer, partnerId: number, id: number): Promise<Category> {
    const c = id ? await this.d.categories.get(partnerId, id) : undefined;
    if (!c || !(await visible(this.d.memberships, v, c))) throw fail(E.CATEGORY_NOT_FOUND, { ID: id });
    return c;
  }

  private async changed(p: Principal, userIds: string[], action: string, categoryId: number, userId: string, meta: RequestMeta, detail: Record<string, unknown>): Promise<void> {
    await this.d.changes.changed({ kind: 'memberships', partnerId: p.partnerId, userIds });
    await this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target: `${categoryId}:${userId}`, outcome: 'success', clientIp: meta.clientIp, detail });
  }
}
