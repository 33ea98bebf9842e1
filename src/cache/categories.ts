/**
 * What entitlement reads of categories, cached per node, and the one invalidation point of it all
 * (CategoryChanges): an entry's category links (with each category's privacy, contexts and whose
 * members apply) and a user's active memberships. The delivery hot path and `baseEntry.get` read
 * these instead of three queries per request.
 *
 * Invalidation: the category services call `changed` after every write that alters entitlement;
 * it drops this node's copies at once and publishes on the change feed, which CacheSync hands to
 * every node's `drop` within one sync interval (at once on PostgreSQL with LISTEN/NOTIFY). A
 * change to categories themselves (privacy, contexts, a move, a deletion) names no entry, so it
 * clears the links of every entry (rare: an administrator's edit); a membership change drops
 * that user's memberships only. TTLs are the safety net.
 */
import type { Maybe } from '../core/maybe.js';
import { CategoryStatus, LinkStatus, MembershipStatus, PermissionLevel } from '../services/categories/model.js';
import type { EntitlementReads, LinkedCategory, Memberships } from '../services/pipeline/steps/entitlement.js';
import type { ChangeFeed } from '../services/ports.js';
import type { CategoryChange, CategoryChanges, CategoryLinkRepo, CategoryRepo, EntitlementScope, MembershipRepo } from '../services/ports-categories.js';
import { LoadingCache, type Epoch } from './lru.js';

/** The change-feed topics of this cache: `categoryLinks:<entryId>`, `categoryMembers:<partnerId>:<userId>`, `categories:<partnerId>`. */
export const CATEGORY_TOPICS = { links: 'categoryLinks', members: 'categoryMembers', tree: 'categories' } as const;

export interface CategoryCacheDeps {
  categories: Pick<CategoryRepo, 'getMany' | 'entitledCategoryIds'>;
  links: Pick<CategoryLinkRepo, 'ofEntry'>;
  memberships: Pick<MembershipRepo, 'list'>;
  changes: ChangeFeed;
  nowSec: () => number;
}

const NO_LINKS: readonly LinkedCategory[] = Object.freeze([]);
const PAGE = 500;

export class CachedCategories implements CategoryChanges, EntitlementReads {
  private readonly links: LoadingCache<string, readonly LinkedCategory[]>;
  private readonly members: LoadingCache<string, Memberships>;
  /** Entitled category ids by `partnerId:userId:context`: derived from both of the above, so any change clears them. */
  private readonly entitled: LoadingCache<string, readonly number[]>;

  constructor(private readonly d: CategoryCacheDeps, opts: { ttlMs?: number; maxEntries?: number; now?: () => number; epoch?: Epoch } = {}) {
    const ttl = opts.ttlMs ?? 60_000;
    const max = opts.maxEntries ?? 50_000;
    this.links = new LoadingCache(max, ttl, (entryId) => this.loadLinks(entryId), opts.now, opts.epoch);
    this.members = new LoadingCache(max, ttl, (key) => this.loadMembers(key), opts.now, opts.epoch);
    this.entitled = new LoadingCache(Math.min(max, 10_000), ttl, (key) => this.loadEntitled(key), opts.now, opts.epoch);
  }

  /** An entry's live links with their categories: now when cached, else after two reads. */
  linksOf(entryId: string): Maybe<readonly LinkedCategory[]> {
    const hit = this.links.peek(entryId);
    if (hit !== undefined) return hit ?? NO_LINKS;
    return this.links.get(entryId).then((v) => v ?? NO_LINKS);
  }

  /** A user's active memberships in the partner: now when cached, else after one read. */
  membershipsOf(partnerId: number, userId: string): Maybe<Memberships> {
    const key = `${partnerId}:${userId}`;
    const hit = this.members.peek(key);
    if (hit) return hit;
    return this.members.get(key).then((v) => v ?? new Map());
  }

  async entitledCategoryIds(partnerId: number, scope: EntitlementScope): Promise<readonly number[]> {
    return (await this.entitled.get(`${partnerId}:${scope.knownUser ? 1 : 0}:${encodeURIComponent(scope.privacyContext ?? '')}:${scope.privacyContext === null ? 0 : 1}:${scope.userId}`)) ?? [];
  }

  async changed(change: CategoryChange): Promise<void> {
    for (const [topic, key] of topicsOf(change)) {
      this.apply(topic, key);
      await this.d.changes.publish(topic, key, this.d.nowSec());
    }
  }

  /** Applies a change seen on the feed (ours or another node's). */
  drop(topic: string, key: string): void {
    this.apply(topic, key);
  }

  private apply(topic: string, key: string): void {
    // The feed hands every node every change; only ours touch these caches.
    if (topic === CATEGORY_TOPICS.links) this.links.invalidate(key);
    else if (topic === CATEGORY_TOPICS.members) {
      this.members.invalidate(key);
      this.entitled.clear();
    } else if (topic === CATEGORY_TOPICS.tree || topic === '*') {
      this.entitled.clear();
      this.links.clear();
      // A deleted category takes its memberships with it; they are few next to the links.
      if (topic === '*') this.members.clear();
    }
  }

  private async loadLinks(entryId: string): Promise<readonly LinkedCategory[]> {
    const links = await this.d.links.ofEntry(entryId);
    const live = links.filter((l) => l.status === LinkStatus.ACTIVE || l.status === LinkStatus.PENDING);
    if (live.length === 0) return NO_LINKS;
    const partnerId = (live[0] as (typeof live)[number]).partnerId;
    const categories = new Map((await this.d.categories.getMany(partnerId, live.map((l) => l.categoryId))).map((c) => [c.id, c]));
    const out: LinkedCategory[] = [];
    for (const l of live) {
      const c = categories.get(l.categoryId);
      if (!c || c.status === CategoryStatus.DELETED || c.status === CategoryStatus.PURGED) continue;
      out.push({ categoryId: c.id, status: l.status === LinkStatus.ACTIVE ? 'active' : 'pending', name: c.fullName, fullIds: c.fullIds, privacy: c.privacy, privacyContexts: c.privacyContexts, appearInList: c.appearInList, membersCategoryId: c.membersCategoryId });
    }
    return Object.freeze(out);
  }

  private loadEntitled(key: string): Promise<readonly number[]> {
    // partnerId:knownUser:context:hasContext:userId (the user id last: it may hold ':').
    const [partnerId, known, context, hasContext] = key.split(':', 4) as [string, string, string, string];
    const userId = key.split(':').slice(4).join(':');
    return this.d.categories.entitledCategoryIds(Number(partnerId), { userId, knownUser: known === '1', privacyContext: hasContext === '1' ? decodeURIComponent(context) : null });
  }

  private async loadMembers(key: string): Promise<Memberships> {
    const at = key.indexOf(':');
    const partnerId = Number(key.slice(0, at));
    const userId = key.slice(at + 1);
    const out = new Map<number, number>();
    for (let pageIndex = 1; ; pageIndex++) {
      const page = await this.d.memberships.list(partnerId, { userIdEqual: userId, statusEqual: MembershipStatus.ACTIVE }, { pageSize: PAGE, pageIndex });
      for (const m of page.objects) out.set(m.categoryId, m.permissionLevel ?? PermissionLevel.MEMBER);
      if (page.objects.length < PAGE) break;
    }
    return out;
  }
}

function topicsOf(change: CategoryChange): Array<[string, string]> {
  switch (change.kind) {
    case 'entryLinks':
      return [[CATEGORY_TOPICS.links, change.entryId]];
    case 'memberships':
      return change.userIds.map((u) => [CATEGORY_TOPICS.members, `${change.partnerId}:${u}`]);
    case 'categories':
      return [[CATEGORY_TOPICS.tree, String(change.partnerId)]];
  }
}
