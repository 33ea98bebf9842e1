/**
 * KalturaAccessControlProfile and the rule classes (protocol §5.1–§5.4): rules, the condition and
 * action hierarchies with their abstract bases (OBJECT_TYPE_ABSTRACT when no concrete objectType
 * is sent), field and value classes, and both context-holder names the seed and the wire use.
 * `type` fields are server-set: accepted on input (so a fetched profile can be sent back) and
 * ignored, since the class decides the type.
 */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';
import { NullableBooleanEnum, SessionTypeEnum } from './enums.js';

export const ContextTypeEnum = T.stringEnum('KalturaContextType', ['1', '2', '3', '4', '5', '6']);
export const ComparisonEnum = T.stringEnum('KalturaSearchConditionComparison', ['1', '2', '3', '4', '5', '6']);
export const MatchTypeEnum = T.stringEnum('KalturaMatchConditionType', ['1', '2']);
export const GeoCoderTypeEnum = T.stringEnum('KalturaGeoCoderType', ['1', '2', '3']);

defineClass({
  name: 'KalturaAccessControlProfile',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.int, readonly: true },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'name', type: T.string },
    { name: 'systemName', type: T.string },
    { name: 'description', type: T.string },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
    { name: 'isDefault', type: NullableBooleanEnum },
    { name: 'rules', type: T.array('KalturaRule') },
  ],
});
defineListResponse('KalturaAccessControlProfileListResponse', 'KalturaAccessControlProfile');

defineClass({
  name: 'KalturaAccessControlProfileFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'orderBy', type: T.stringEnum('KalturaAccessControlProfileOrderBy', ['+createdAt', '-createdAt', '+updatedAt', '-updatedAt']) },
    { name: 'idEqual', type: T.int },
    { name: 'idIn', type: T.string },
    { name: 'systemNameEqual', type: T.string },
    { name: 'systemNameIn', type: T.string },
    { name: 'createdAtGreaterThanOrEqual', type: T.time },
    { name: 'createdAtLessThanOrEqual', type: T.time },
    { name: 'updatedAtGreaterThanOrEqual', type: T.time },
    { name: 'updatedAtLessThanOrEqual', type: T.time },
  ],
});

defineClass({
  name: 'KalturaRule',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'description', type: T.string },
    { name: 'ruleData', type: T.string },
    { name: 'message', type: T.string },
    { name: 'code', type: T.string },
    { name: 'actions', type: T.array('KalturaRuleAction') },
    { name: 'conditions', type: T.array('KalturaCondition') },
    { name: 'contexts', type: T.array('KalturaContextTypeHolder') },
    { name: 'stopProcessing', type: T.bool },
    { name: 'forceAdminValidation', type: NullableBooleanEnum },
  ],
});

// Contexts: the wire's KalturaContextTypeHolder and the seed's KalturaAccessControlContextTypeHolder
// (a subclass on the real server too) are both accepted; the latter is what we send back.
defineClass({ name: 'KalturaContextTypeHolder', parent: 'KalturaObjectBase', props: [{ name: 'type', type: ContextTypeEnum }] });
defineClass({ name: 'KalturaAccessControlContextTypeHolder', parent: 'KalturaContextTypeHolder', props: [] });

// Values and fields.
defineClass({ name: 'KalturaValue', parent: 'KalturaObjectBase', abstract: true, props: [{ name: 'description', type: T.string }] });
defineClass({ name: 'KalturaStringValue', parent: 'KalturaValue', props: [{ name: 'value', type: T.string }] });
defineClass({ name: 'KalturaIntegerValue', parent: 'KalturaValue', props: [{ name: 'value', type: T.int }] });
defineClass({ name: 'KalturaStringField', parent: 'KalturaStringValue', abstract: true, props: [] });
defineClass({ name: 'KalturaIntegerField', parent: 'KalturaIntegerValue', abstract: true, props: [] });
defineClass({ name: 'KalturaCountryContextField', parent: 'KalturaStringField', props: [{ name: 'geoCoderType', type: GeoCoderTypeEnum }] });
defineClass({ name: 'KalturaIpAddressContextField', parent: 'KalturaStringField', props: [] });
defineClass({ name: 'KalturaUserAgentContextField', parent: 'KalturaStringField', props: [] });
defineClass({ name: 'KalturaUserEmailContextField', parent: 'KalturaStringField', props: [] });
defineClass({ name: 'KalturaObjectIdField', parent: 'KalturaStringField', props: [] });
defineClass({ name: 'KalturaTimeContextField', parent: 'KalturaIntegerField', props: [{ name: 'offset', type: T.int }] });

// Conditions.
defineClass({
  name: 'KalturaCondition',
  parent: 'KalturaObjectBase',
  abstract: true,
  props: [
    { name: 'type', type: T.string, readonly: true },
    { name: 'description', type: T.string },
    { name: 'not', type: T.bool },
  ],
});
defineClass({
  name: 'KalturaMatchCondition',
  parent: 'KalturaCondition',
  abstract: true,
  props: [
    { name: 'values', type: T.array('KalturaStringValue') },
    { name: 'matchType', type: MatchTypeEnum },
  ],
});
defineClass({ name: 'KalturaRegexCondition', parent: 'KalturaMatchCondition', abstract: true, props: [] });
defineClass({
  name: 'KalturaCompareCondition',
  parent: 'KalturaCondition',
  abstract: true,
  props: [
    { name: 'value', type: T.object('KalturaIntegerValue') },
    { name: 'comparison', type: ComparisonEnum },
  ],
});
defineClass({ name: 'KalturaAuthenticatedCondition', parent: 'KalturaCondition', props: [{ name: 'privileges', type: T.array('KalturaStringValue') }] });
defineClass({ name: 'KalturaCountryCondition', parent: 'KalturaMatchCondition', props: [{ name: 'geoCoderType', type: GeoCoderTypeEnum }] });
defineClass({
  name: 'KalturaIpAddressCondition',
  parent: 'KalturaMatchCondition',
  props: [
    { name: 'acceptInternalIps', type: T.bool },
    { name: 'httpHeader', type: T.string },
  ],
});
defineClass({ name: 'KalturaSiteCondition', parent: 'KalturaMatchCondition', props: [] });
defineClass({ name: 'KalturaUserAgentCondition', parent: 'KalturaRegexCondition', props: [] });
defineClass({ name: 'KalturaFieldMatchCondition', parent: 'KalturaMatchCondition', props: [{ name: 'field', type: T.object('KalturaStringField') }] });
defineClass({ name: 'KalturaFieldCompareCondition', parent: 'KalturaCompareCondition', props: [{ name: 'field', type: T.object('KalturaIntegerField') }] });
defineClass({ name: 'KalturaUserRoleCondition', parent: 'KalturaCondition', props: [{ name: 'roleIds', type: T.string }] });
defineClass({ name: 'KalturaOrCondition', parent: 'KalturaCondition', props: [{ name: 'conditions', type: T.array('KalturaCondition') }] });
defineClass({
  name: 'KalturaHashCondition',
  parent: 'KalturaCondition',
  props: [
    { name: 'hashName', type: T.string },
    { name: 'hashSecret', type: T.string },
  ],
});
defineClass({ name: 'KalturaHttpHeaderCondition', parent: 'KalturaRegexCondition', props: [{ name: 'headerName', type: T.string }] });
defineClass({ name: 'KalturaEntryScheduledCondition', parent: 'KalturaCondition', props: [] });
defineClass({ name: 'KalturaActionNameCondition', parent: 'KalturaRegexCondition', props: [] });
defineClass({ name: 'KalturaSessionTypeCondition', parent: 'KalturaCondition', props: [{ name: 'sessionType', type: SessionTypeEnum }] });
const metadataProps = [
  { name: 'xPath', type: T.string },
  { name: 'profileId', type: T.int },
  { name: 'profileSystemName', type: T.string },
];
defineClass({ name: 'KalturaMatchMetadataCondition', parent: 'KalturaMatchCondition', props: metadataProps });
defineClass({ name: 'KalturaCompareMetadataCondition', parent: 'KalturaCompareCondition', props: metadataProps });

// Actions.
defineClass({ name: 'KalturaRuleAction', parent: 'KalturaObjectBase', abstract: true, props: [{ name: 'type', type: T.string, readonly: true }] });
defineClass({ name: 'KalturaAccessControlBlockAction', parent: 'KalturaRuleAction', props: [] });
defineClass({ name: 'KalturaAccessControlPreviewAction', parent: 'KalturaRuleAction', props: [{ name: 'limit', type: T.int }] });
defineClass({
  name: 'KalturaAccessControlLimitFlavorsAction',
  parent: 'KalturaRuleAction',
  props: [
    { name: 'flavorParamsIds', type: T.string },
    { name: 'isBlockedList', type: T.bool },
  ],
});
defineClass({
  name: 'KalturaAccessControlLimitDeliveryProfilesAction',
  parent: 'KalturaRuleAction',
  props: [
    { name: 'deliveryProfileIds', type: T.string },
    { name: 'isBlockedList', type: T.bool },
  ],
});
defineClass({
  name: 'KalturaAccessControlServeRemoteEdgeServerAction',
  parent: 'KalturaRuleAction',
  props: [
    { name: 'edgeServerIds', type: T.string },
    { name: 'seamlessFallbackEnabled', type: T.bool },
  ],
});
// The seed guide's name for the same action; accepted on input, answered with the wire name.
defineClass({ name: 'KalturaAccessControlServeFromRemoteServerAction', parent: 'KalturaAccessControlServeRemoteEdgeServerAction', props: [] });
defineClass({ name: 'KalturaAccessControlLimitThumbnailCaptureAction', parent: 'KalturaRuleAction', props: [] });
