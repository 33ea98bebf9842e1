/**
 * The legacy KalturaAccessControl object and its restriction classes (protocol §5.1), spoken by
 * the `accessControl` service that kmc-ng uses; the same profiles as KalturaAccessControlProfile.
 */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';
import { NullableBooleanEnum } from './enums.js';

/** Every `*RestrictionType`: 0 restricts the list, 1 allows only the list. */
const listType = (name: string) => T.intEnum(name, [0, 1]);

defineClass({
  name: 'KalturaAccessControl',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.int, readonly: true },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'name', type: T.string },
    { name: 'systemName', type: T.string },
    { name: 'description', type: T.string },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'isDefault', type: NullableBooleanEnum },
    { name: 'restrictions', type: T.array('KalturaBaseRestriction') },
    { name: 'containsUnsuportedRestrictions', type: T.bool, readonly: true },
  ],
});
defineListResponse('KalturaAccessControlListResponse', 'KalturaAccessControl');

defineClass({
  name: 'KalturaAccessControlFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'orderBy', type: T.stringEnum('KalturaAccessControlOrderBy', ['+createdAt', '-createdAt']) },
    { name: 'idEqual', type: T.int },
    { name: 'idIn', type: T.string },
    { name: 'systemNameEqual', type: T.string },
    { name: 'systemNameIn', type: T.string },
    { name: 'createdAtGreaterThanOrEqual', type: T.time },
    { name: 'createdAtLessThanOrEqual', type: T.time },
  ],
});

defineClass({ name: 'KalturaBaseRestriction', parent: 'KalturaObjectBase', abstract: true, props: [] });
defineClass({
  name: 'KalturaSiteRestriction',
  parent: 'KalturaBaseRestriction',
  props: [
    { name: 'siteRestrictionType', type: listType('KalturaSiteRestrictionType') },
    { name: 'siteList', type: T.string },
  ],
});
defineClass({
  name: 'KalturaCountryRestriction',
  parent: 'KalturaBaseRestriction',
  props: [
    { name: 'countryRestrictionType', type: listType('KalturaCountryRestrictionType') },
    { name: 'countryList', type: T.string },
  ],
});
defineClass({
  name: 'KalturaIpAddressRestriction',
  parent: 'KalturaBaseRestriction',
  props: [
    { name: 'ipAddressRestrictionType', type: listType('KalturaIpAddressRestrictionType') },
    { name: 'ipAddressList', type: T.string },
  ],
});
defineClass({
  name: 'KalturaUserAgentRestriction',
  parent: 'KalturaBaseRestriction',
  props: [
    { name: 'userAgentRestrictionType', type: listType('KalturaUserAgentRestrictionType') },
    { name: 'userAgentRegexList', type: T.string },
  ],
});
defineClass({ name: 'KalturaSessionRestriction', parent: 'KalturaBaseRestriction', props: [] });
defineClass({ name: 'KalturaPreviewRestriction', parent: 'KalturaSessionRestriction', props: [{ name: 'previewLength', type: T.int }] });
defineClass({
  name: 'KalturaLimitFlavorsRestriction',
  parent: 'KalturaBaseRestriction',
  props: [
    { name: 'limitFlavorsRestrictionType', type: listType('KalturaLimitFlavorsRestrictionType') },
    { name: 'flavorParamsIds', type: T.string },
  ],
});
defineClass({
  name: 'KalturaDirectoryRestriction',
  parent: 'KalturaBaseRestriction',
  props: [{ name: 'directoryRestrictionType', type: T.intEnum('KalturaDirectoryRestrictionType', [0, 1]) }],
});
