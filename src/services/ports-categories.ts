/**
 * What the category services need from storage: the tree (with its derived paths, contexts and
 * counters), entry links and memberships, plus the entitlement queries; re-exported by ports.ts.
 * Every method that changes memberships or privacy is called by the category services only, which
 * announce the change through CategoryChanges (the one invalidation point).
 */
import type { Category, CategoryLink, Membership, NewCategory } from './categories/model.js';
import type { ListResult, Page, TimeRangeFilter } from './model.js';

export interface CategoryFilter extends TimeRangeFilter {
  idEqual?: number;
  idIn?: number[];
  idNotIn?: number[];
  parentIdEqual?: number;
  parentIdIn?: number[];
  depthEqual?: number;
  fullNameEqual?: string;
  fullNameIn?: string[];
  /** Whole path segments, case-insensitive ("A" matches A and A>…; "A>" descendants only). */
  fullNameStartsWith?: string;
  fullNameStartsWithIn?: string[];
  fullIdsEqual?: string;
  fullIdsStartsWith?: string;
  /** Descendants only. */
  ancestorIdIn?: number[];
  privacyEqual?: number;
  privacyIn?: number[];
  appearInListEqual?: number;
  inheritanceTypeEqual?: number;
  inheritanceTypeIn?: number[];
  /** The category's own contexts; '*' = has any. */
  privacyContextEqual?: string;
  statusEqual?: number;
  statusIn?: number[];
  inheritedParentIdEqual?: number;
  inheritedParentIdIn?: number[];
  referenceIdEqual?: string;
  contributionPolicyEqual?: number;
  membersCountGreaterThanOrEqual?: number;
  membersCountLessThanOrEqual?: number;
  tagsLike?: string;
  tagsMultiLikeOr?: string[];
  tagsMultiLikeAnd?: string[];
  freeText?: string;
  /** Categories where one of these users is an active member (any level). */
  membersIn?: string[];
  /** Categories where this user is an active MANAGER. */
  managerEqual?: string;
  /** Categories where this user is an active member below MANAGER. */
  memberEqual?: string;
}

/** Who is looking, for the category reads that entitlement limits (protocol §4, §10). */
export interface EntitlementScope {
  /** The session's user id ('' = anonymous). */
  userId: string;
  /** The user is known (not anonymous): AUTHENTICATED_USERS categories open to it. */
  knownUser: boolean;
  /** The session's privacy context; null = the default context (categories without one); '*' = any. */
  privacyContext: string | null;
}

/** A row of a subtree, with what a move recomputes. */
export interface CategoryNode {
  id: number;
  parentId: number;
  fullIds: string;
  privacyContext: string;
  inheritanceType: number;
  membersCategoryId: number;
}

/** Values recomputed for a group of categories (after a move or a context change). */
export interface DerivedValues {
  ids: number[];
  privacyContexts: string;
  /** Whose members apply: a category id, or 'self' (MANUAL inheritance). */
  membersCategoryId?: number | 'self';
  /** The group has no context any more: the entitlement fields go back to their defaults. */
  resetEntitlement?: boolean;
}

export type CounterName = 'entries' | 'directEntries' | 'pendingEntries' | 'subCategories' | 'members' | 'pendingMembers';

export interface CategoryRepo {
  /** A live (not deleted) category of the partner. */
  get(partnerId: number, id: number): Promise<Category | undefined>;
  getMany(partnerId: number, ids: readonly number[]): Promise<Category[]>;
  /** Live categories by full name, case-insensitive. */
  byFullName(partnerId: number, fullName: string): Promise<Category | undefined>;
  /** `visibleTo`: only categories that scope may see (entitlement enforced). */
  list(partnerId: number, filter: CategoryFilter, page: Page, visibleTo?: EntitlementScope): Promise<ListResult<Category>>;
  /** Throws DuplicateKeyError when a live sibling has the same name (case-insensitive). */
  insert(c: NewCategory): Promise<Category>;
  /** Throws DuplicateKeyError on a sibling name collision. */
  update(partnerId: number, id: number, patch: Partial<Omit<Category, 'id' | 'partnerId' | 'createdAt'>>): Promise<Category>;
  /** The live subtree of `fullIds` (itself included), shallowest first. */
  subtree(partnerId: number, fullIds: string): Promise<CategoryNode[]>;
  /** Rewrites the paths of a subtree (categories and their links) in two statements. */
  rewritePaths(partnerId: number, from: { fullIds: string; fullNameKey: string; fullName: string }, to: { fullIds: string; fullName: string }, depthDelta: number, now: number): Promise<void>;
  setDerived(partnerId: number, groups: readonly DerivedValues[], now: number): Promise<void>;
  /** Marks a whole subtree DELETED; returns the ids. */
  deleteSubtree(partnerId: number, fullIds: string, now: number): Promise<number[]>;
  /** Guarded increments (a negative delta decrements) of one counter of several categories. */
  bump(ids: readonly number[], counter: CounterName, delta: number): Promise<void>;
  /** Recomputes every counter of these categories from the links, memberships and children. */
  recount(partnerId: number, ids: readonly number[]): Promise<void>;
  /** Takes the entry's row lock (PostgreSQL) so link changes of one entry keep its counts exact. */
  lockEntry(entryId: string): Promise<void>;
  /**
   * The ids of the live categories through which `scope` is entitled (ALL, AUTHENTICATED_USERS for
   * a known user, or an active membership, inherited included) in its context, in one query.
   */
  entitledCategoryIds(partnerId: number, scope: EntitlementScope): Promise<number[]>;
}

export interface CategoryLinkFilter {
  categoryIdEqual?: number;
  categoryIdIn?: number[];
  entryIdEqual?: string;
  entryIdIn?: string[];
  /** Plain prefix of the category's full ids. */
  categoryFullIdsStartsWith?: string;
  statusEqual?: number;
  statusIn?: number[];
  creatorUserIdEqual?: string;
  creatorUserIdIn?: string[];
  createdAtGreaterThanOrEqual?: number;
  createdAtLessThanOrEqual?: number;
  orderBy?: string;
}

export interface CategoryLinkRepo {
  /** The live (PENDING or ACTIVE) link of an entry to a category. */
  get(categoryId: number, entryId: string): Promise<CategoryLink | undefined>;
  /** An entry's live links. */
  ofEntry(entryId: string): Promise<CategoryLink[]>;
  /** Throws DuplicateKeyError when a live link exists. */
  insert(l: Omit<CategoryLink, 'id'>): Promise<CategoryLink>;
  setStatus(id: number, status: number, now: number): Promise<void>;
  /** Marks every live link of these categories DELETED; returns the links removed. */
  removeFromCategories(partnerId: number, categoryIds: readonly number[], now: number): Promise<CategoryLink[]>;
  /** Marks every live link of an entry DELETED; returns them. */
  removeEntry(entryId: string, now: number): Promise<CategoryLink[]>;
  /** Links every entry linked (live) to `from` categories to `to`, unless already linked there. */
  relinkTo(partnerId: number, fromCategoryIds: readonly number[], to: { id: number; fullIds: string }, now: number): Promise<void>;
  /** `visibleTo`: only links to categories that scope may see (entitlement enforced, §6). */
  list(partnerId: number, filter: CategoryLinkFilter, page: Page, visibleTo?: EntitlementScope): Promise<ListResult<CategoryLink>>;
}

export interface MembershipFilter extends TimeRangeFilter {
  categoryIdEqual?: number;
  categoryIdIn?: number[];
  userIdEqual?: string;
  userIdIn?: string[];
  categoryFullIdsStartsWith?: string;
  categoryFullIdsEqual?: string;
  permissionLevelEqual?: number;
  permissionLevelIn?: number[];
  statusEqual?: number;
  statusIn?: number[];
  updateMethodEqual?: number;
  updateMethodIn?: number[];
  permissionNamesMatchAnd?: string[];
  permissionNamesMatchOr?: string[];
  permissionNamesNotContains?: string[];
  freeText?: string;
}

export interface MembershipRepo {
  /** The live (not DELETED) membership of a user in a category. */
  get(categoryId: number, userId: string): Promise<Membership | undefined>;
  /** Throws DuplicateKeyError when a live membership exists. */
  insert(m: Omit<Membership, 'id'>): Promise<Membership>;
  update(id: number, patch: Partial<Pick<Membership, 'permissionLevel' | 'permissionNames' | 'updateMethod' | 'status' | 'updatedAt'>>): Promise<Membership>;
  list(partnerId: number, filter: MembershipFilter, page: Page): Promise<ListResult<Membership>>;
  /** Marks every live membership of these categories (of one level only, when given) DELETED; returns the users affected. */
  removeFromCategories(partnerId: number, categoryIds: readonly number[], now: number, onlyLevel?: number): Promise<string[]>;
}

/** A change of categories or memberships, for the caches that read them (CategoryChanges). */
export type CategoryChange =
  /** These users' memberships in the partner changed. */
  | { kind: 'memberships'; partnerId: number; userIds: readonly string[] }
  /** Categories of the partner changed in a way that alters entitlement (privacy, contexts, tree, deletion). */
  | { kind: 'categories'; partnerId: number }
  /** An entry's category links changed. */
  | { kind: 'entryLinks'; partnerId: number; entryId: string };

/**
 * The one invalidation point of everything cached from categories and memberships: the category
 * services call `changed` after every write that alters entitlement, and it tells every node
 * (cache/categories.ts publishes on the change feed).
 */
export interface CategoryChanges {
  changed(change: CategoryChange): Promise<void>;
}
