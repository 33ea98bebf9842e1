/** KalturaBaseUser / KalturaUser and their filter (protocol §4.3). */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';
import { GenderEnum, NullableBooleanEnum, UserOrderBy, UserStatusEnum, UserTypeEnum } from './enums.js';

defineClass({
  name: 'KalturaBaseUser',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.string },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'screenName', type: T.string },
    { name: 'fullName', type: T.string },
    { name: 'email', type: T.string },
    { name: 'country', type: T.string },
    { name: 'state', type: T.string },
    { name: 'city', type: T.string },
    { name: 'zip', type: T.string },
    { name: 'thumbnailUrl', type: T.string },
    { name: 'description', type: T.string },
    { name: 'tags', type: T.string },
    { name: 'adminTags', type: T.string },
    { name: 'status', type: UserStatusEnum },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
    { name: 'partnerData', type: T.string },
    { name: 'indexedPartnerDataInt', type: T.int },
    { name: 'indexedPartnerDataString', type: T.string },
    { name: 'storageSize', type: T.int, readonly: true },
    { name: 'language', type: T.string },
    { name: 'lastLoginTime', type: T.int, readonly: true },
    { name: 'statusUpdatedAt', type: T.int, readonly: true },
    { name: 'deletedAt', type: T.time, readonly: true },
    { name: 'allowedPartnerIds', type: T.string },
    { name: 'allowedPartnerPackages', type: T.string },
    { name: 'userMode', type: T.int },
    { name: 'capabilities', type: T.array('KalturaUserCapability') },
  ],
});

defineClass({ name: 'KalturaUserCapability', parent: 'KalturaObjectBase', props: [{ name: 'capability', type: T.int }] });

defineClass({
  name: 'KalturaUser',
  parent: 'KalturaBaseUser',
  props: [
    { name: 'type', type: UserTypeEnum },
    { name: 'dateOfBirth', type: T.int },
    { name: 'gender', type: GenderEnum },
    { name: 'isAdmin', type: T.bool },
    { name: 'isGuest', type: T.bool, insertOnly: true },
    { name: 'roleIds', type: T.string },
    { name: 'roleNames', type: T.string, readonly: true },
    { name: 'isAccountOwner', type: T.bool, insertOnly: true },
    { name: 'password', type: T.string, insertOnly: true, writeOnly: true },
    { name: 'firstName', type: T.string },
    { name: 'lastName', type: T.string },
    { name: 'loginEnabled', type: T.bool, insertOnly: true },
    { name: 'registrationInfo', type: T.string },
    { name: 'attendanceInfo', type: T.string },
    { name: 'title', type: T.string },
    { name: 'company', type: T.string },
    { name: 'ksPrivileges', type: T.string },
    { name: 'encryptedSeed', type: T.string, readonly: true },
    { name: 'isSsoExcluded', type: T.bool },
    { name: 'externalId', type: T.string, insertOnly: true },
  ],
});
defineListResponse('KalturaUserListResponse', 'KalturaUser');

defineClass({
  name: 'KalturaBaseUserFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'partnerIdEqual', type: T.int },
    { name: 'screenNameLike', type: T.string },
    { name: 'screenNameStartsWith', type: T.string },
    { name: 'emailLike', type: T.string },
    { name: 'emailStartsWith', type: T.string },
    { name: 'tagsMultiLikeOr', type: T.string },
    { name: 'tagsMultiLikeAnd', type: T.string },
    { name: 'statusEqual', type: UserStatusEnum },
    { name: 'statusIn', type: T.string },
    { name: 'createdAtGreaterThanOrEqual', type: T.time },
    { name: 'createdAtLessThanOrEqual', type: T.time },
    { name: 'updatedAtGreaterThanOrEqual', type: T.time },
    { name: 'updatedAtLessThanOrEqual', type: T.time },
  ],
});

defineClass({
  name: 'KalturaUserFilter',
  parent: 'KalturaBaseUserFilter',
  props: [
    { name: 'orderBy', type: UserOrderBy },
    { name: 'idOrScreenNameStartsWith', type: T.string },
    { name: 'idEqual', type: T.string },
    { name: 'idIn', type: T.string },
    { name: 'typeEqual', type: UserTypeEnum },
    { name: 'typeIn', type: T.string },
    { name: 'isAdminEqual', type: NullableBooleanEnum },
    { name: 'loginEnabledEqual', type: NullableBooleanEnum },
    { name: 'roleIdEqual', type: T.string },
    { name: 'roleIdsEqual', type: T.string },
    { name: 'roleIdsIn', type: T.string },
    { name: 'firstNameOrLastNameStartsWith', type: T.string },
    { name: 'permissionNamesMultiLikeOr', type: T.string },
    { name: 'permissionNamesMultiLikeAnd', type: T.string },
    { name: 'firstNameStartsWith', type: T.string },
    { name: 'lastNameStartsWith', type: T.string },
  ],
});
