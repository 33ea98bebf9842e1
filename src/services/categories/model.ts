/**
 * Categories, their entry links and their members: the domain records and enums (the real server's
 * values, protocol kaltura-entitlements.md §1). Protocol-neutral: no wire class names.
 */

export const CategoryStatus = { UPDATING: 1, ACTIVE: 2, DELETED: 3, PURGED: 4 } as const;
export const Privacy = { ALL: 1, AUTHENTICATED_USERS: 2, MEMBERS_ONLY: 3 } as const;
export const AppearInList = { PARTNER_ONLY: 1, CATEGORY_MEMBERS_ONLY: 3 } as const;
export const InheritanceType = { INHERIT: 1, MANUAL: 2 } as const;
export const UserJoinPolicy = { AUTO_JOIN: 1, REQUEST_TO_JOIN: 2, NOT_ALLOWED: 3 } as const;
export const ContributionPolicy = { ALL: 1, MEMBERS_WITH_CONTRIBUTION_PERMISSION: 2 } as const;
export const PermissionLevel = { MANAGER: 0, MODERATOR: 1, CONTRIBUTOR: 2, MEMBER: 3, NONE: 4 } as const;
export const MembershipStatus = { ACTIVE: 1, PENDING: 2, NOT_ACTIVE: 3, DELETED: 4 } as const;
export const UpdateMethod = { MANUAL: 0, AUTOMATIC: 1 } as const;
export const LinkStatus = { PENDING: 1, ACTIVE: 2, DELETED: 3, REJECTED: 4 } as const;

/** The entitlement fields' defaults (a category without any privacy context always has these). */
export const ENTITLEMENT_DEFAULTS = {
  privacy: Privacy.ALL,
  appearInList: AppearInList.PARTNER_ONLY,
  inheritanceType: InheritanceType.MANUAL,
  userJoinPolicy: UserJoinPolicy.NOT_ALLOWED,
  defaultPermissionLevel: PermissionLevel.MEMBER,
  contributionPolicy: ContributionPolicy.ALL,
} as const;

/** The category permission names that go with a level (categoryKuser's mapping). */
export function permissionNamesOf(level: number): string[] {
  switch (level) {
    case PermissionLevel.MANAGER:
      return ['CATEGORY_EDIT', 'CATEGORY_MODERATE', 'CATEGORY_CONTRIBUTE', 'CATEGORY_VIEW'];
    case PermissionLevel.MODERATOR:
      return ['CATEGORY_MODERATE', 'CATEGORY_VIEW'];
    case PermissionLevel.CONTRIBUTOR:
      return ['CATEGORY_CONTRIBUTE', 'CATEGORY_VIEW'];
    case PermissionLevel.MEMBER:
      return ['CATEGORY_VIEW'];
    default:
      return [];
  }
}

export interface Category {
  id: number;
  partnerId: number;
  /** 0 for a root. */
  parentId: number;
  name: string;
  /** Names from the root, joined with '>'. */
  fullName: string;
  /** Ids from the root, joined with '>'. */
  fullIds: string;
  depth: number;
  description: string;
  tags: string;
  adminTags: string;
  referenceId: string;
  partnerData: string;
  partnerSortValue: number;
  defaultOrderBy: string;
  moderation: boolean;
  privacy: number;
  /** Its own contexts, comma-separated ('' = none). */
  privacyContext: string;
  /** Its own and its ancestors' contexts, comma-separated. */
  privacyContexts: string;
  appearInList: number;
  inheritanceType: number;
  /** The category whose members apply: itself (MANUAL) or the nearest MANUAL ancestor (INHERIT). */
  membersCategoryId: number;
  owner: string;
  userJoinPolicy: number;
  defaultPermissionLevel: number;
  contributionPolicy: number;
  entriesCount: number;
  directEntriesCount: number;
  pendingEntriesCount: number;
  directSubCategoriesCount: number;
  membersCount: number;
  pendingMembersCount: number;
  status: number;
  createdAt: number;
  updatedAt: number;
}

/** What a new category is stored with; the store fills in what needs its id. */
export type NewCategory = Omit<Category, 'id' | 'fullIds' | 'membersCategoryId' | 'entriesCount' | 'directEntriesCount' | 'pendingEntriesCount' | 'directSubCategoriesCount' | 'membersCount' | 'pendingMembersCount'> & {
  /** The parent's full ids ('' for a root); the new one's are these plus its own id. */
  parentFullIds: string;
  /** The inherited members' category, or 'self' for MANUAL inheritance. */
  membersCategoryId: number | 'self';
};

/** An entry's link to a category. */
export interface CategoryLink {
  id: number;
  partnerId: number;
  categoryId: number;
  entryId: string;
  categoryFullIds: string;
  status: number;
  creatorUserId: string;
  createdAt: number;
  updatedAt: number;
}

/** A user's membership of a (MANUAL) category. */
export interface Membership {
  id: number;
  partnerId: number;
  categoryId: number;
  userId: string;
  permissionLevel: number;
  permissionNames: string[];
  updateMethod: number;
  status: number;
  createdAt: number;
  updatedAt: number;
}
