/**
 * Gatehouse's neutral RuleSpec → Kaltura rule objects, the inverse of from-kaltura.ts (what a
 * client adds is what get returns). `type` is the server's: numbers for core conditions and
 * actions, the plugin strings for metadata conditions; contexts come back as
 * KalturaAccessControlContextTypeHolder.
 */
import type { ActionSpec, ConditionSpec, FieldSpec, RuleSpec } from '../../../../core/access/model.js';
import { kobj, type KObject } from '../wire/types.js';

export function rulesToKaltura(rules: readonly RuleSpec[]): KObject[] {
  return rules.map((r) =>
    kobj('KalturaRule', {
      description: r.description,
      ruleData: r.ruleData,
      message: r.message,
      code: r.code,
      actions: r.actions.map(actionToKaltura),
      conditions: r.conditions.map(conditionToKaltura),
      contexts: r.contexts.map((type) => kobj('KalturaAccessControlContextTypeHolder', { type })),
      stopProcessing: r.stopProcessing,
      forceAdminValidation: r.forceAdminValidation ? 1 : 0,
    }),
  );
}

const CONDITION: Record<ConditionSpec['type'], [objectType: string, type: number | string]> = {
  authenticated: ['KalturaAuthenticatedCondition', 1],
  country: ['KalturaCountryCondition', 2],
  ipAddress: ['KalturaIpAddressCondition', 3],
  site: ['KalturaSiteCondition', 4],
  userAgent: ['KalturaUserAgentCondition', 5],
  fieldMatch: ['KalturaFieldMatchCondition', 6],
  fieldCompare: ['KalturaFieldCompareCondition', 7],
  userRole: ['KalturaUserRoleCondition', 9],
  or: ['KalturaOrCondition', 11],
  hash: ['KalturaHashCondition', 12],
  httpHeader: ['KalturaHttpHeaderCondition', 18],
  entryScheduled: ['KalturaEntryScheduledCondition', 19],
  actionName: ['KalturaActionNameCondition', 20],
  sessionType: ['KalturaSessionTypeCondition', 22],
  metadataMatch: ['KalturaMatchMetadataCondition', 'metadata.FieldMatch'],
  metadataCompare: ['KalturaCompareMetadataCondition', 'metadata.FieldCompare'],
};

function conditionToKaltura(c: ConditionSpec): KObject {
  const [objectType, type] = CONDITION[c.type];
  const base = { type, description: c.description, not: c.not };
  switch (c.type) {
    case 'authenticated':
      return kobj(objectType, { ...base, privileges: stringValues(c.privileges) });
    case 'country':
    case 'site':
    case 'userAgent':
    case 'actionName':
      return kobj(objectType, { ...base, values: stringValues(c.values) });
    case 'ipAddress':
      return kobj(objectType, { ...base, values: stringValues(c.values), acceptInternalIps: c.acceptInternalIps, httpHeader: c.httpHeader ?? undefined });
    case 'fieldMatch':
      return kobj(objectType, { ...base, values: stringValues(c.values), matchType: c.matchType, field: fieldToKaltura(c.field) });
    case 'fieldCompare':
      return kobj(objectType, { ...base, value: compareValue(c.value), comparison: c.comparison, field: fieldToKaltura(c.field) });
    case 'userRole':
      return kobj(objectType, { ...base, roleIds: c.roleIds.join(',') });
    case 'or':
      return kobj(objectType, { ...base, conditions: c.conditions.map(conditionToKaltura) });
    case 'hash':
      return kobj(objectType, { ...base, hashName: c.hashName, hashSecret: c.hashSecret });
    case 'httpHeader':
      return kobj(objectType, { ...base, values: stringValues(c.values), headerName: c.headerName });
    case 'entryScheduled':
      return kobj(objectType, base);
    case 'sessionType':
      return kobj(objectType, { ...base, sessionType: c.sessionType });
    case 'metadataMatch':
      return kobj(objectType, { ...base, values: stringValues(c.values), matchType: c.matchType, ...metadataTarget(c) });
    case 'metadataCompare':
      return kobj(objectType, { ...base, value: compareValue(c.value), comparison: c.comparison, ...metadataTarget(c) });
  }
}

/** Action → [objectType, type]. */
export const ACTION: Record<ActionSpec['type'], [string, number]> = {
  block: ['KalturaAccessControlBlockAction', 1],
  preview: ['KalturaAccessControlPreviewAction', 2],
  limitFlavors: ['KalturaAccessControlLimitFlavorsAction', 3],
  limitDeliveryProfiles: ['KalturaAccessControlLimitDeliveryProfilesAction', 5],
  serveRemoteEdge: ['KalturaAccessControlServeRemoteEdgeServerAction', 6],
  limitThumbnailCapture: ['KalturaAccessControlLimitThumbnailCaptureAction', 8],
};

export function actionToKaltura(a: ActionSpec): KObject {
  const [objectType, type] = ACTION[a.type];
  switch (a.type) {
    case 'preview':
      return kobj(objectType, { type, limit: a.limit });
    case 'limitFlavors':
      return kobj(objectType, { type, flavorParamsIds: a.flavorParamsIds, isBlockedList: a.isBlockedList });
    case 'limitDeliveryProfiles':
      return kobj(objectType, { type, deliveryProfileIds: a.deliveryProfileIds, isBlockedList: a.isBlockedList });
    case 'serveRemoteEdge':
      return kobj(objectType, { type, edgeServerIds: a.edgeServerIds, seamlessFallbackEnabled: a.seamlessFallbackEnabled });
    default:
      return kobj(objectType, { type });
  }
}

function fieldToKaltura(f: FieldSpec): KObject {
  switch (f.kind) {
    case 'country':
      return kobj('KalturaCountryContextField', {});
    case 'ip':
      return kobj('KalturaIpAddressContextField', {});
    case 'userAgent':
      return kobj('KalturaUserAgentContextField', {});
    case 'userEmail':
      return kobj('KalturaUserEmailContextField', {});
    case 'objectId':
      return kobj('KalturaObjectIdField', {});
    case 'time':
      return kobj('KalturaTimeContextField', { offset: f.offset });
    case 'constant':
      return kobj('KalturaStringValue', { value: f.value });
  }
}

function compareValue(v: FieldSpec | number | null): KObject | undefined {
  if (v === null) return undefined;
  return typeof v === 'number' ? kobj('KalturaIntegerValue', { value: v }) : fieldToKaltura(v);
}

function metadataTarget(c: { xPath: string; profileId: number | null; profileSystemName: string | null }) {
  return { xPath: c.xPath, profileId: c.profileId ?? undefined, profileSystemName: c.profileSystemName ?? undefined };
}

function stringValues(values: readonly string[]): KObject[] {
  return values.map((value) => kobj('KalturaStringValue', { value }));
}
