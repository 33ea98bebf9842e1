/**
 * Kaltura rule objects (decoded KalturaRule / Kaltura*Condition / Kaltura*Action) → Gatehouse's
 * neutral RuleSpec. The decoder has already refused abstract and unknown classes
 * (OBJECT_TYPE_ABSTRACT); this file only reads fields and refuses missing required ones. Whether a
 * value is usable (a regex, a CIDR) is the engine's call, at compile time.
 */
import type { ActionSpec, ConditionSpec, FieldSpec, RuleSpec } from '../../../../core/access/model.js';
import { MatchType } from '../../../../core/access/model.js';
import { E, fail } from '../../../../core/errors/index.js';
import type { KObject } from '../wire/types.js';

export function rulesFromKaltura(rules: readonly KObject[]): RuleSpec[] {
  return rules.map(ruleFromKaltura);
}

function ruleFromKaltura(o: KObject): RuleSpec {
  const rule: RuleSpec = {
    actions: list(o.actions).map(actionFromKaltura),
    conditions: list(o.conditions).map(conditionFromKaltura),
    contexts: list(o.contexts).map((h) => {
      if (h.type == null || h.type === '') throw required(h, 'type');
      return Number(h.type);
    }),
    stopProcessing: o.stopProcessing === true,
    forceAdminValidation: o.forceAdminValidation === 1,
  };
  for (const k of ['description', 'ruleData', 'message', 'code'] as const) if (typeof o[k] === 'string') rule[k] = o[k];
  return rule;
}

function conditionFromKaltura(o: KObject): ConditionSpec {
  const base = { not: o.not === true, ...(typeof o.description === 'string' ? { description: o.description } : {}) };
  const values = strings(o.values);
  switch (o.objectType) {
    case 'KalturaAuthenticatedCondition':
      return { ...base, type: 'authenticated', privileges: strings(o.privileges) };
    case 'KalturaCountryCondition':
      return { ...base, type: 'country', values };
    case 'KalturaIpAddressCondition':
      return { ...base, type: 'ipAddress', values, acceptInternalIps: o.acceptInternalIps === true, httpHeader: text(o.httpHeader) };
    case 'KalturaSiteCondition':
      return { ...base, type: 'site', values };
    case 'KalturaUserAgentCondition':
      return { ...base, type: 'userAgent', values };
    case 'KalturaFieldMatchCondition':
      return { ...base, type: 'fieldMatch', field: fieldFromKaltura(o, 'field'), values, matchType: matchType(o) };
    case 'KalturaFieldCompareCondition':
      return { ...base, type: 'fieldCompare', field: fieldFromKaltura(o, 'field'), comparison: comparison(o), value: compareValue(o.value) };
    case 'KalturaUserRoleCondition':
      return { ...base, type: 'userRole', roleIds: String(o.roleIds ?? '').split(',').map((s) => s.trim()).filter(Boolean) };
    case 'KalturaOrCondition':
      return { ...base, type: 'or', conditions: list(o.conditions).map(conditionFromKaltura) };
    case 'KalturaHashCondition':
      return { ...base, type: 'hash', hashName: String(o.hashName ?? ''), hashSecret: String(o.hashSecret ?? '') };
    case 'KalturaHttpHeaderCondition':
      if (!o.headerName) throw required(o, 'headerName');
      return { ...base, type: 'httpHeader', headerName: String(o.headerName), values };
    case 'KalturaEntryScheduledCondition':
      return { ...base, type: 'entryScheduled' };
    case 'KalturaActionNameCondition':
      return { ...base, type: 'actionName', values };
    case 'KalturaSessionTypeCondition':
      // The server's default session type for this condition is ADMIN.
      return { ...base, type: 'sessionType', sessionType: typeof o.sessionType === 'number' ? o.sessionType : 2 };
    case 'KalturaMatchMetadataCondition':
      return { ...base, type: 'metadataMatch', ...metadataTarget(o), values, matchType: matchType(o) };
    case 'KalturaCompareMetadataCondition':
      return { ...base, type: 'metadataCompare', ...metadataTarget(o), comparison: comparison(o), value: compareValue(o.value) };
    default:
      // Only reachable if a condition class is registered without a mapping here.
      throw fail(E.OBJECT_TYPE_ABSTRACT, { OBJ_TYPE: o.objectType });
  }
}

function actionFromKaltura(o: KObject): ActionSpec {
  switch (o.objectType) {
    case 'KalturaAccessControlBlockAction':
      return { type: 'block' };
    case 'KalturaAccessControlPreviewAction':
      return { type: 'preview', limit: typeof o.limit === 'number' ? o.limit : 0 };
    case 'KalturaAccessControlLimitFlavorsAction':
      return { type: 'limitFlavors', flavorParamsIds: String(o.flavorParamsIds ?? ''), isBlockedList: o.isBlockedList === true };
    case 'KalturaAccessControlLimitDeliveryProfilesAction':
      return { type: 'limitDeliveryProfiles', deliveryProfileIds: String(o.deliveryProfileIds ?? ''), isBlockedList: o.isBlockedList === true };
    case 'KalturaAccessControlServeRemoteEdgeServerAction':
    case 'KalturaAccessControlServeFromRemoteServerAction':
      return { type: 'serveRemoteEdge', edgeServerIds: String(o.edgeServerIds ?? ''), seamlessFallbackEnabled: o.seamlessFallbackEnabled === true };
    case 'KalturaAccessControlLimitThumbnailCaptureAction':
      return { type: 'limitThumbnailCapture' };
    default:
      throw fail(E.OBJECT_TYPE_ABSTRACT, { OBJ_TYPE: o.objectType });
  }
}

const FIELDS: Record<string, 'country' | 'ip' | 'userAgent' | 'userEmail' | 'objectId'> = {
  KalturaCountryContextField: 'country',
  KalturaIpAddressContextField: 'ip',
  KalturaUserAgentContextField: 'userAgent',
  KalturaUserEmailContextField: 'userEmail',
  KalturaObjectIdField: 'objectId',
};

function fieldFromKaltura(o: KObject, prop: string): FieldSpec {
  const f = o[prop] as KObject | null | undefined;
  if (!f) throw required(o, prop);
  if (f.objectType === 'KalturaTimeContextField') return { kind: 'time', offset: typeof f.offset === 'number' ? f.offset : 0 };
  const kind = FIELDS[f.objectType];
  if (!kind) throw fail(E.OBJECT_TYPE_ABSTRACT, { OBJ_TYPE: f.objectType });
  return { kind };
}

/** A compare condition's right-hand side: a constant (`KalturaIntegerValue`) or a field; absent = always fulfilled. */
function compareValue(v: unknown): FieldSpec | number | null {
  const o = v as KObject | null | undefined;
  if (!o) return null;
  if (o.objectType === 'KalturaTimeContextField') return { kind: 'time', offset: typeof o.offset === 'number' ? o.offset : 0 };
  return typeof o.value === 'number' ? o.value : null;
}

function comparison(o: KObject): number {
  if (o.comparison == null || o.comparison === '') throw required(o, 'comparison');
  return Number(o.comparison);
}

function matchType(o: KObject): number {
  return o.matchType == null || o.matchType === '' ? MatchType.MATCH_ALL : Number(o.matchType);
}

function metadataTarget(o: KObject): { xPath: string; profileId: number | null; profileSystemName: string | null } {
  if (!o.xPath) throw required(o, 'xPath');
  return { xPath: String(o.xPath), profileId: typeof o.profileId === 'number' && o.profileId > 0 ? o.profileId : null, profileSystemName: text(o.profileSystemName) };
}

function required(o: KObject, prop: string) {
  return fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: `${o.objectType}::${prop}` });
}

function list(v: unknown): KObject[] {
  return Array.isArray(v) ? (v as KObject[]) : [];
}

/** `KalturaStringValue[]` → their values (a value-less item counts as the empty string, as PHP's strval). */
function strings(v: unknown): string[] {
  return list(v).map((s) => (typeof s.value === 'string' ? s.value : ''));
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
