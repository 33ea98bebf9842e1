/** KalturaCategory, KalturaCategoryEntry and KalturaCategoryUser with their filters and enums (protocol kaltura-entitlements.md §1-§6). */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';
import { NullableBooleanEnum } from './enums.js';

export const PrivacyTypeEnum = T.intEnum('KalturaPrivacyType', [1, 2, 3]);
export const AppearInListEnum = T.intEnum('KalturaAppearInListType', [1, 3]);
export const InheritanceTypeEnum = T.intEnum('KalturaInheritanceType', [1, 2]);
export const UserJoinPolicyEnum = T.intEnum('KalturaUserJoinPolicyType', [1, 2, 3]);
export const ContributionPolicyEnum = T.intEnum('KalturaContributionPolicyType', [1, 2]);
export const PermissionLevelEnum = T.intEnum('KalturaCategoryUserPermissionLevel', [0, 1, 2, 3, 4]);
export const CategoryUserStatusEnum = T.intEnum('KalturaCategoryUserStatus', [1, 2, 3, 4]);
export const UpdateMethodEnum = T.intEnum('KalturaUpdateMethodType', [0, 1]);
export const CategoryStatusEnum = T.intEnum('KalturaCategoryStatus', [1, 2, 3, 4]);
export const CategoryEntryStatusEnum = T.intEnum('KalturaCategoryEntryStatus', [1, 2, 3, 4]);
const order = (name: string, fields: string[]) => T.stringEnum(name, fields.flatMap((f) => [`+${f}`, `-${f}`]));
const TIME_RANGES = ['createdAtGreaterThanOrEqual', 'createdAtLessThanOrEqual', 'updatedAtGreaterThanOrEqual', 'updatedAtLessThanOrEqual'].map((name) => ({ name, type: T.time }));

defineClass({
  name: 'KalturaCategory',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.int, readonly: true },
    { name: 'parentId', type: T.int },
    { name: 'depth', type: T.int, readonly: true },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'name', type: T.string },
    { name: 'fullName', type: T.string, readonly: true },
    { name: 'fullIds', type: T.string, readonly: true },
    { name: 'entriesCount', type: T.int, readonly: true },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
    { name: 'description', type: T.string },
    { name: 'tags', type: T.string },
    { name: 'appearInList', type: AppearInListEnum },
    { name: 'privacy', type: PrivacyTypeEnum },
    { name: 'inheritanceType', type: InheritanceTypeEnum },
    { name: 'userJoinPolicy', type: UserJoinPolicyEnum, readonly: true },
    { name: 'defaultPermissionLevel', type: PermissionLevelEnum },
    { name: 'owner', type: T.string },
    { name: 'directEntriesCount', type: T.int, readonly: true },
    { name: 'referenceId', type: T.string },
    { name: 'contributionPolicy', type: ContributionPolicyEnum },
    { name: 'membersCount', type: T.int, readonly: true },
    { name: 'pendingMembersCount', type: T.int, readonly: true },
    { name: 'privacyContext', type: T.string },
    { name: 'privacyContexts', type: T.string, readonly: true },
    { name: 'status', type: CategoryStatusEnum, readonly: true },
    { name: 'inheritedParentId', type: T.int, readonly: true },
    { name: 'partnerSortValue', type: T.int },
    { name: 'partnerData', type: T.string },
    { name: 'defaultOrderBy', type: T.string },
    { name: 'directSubCategoriesCount', type: T.int, readonly: true },
    { name: 'moderation', type: NullableBooleanEnum },
    { name: 'pendingEntriesCount', type: T.int, readonly: true },
    { name: 'adminTags', type: T.string },
  ],
});
defineListResponse('KalturaCategoryListResponse', 'KalturaCategory');

const CATEGORY_ORDER = ['depth', 'name', 'fullName', 'entriesCount', 'directEntriesCount', 'membersCount', 'createdAt', 'updatedAt', 'partnerSortValue', 'directSubCategoriesCount'];
defineClass({
  name: 'KalturaCategoryFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'orderBy', type: order('KalturaCategoryOrderBy', CATEGORY_ORDER) },
    { name: 'idEqual', type: T.int },
    { name: 'idIn', type: T.string },
    { name: 'idNotIn', type: T.string },
    { name: 'parentIdEqual', type: T.int },
    { name: 'parentIdIn', type: T.string },
    { name: 'depthEqual', type: T.int },
    { name: 'fullNameEqual', type: T.string },
    { name: 'fullNameStartsWith', type: T.string },
    { name: 'fullNameIn', type: T.string },
    { name: 'fullIdsEqual', type: T.string },
    { name: 'fullIdsStartsWith', type: T.string },
    { name: 'fullIdsMatchOr', type: T.string },
    ...TIME_RANGES,
    { name: 'tagsLike', type: T.string },
    { name: 'tagsMultiLikeOr', type: T.string },
    { name: 'tagsMultiLikeAnd', type: T.string },
    { name: 'appearInListEqual', type: AppearInListEnum },
    { name: 'privacyEqual', type: PrivacyTypeEnum },
    { name: 'privacyIn', type: T.string },
    { name: 'inheritanceTypeEqual', type: InheritanceTypeEnum },
    { name: 'inheritanceTypeIn', type: T.string },
    { name: 'referenceIdEqual', type: T.string },
    { name: 'contributionPolicyEqual', type: ContributionPolicyEnum },
    { name: 'membersCountGreaterThanOrEqual', type: T.int },
    { name: 'membersCountLessThanOrEqual', type: T.int },
    { name: 'privacyContextEqual', type: T.string },
    { name: 'statusEqual', type: CategoryStatusEnum },
    { name: 'statusIn', type: T.string },
    { name: 'inheritedParentIdEqual', type: T.int },
    { name: 'inheritedParentIdIn', type: T.string },
    { name: 'freeText', type: T.string },
    { name: 'membersIn', type: T.string },
    { name: 'managerEqual', type: T.string },
    { name: 'memberEqual', type: T.string },
    { name: 'fullNameStartsWithIn', type: T.string },
    { name: 'ancestorIdIn', type: T.string },
  ],
});

defineClass({
  name: 'KalturaCategoryEntry',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'categoryId', type: T.int },
    { name: 'entryId', type: T.string },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'categoryFullIds', type: T.string, readonly: true },
    { name: 'status', type: CategoryEntryStatusEnum, readonly: true },
    { name: 'creatorUserId', type: T.string, readonly: true },
  ],
});
defineListResponse('KalturaCategoryEntryListResponse', 'KalturaCategoryEntry');
defineClass({
  name: 'KalturaCategoryEntryFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'orderBy', type: order('KalturaCategoryEntryOrderBy', ['createdAt']) },
    { name: 'categoryIdEqual', type: T.int },
    { name: 'categoryIdIn', type: T.string },
    { name: 'entryIdEqual', type: T.string },
    { name: 'entryIdIn', type: T.string },
    { name: 'createdAtGreaterThanOrEqual', type: T.time },
    { name: 'createdAtLessThanOrEqual', type: T.time },
    { name: 'categoryFullIdsStartsWith', type: T.string },
    { name: 'statusEqual', type: CategoryEntryStatusEnum },
    { name: 'statusIn', type: T.string },
    { name: 'creatorUserIdEqual', type: T.string },
    { name: 'creatorUserIdIn', type: T.string },
  ],
});

defineClass({
  name: 'KalturaCategoryUser',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'categoryId', type: T.int, insertOnly: true },
    { name: 'userId', type: T.string, insertOnly: true },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'permissionLevel', type: PermissionLevelEnum },
    { name: 'status', type: CategoryUserStatusEnum, readonly: true },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
    { name: 'updateMethod', type: UpdateMethodEnum },
    { name: 'categoryFullIds', type: T.string, readonly: true },
    { name: 'permissionNames', type: T.string },
  ],
});
defineListResponse('KalturaCategoryUserListResponse', 'KalturaCategoryUser');
defineClass({
  name: 'KalturaCategoryUserFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'orderBy', type: order('KalturaCategoryUserOrderBy', ['createdAt', 'updatedAt']) },
    { name: 'categoryIdEqual', type: T.int },
    { name: 'categoryIdIn', type: T.string },
    { name: 'userIdEqual', type: T.string },
    { name: 'userIdIn', type: T.string },
    { name: 'permissionLevelEqual', type: PermissionLevelEnum },
    { name: 'permissionLevelIn', type: T.string },
    { name: 'statusEqual', type: CategoryUserStatusEnum },
    { name: 'statusIn', type: T.string },
    ...TIME_RANGES,
    { name: 'updateMethodEqual', type: UpdateMethodEnum },
    { name: 'updateMethodIn', type: T.string },
    { name: 'categoryFullIdsStartsWith', type: T.string },
    { name: 'categoryFullIdsEqual', type: T.string },
    { name: 'permissionNamesMatchAnd', type: T.string },
    { name: 'permissionNamesMatchOr', type: T.string },
    { name: 'permissionNamesNotContains', type: T.string },
    { name: 'freeText', type: T.string },
  ],
});
