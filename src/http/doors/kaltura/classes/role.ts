/** KalturaUserRole, KalturaPermission and their filters (protocol §4.5). */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';
import { PermissionStatusEnum, PermissionTypeEnum, UserRoleOrderBy, UserRoleStatusEnum } from './enums.js';

defineClass({
  name: 'KalturaUserRole',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.int, readonly: true },
    { name: 'name', type: T.string },
    { name: 'systemName', type: T.string },
    { name: 'description', type: T.string },
    { name: 'status', type: UserRoleStatusEnum },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'permissionNames', type: T.string },
    { name: 'tags', type: T.string },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
  ],
});
defineListResponse('KalturaUserRoleListResponse', 'KalturaUserRole');

defineClass({
  name: 'KalturaUserRoleFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'orderBy', type: UserRoleOrderBy },
    { name: 'idEqual', type: T.int },
    { name: 'idIn', type: T.string },
    { name: 'nameEqual', type: T.string },
    { name: 'nameIn', type: T.string },
    { name: 'systemNameEqual', type: T.string },
    { name: 'systemNameIn', type: T.string },
    { name: 'descriptionLike', type: T.string },
    { name: 'statusEqual', type: UserRoleStatusEnum },
    { name: 'statusIn', type: T.string },
    { name: 'partnerIdEqual', type: T.int },
    { name: 'partnerIdIn', type: T.string },
    { name: 'tagsMultiLikeOr', type: T.string },
    { name: 'tagsMultiLikeAnd', type: T.string },
    { name: 'createdAtGreaterThanOrEqual', type: T.time },
    { name: 'createdAtLessThanOrEqual', type: T.time },
    { name: 'updatedAtGreaterThanOrEqual', type: T.time },
    { name: 'updatedAtLessThanOrEqual', type: T.time },
  ],
});

defineClass({
  name: 'KalturaPermission',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.int, readonly: true },
    { name: 'type', type: PermissionTypeEnum, readonly: true },
    { name: 'name', type: T.string },
    { name: 'friendlyName', type: T.string },
    { name: 'description', type: T.string },
    { name: 'status', type: PermissionStatusEnum },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'dependsOnPermissionNames', type: T.string },
    { name: 'tags', type: T.string },
    { name: 'permissionItemsIds', type: T.string },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
    { name: 'partnerGroup', type: T.string },
  ],
});
defineListResponse('KalturaPermissionListResponse', 'KalturaPermission');

defineClass({
  name: 'KalturaPermissionFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'idEqual', type: T.int },
    { name: 'idIn', type: T.string },
    { name: 'typeEqual', type: PermissionTypeEnum },
    { name: 'typeIn', type: T.string },
    { name: 'nameEqual', type: T.string },
    { name: 'nameIn', type: T.string },
    { name: 'friendlyNameLike', type: T.string },
    { name: 'descriptionLike', type: T.string },
    { name: 'tagsMultiLikeOr', type: T.string },
    { name: 'tagsMultiLikeAnd', type: T.string },
    { name: 'partnerIdEqual', type: T.int },
    { name: 'partnerIdIn', type: T.string },
    { name: 'statusEqual', type: PermissionStatusEnum },
    { name: 'statusIn', type: T.string },
  ],
});
