/** Kaltura enums used by this door's classes and parameters. */
import { T } from '../wire/types.js';

export const SessionTypeEnum = T.intEnum('KalturaSessionType', [0, 2]);
export const UserStatusEnum = T.intEnum('KalturaUserStatus', [0, 1, 2]);
export const UserTypeEnum = T.intEnum('KalturaUserType', [0, 1, 2]);
export const PartnerStatusEnum = T.intEnum('KalturaPartnerStatus', [0, 1, 2, 3, 4]);
export const UserRoleStatusEnum = T.intEnum('KalturaUserRoleStatus', [1, 2, 3]);
export const PermissionStatusEnum = T.intEnum('KalturaPermissionStatus', [1, 2, 3]);
export const PermissionTypeEnum = T.intEnum('KalturaPermissionType', [1, 2, 3, 4]);
export const NullableBooleanEnum = T.intEnum('KalturaNullableBoolean', [-1, 0, 1]);
export const GenderEnum = T.intEnum('KalturaGender', [0, 1, 2]);
export const UserOrderBy = T.stringEnum('KalturaUserOrderBy', ['+createdAt', '-createdAt', '+updatedAt', '-updatedAt', '+id', '-id']);
export const UserRoleOrderBy = T.stringEnum('KalturaUserRoleOrderBy', ['+id', '-id', '+name', '-name', '+createdAt', '-createdAt', '+updatedAt', '-updatedAt']);
export const PartnerOrderBy = T.stringEnum('KalturaPartnerOrderBy', ['+id', '-id', '+name', '-name', '+website', '-website', '+createdAt', '-createdAt', '+adminName', '-adminName', '+adminEmail', '-adminEmail', '+status', '-status']);
