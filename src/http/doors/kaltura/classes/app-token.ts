/** KalturaAppToken and its filter (protocol §3.1). */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';
import { SessionTypeEnum } from './enums.js';

export const AppTokenStatusEnum = T.intEnum('KalturaAppTokenStatus', [1, 2, 3]);
export const AppTokenHashTypeEnum = T.stringEnum('KalturaAppTokenHashType', ['MD5', 'SHA1', 'SHA256', 'SHA512']);

defineClass({
  name: 'KalturaAppToken',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.string, readonly: true },
    { name: 'token', type: T.string, readonly: true },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
    { name: 'status', type: AppTokenStatusEnum, readonly: true },
    { name: 'expiry', type: T.time },
    { name: 'sessionType', type: SessionTypeEnum },
    { name: 'sessionUserId', type: T.string },
    { name: 'sessionDuration', type: T.int },
    { name: 'sessionPrivileges', type: T.string },
    { name: 'hashType', type: AppTokenHashTypeEnum },
    { name: 'description', type: T.string },
  ],
});
defineListResponse('KalturaAppTokenListResponse', 'KalturaAppToken');

defineClass({ name: 'KalturaAppTokenBaseFilter', parent: 'KalturaFilter', abstract: true, props: [] });
defineClass({
  name: 'KalturaAppTokenFilter',
  parent: 'KalturaAppTokenBaseFilter',
  props: [
    { name: 'orderBy', type: T.stringEnum('KalturaAppTokenOrderBy', ['+createdAt', '-createdAt', '+updatedAt', '-updatedAt']) },
    { name: 'idEqual', type: T.string },
    { name: 'idIn', type: T.string },
    { name: 'createdAtGreaterThanOrEqual', type: T.time },
    { name: 'createdAtLessThanOrEqual', type: T.time },
    { name: 'updatedAtGreaterThanOrEqual', type: T.time },
    { name: 'updatedAtLessThanOrEqual', type: T.time },
    { name: 'statusEqual', type: AppTokenStatusEnum },
    { name: 'statusIn', type: T.string },
    { name: 'sessionUserIdEqual', type: T.string },
  ],
});
