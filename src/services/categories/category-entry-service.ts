/**
 * categoryEntry.add / delete / list (protocol kaltura-entitlements.md §6), and the removal of an
 * entry's links when the entry is deleted. Link changes of one entry run under that entry's lock,
 * so its categories' counters stay exact: `entriesCount` (distinct entries in the subtree) moves for
 * exactly the ancestors the entry enters or leaves.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import { isAdminSession, type Principal, type RequestMeta } from '../context.js';
import { mayEditEntry } from '../entries/ownership.js';
import { askerOf, entitled, type EntitlementReads } from '../pipeline/steps/entitlement.js';
import type { Entry, ListResult, Page } from '../model.js';
import { DuplicateKeyError, type CategoryChanges, type CategoryLinkFilter, type CategoryLinkRepo, type CategoryRepo, type EntryRepo, type MembershipRepo, type Repos, type UnitOfWork } from '../ports.js';
import { isManager, mayContribute, membershipIn, viewerOf, visible, type Viewer } from './access.js';
import { ContributionPolicy, LinkStatus, PermissionLevel, type Category, type CategoryLink } from './model.js';

/** The most categories one entry may be linked to (entry.php). */
export const MAX_CATEGORIES_PER_ENTRY = 32;

export interface CategoryEntryServiceDeps {
  uow: UnitOfWork;
  categories: CategoryRepo;
  links: CategoryLinkRepo;
  memberships: MembershipRepo;
  entries: Pick<EntryRepo, 'get'>;
  changes: CategoryChanges;
  /** The entitlement step's reads: an entry named by the filter must be one the session may reach. */
  entitlements: EntitlementReads;
  audit: Auditor;
  clock: Clock;
}

export class CategoryEntryService {
  constructor(private readonly d: CategoryEntryServiceDeps) {}

  async add(p: Principal, categoryId: number, entryId: string, meta: RequestMeta): Promise<CategoryLink> {
    const v = viewerOf(p);
    const entry = await this.entry(p, entryId);
    const c = await this.category(v, p.partnerId, categoryId);
    const m = await membershipIn(this.d.memberships, c, v.scope.userId);
    const own = ownsEntry(p, entry);
    // §6: under entitlement a category open only to contributors takes contributions from its
    // members above MEMBER or from the entry's owner/creator.
    if (v.enforced && c.contributionPolicy !== ContributionPolicy.ALL && !mayContribute(m) && !own) throw fail(E.CANNOT_ASSIGN_ENTRY_TO_CATEGORY);
    // Gatehouse's own (stricter than the server without entitlement): a USER session links only
    // entries it may edit, so it cannot move someone else's entry into or out of an audience.
    if (!v.enforced && !isAdminSession(p) && !mayEditEntry(p, entry)) throw fail(E.CANNOT_ASSIGN_ENTRY_TO_CATEGORY);
    const moderator = m !== undefined && isManagerOrModerator(m.permissionLevel) && m.status === 1;
    const status = c.moderation && v.enforced && !moderator ? LinkStatus.PENDING : LinkStatus.ACTIVE;
    const now = nowSeconds(this.d.clock);
    let link: CategoryLink;
    try {
      link = await this.d.uow.transaction(async (r) => {
        await r.categories.lockEntry(entry.id);
        const links = await r.categoryLinks.ofEntry(entry.id);
        if (links.some((l) => l.categoryId === c.id)) throw fail(E.CATEGORY_ENTRY_ALREADY_EXISTS);
        if (links.length >= MAX_CATEGORIES_PER_ENTRY) throw fail(E.MAX_CATEGORIES_FOR_ENTRY_REACHED, { CATEGORIES: MAX_CATEGORIES_PER_ENTRY });
        const created = await r.categoryLinks.insert({ partnerId: p.partnerId, categoryId: c.id, entryId: entry.id, categoryFullIds: c.fullIds, status, creatorUserId: p.userId, createdAt: now, updatedAt: now });
        await countLinks(r, links, [created], +1);
        return created;
      });
    } catch (e) {
      if (e instanceof DuplicateKeyError) throw fail(E.CATEGORY_ENTRY_ALREADY_EXISTS);
      throw e;
    }
    await this.d.changes.changed({ kind: 'entryLinks', partnerId: p.partnerId, entryId: entry.id });
    await this.audit(p, 'categoryEntry.add', `${c.id}:${entry.id}`, meta, { status });
    return link;
  }

  async delete(p: Principal, entryId: string, categoryId: number, meta: RequestMeta): Promise<void> {
    const v = viewerOf(p);
    const entry = await this.entry(p, entryId);
    const c = await this.category(v, p.partnerId, categoryId);
    if (!(await this.d.links.get(c.id, entry.id))) throw fail(E.ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY);
    const own = ownsEntry(p, entry);
    if (v.enforced && !own && !isManager(await membershipIn(this.d.memberships, c, v.scope.userId))) throw fail(E.CANNOT_REMOVE_ENTRY_FROM_CATEGORY);
    if (!v.enforced && !isAdminSession(p) && !mayEditEntry(p, entry)) throw fail(E.CANNOT_REMOVE_ENTRY_FROM_CATEGORY);
    const now = nowSeconds(this.d.clock);
    await this.d.uow.transaction(async (r) => {
      await r.categories.lockEntry(entry.id);
      const links = await r.categoryLinks.ofEntry(entry.id);
      const current = links.find((l) => l.categoryId === c.id);
      if (!current) throw fail(E.ENTRY_IS_NOT_ASSIGNED_TO_CATEGORY);
      await r.categoryLinks.setStatus(current.id, LinkStatus.DELETED, now);
      await countLinks(r, links.filter((l) => l.id !== current.id), [current], -1);
    });
    await this.d.changes.changed({ kind: 'entryLinks', partnerId: p.partnerId, entryId: entry.id });
    await this.audit(p, 'categoryEntry.delete', `${c.id}:${entry.id}`, meta, {});
  }

  async list(p: Principal, filter: CategoryLinkFilter, page: Page): Promise<ListResult<CategoryLink>> {
    const v = viewerOf(p);
    const narrowed = filter.entryIdEqual !== undefined || filter.entryIdIn !== undefined || filter.categoryIdEqual !== undefined || filter.categoryIdIn !== undefined || filter.categoryFullIdsStartsWith !== undefined;
    if (!narrowed && (v.enforced || !isAdminSession(p))) throw fail(E.MUST_FILTER_ON_ENTRY_OR_CATEGORY);
    if (v.enforced) {
      // Naming a category the session may not see is CATEGORY_NOT_FOUND, as on get.
      for (const id of [...(filter.categoryIdEqual !== undefined ? [filter.categoryIdEqual] : []), ...(filter.categoryIdIn ?? [])]) await this.category(v, p.partnerId, id);
      // Naming an entry the session is not entitled to is ENTRY_ID_NOT_FOUND, as baseEntry.get answers.
      if (filter.entryIdEqual !== undefined) {
        const entry = await this.d.entries.get(filter.entryIdEqual);
        if (!entry || entry.partnerId !== p.partnerId || !(await entitled(this.d.entitlements, askerOf(p), entry)).ok) throw fail(E.ENTRY_ID_NOT_FOUND, { ENTRY_ID: filter.entryIdEqual });
      }
    }
    return this.d.links.list(p.partnerId, filter, page, v.enforced ? v.scope : undefined);
  }

  /** The entry was deleted: its links go, and its categories' counters follow. */
  async entryDeleted(partnerId: number, entryId: string): Promise<void> {
    const now = nowSeconds(this.d.clock);
    const removed = await this.d.uow.transaction(async (r) => {
      const links = await r.categoryLinks.removeEntry(entryId, now);
      await countLinks(r, [], links, -1);
      return links;
    });
    if (removed.length) await this.d.changes.changed({ kind: 'entryLinks', partnerId, entryId });
  }

  private async entry(p: Principal, id: string): Promise<Entry> {
    const e = id ? await this.d.entries.get(id) : undefined;
    if (!e || e.partnerId !== p.partnerId) throw fail(E.INVALID_ENTRY_ID, { ID: id });
    return e;
  }

  private async category(v: Viewer, partnerId: number, id: number): Promise<Category> {
    const c = id ? await this.d.categories.get(partnerId, id) : undefined;
    if (!c || !(await visible(this.d.memberships, v, c))) throw fail(E.CATEGORY_NOT_FOUND, { ID: id });
    return c;
  }

  private audit(p: Principal, action: string, target: string, meta: RequestMeta, detail: Record<string, unknown>): Promise<void> {
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target, outcome: 'success', clientIp: meta.clientIp, detail });
  }
}

function isManagerOrModerator(level: number): boolean {
  return level === PermissionLevel.MANAGER || level === PermissionLevel.MODERATOR;
}

function ownsEntry(p: Principal, e: Entry): boolean {
  return p.userId !== '' && (e.userId === p.userId || e.creatorId === p.userId);
}

/**
 * Counter changes for links `changed` (added with +1, removed with -1) of an entry whose other live
 * links are `others`: direct (or pending) counts of each category, and `entriesCount` of every
 * ancestor-or-self the entry enters or leaves, i.e. not covered by another ACTIVE link.
 */
async function countLinks(r: Repos, others: readonly CategoryLink[], changed: readonly CategoryLink[], delta: 1 | -1): Promise<void> {
  const covered = new Set(others.filter((l) => l.status === LinkStatus.ACTIVE).flatMap((l) => l.categoryFullIds.split('>').map(Number)));
  const active = changed.filter((l) => l.status === LinkStatus.ACTIVE);
  const pending = changed.filter((l) => l.status === LinkStatus.PENDING);
  await r.categories.bump(active.map((l) => l.categoryId), 'directEntries', delta);
  await r.categories.bump(pending.map((l) => l.categoryId), 'pendingEntries', delta);
  const ancestors = new Set(active.flatMap((l) => l.categoryFullIds.split('>').map(Number)).filter((id) => !covered.has(id)));
  await r.categories.bump([...ancestors], 'entries', delta);
}
