/** KalturaPartner and its filter (protocol §4.2). Secrets appear only where an action puts them. */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';
import { PartnerOrderBy, PartnerStatusEnum } from './enums.js';

defineClass({
  name: 'KalturaPartner',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.int, readonly: true },
    { name: 'name', type: T.string },
    { name: 'website', type: T.string },
    { name: 'notificationUrl', type: T.string },
    { name: 'appearInSearch', type: T.int },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'adminName', type: T.string },
    { name: 'adminEmail', type: T.string },
    { name: 'description', type: T.string },
    { name: 'type', type: T.int },
    { name: 'phone', type: T.string },
    { name: 'describeYourself', type: T.string },
    { name: 'status', type: PartnerStatusEnum, readonly: true },
    { name: 'secret', type: T.string, readonly: true },
    { name: 'adminSecret', type: T.string, readonly: true },
    { name: 'cmsPassword', type: T.string, readonly: true },
    { name: 'adminLoginUsersQuota', type: T.int, readonly: true },
    { name: 'adminUserId', type: T.string },
    { name: 'firstName', type: T.string },
    { name: 'lastName', type: T.string },
    { name: 'country', type: T.string },
    { name: 'state', type: T.string },
    { name: 'templatePartnerId', type: T.int, readonly: true },
    { name: 'partnerParentId', type: T.int, readonly: true },
    { name: 'referenceId', type: T.string },
    { name: 'maxLoginAttempts', type: T.int, readonly: true },
    { name: 'loginBlockPeriod', type: T.int, readonly: true },
    { name: 'defaultAccessControlId', type: T.int, readonly: true },
    { name: 'ksMaxExpiryInSeconds', type: T.int, readonly: true },
    { name: 'defaultEntitlementEnforcement', type: T.bool, readonly: true },
  ],
});
defineListResponse('KalturaPartnerListResponse', 'KalturaPartner');

defineClass({
  name: 'KalturaPartnerFilter',
  parent: 'KalturaFilter',
  props: [
    { name: 'orderBy', type: PartnerOrderBy },
    { name: 'idEqual', type: T.int },
    { name: 'idIn', type: T.string },
    { name: 'idNotIn', type: T.string },
    { name: 'nameLike', type: T.string },
    { name: 'nameMultiLikeOr', type: T.string },
    { name: 'statusEqual', type: PartnerStatusEnum },
    { name: 'statusIn', type: T.string },
    { name: 'partnerParentIdEqual', type: T.int },
    { name: 'partnerParentIdIn', type: T.string },
  ],
});
