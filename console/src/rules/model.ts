/**
 * The access-control rule shapes the editor produces: Kaltura's JSON objects exactly as
 * `accessControlProfile.add` takes them (KalturaRule, Kaltura*Condition, KalturaAccessControl*Action).
 */
/** A Kaltura API object as JSON: its class name and properties. (No imports: the e2e tests load this file too.) */
export interface KObject {
  objectType: string;
  [prop: string]: unknown;
}

export const CONTEXTS: Array<[number, string, string]> = [
  [1, 'PLAY', 'Play'],
  [2, 'DOWNLOAD', 'Download'],
  [3, 'THUMBNAIL', 'Thumbnail'],
  [4, 'METADATA', 'Metadata'],
  [5, 'EXPORT', 'Export'],
  [6, 'SERVE', 'Serve'],
];

export const COMPARISONS: Array<[string, string]> = [
  ['1', 'equal to'],
  ['6', 'not equal to'],
  ['2', 'greater than'],
  ['3', 'greater than or equal to'],
  ['4', 'less than'],
  ['5', 'less than or equal to'],
];

export const MATCH_TYPES: Array<[string, string]> = [
  ['1', 'any value matches'],
  ['2', 'all values match'],
];

/** Context fields a field condition can read. */
export const FIELDS: Array<[string, string]> = [
  ['KalturaCountryContextField', "viewer's country"],
  ['KalturaIpAddressContextField', "viewer's IP address"],
  ['KalturaUserAgentContextField', 'user agent'],
  ['KalturaUserEmailContextField', "session user's email"],
  ['KalturaObjectIdField', 'entry id'],
  ['KalturaTimeContextField', 'time (Unix seconds + offset)'],
];

export interface KindDef {
  objectType: string;
  label: string;
  help: string;
  make: () => KObject;
}

const sv = (value: string): KObject => ({ objectType: 'KalturaStringValue', value });

export const CONDITIONS: KindDef[] = [
  { objectType: 'KalturaCountryCondition', label: 'Country', help: "The viewer's country (from the IP) is one of the list.", make: () => ({ objectType: 'KalturaCountryCondition', not: false, values: [] }) },
  { objectType: 'KalturaIpAddressCondition', label: 'IP address', help: 'The viewer IP is one of the addresses, CIDRs or ranges (a-b).', make: () => ({ objectType: 'KalturaIpAddressCondition', not: false, values: [], acceptInternalIps: false }) },
  { objectType: 'KalturaSiteCondition', label: 'Site (referrer)', help: 'The referrer host is one of the domains (example.com or *.example.com).', make: () => ({ objectType: 'KalturaSiteCondition', not: false, values: [] }) },
  { objectType: 'KalturaUserAgentCondition', label: 'User agent', help: 'The user agent matches one of the patterns (RE2, case-insensitive).', make: () => ({ objectType: 'KalturaUserAgentCondition', not: false, values: [] }) },
  { objectType: 'KalturaAuthenticatedCondition', label: 'Authenticated (privileges)', help: 'The session holds one of the privileges (e.g. sview:*).', make: () => ({ objectType: 'KalturaAuthenticatedCondition', not: false, privileges: [] }) },
  { objectType: 'KalturaSessionTypeCondition', label: 'Session type', help: 'The session is of this type (no session: never fulfilled).', make: () => ({ objectType: 'KalturaSessionTypeCondition', not: false, sessionType: 2 }) },
  { objectType: 'KalturaUserRoleCondition', label: 'User role', help: "The session user holds one of the roles.", make: () => ({ objectType: 'KalturaUserRoleCondition', not: false, roleIds: '' }) },
  { objectType: 'KalturaHttpHeaderCondition', label: 'HTTP header', help: 'A request header matches one of the patterns.', make: () => ({ objectType: 'KalturaHttpHeaderCondition', not: false, headerName: '', values: [] }) },
  { objectType: 'KalturaFieldMatchCondition', label: 'Field match', help: 'A context field matches one of the values.', make: () => ({ objectType: 'KalturaFieldMatchCondition', not: false, field: { objectType: 'KalturaCountryContextField' }, values: [], matchType: 1 }) },
  { objectType: 'KalturaFieldCompareCondition', label: 'Field compare', help: 'A context field compared with a number (e.g. time before a date).', make: () => ({ objectType: 'KalturaFieldCompareCondition', not: false, field: { objectType: 'KalturaTimeContextField', offset: 0 }, comparison: 4, value: { objectType: 'KalturaIntegerValue', value: 0 } }) },
  { objectType: 'KalturaEntryScheduledCondition', label: 'Entry scheduled', help: 'The entry is within its start and end dates.', make: () => ({ objectType: 'KalturaEntryScheduledCondition', not: false }) },
  { objectType: 'KalturaActionNameCondition', label: 'API action name', help: 'The API call (service.action) matches one of the patterns.', make: () => ({ objectType: 'KalturaActionNameCondition', not: false, values: [] }) },
  { objectType: 'KalturaHashCondition', label: 'Hash', help: 'Fulfilled when the named hash is missing or differs from md5(secret + KS): combine with Block.', make: () => ({ objectType: 'KalturaHashCondition', not: false, hashName: '', hashSecret: '' }) },
  { objectType: 'KalturaMatchMetadataCondition', label: 'Metadata match', help: "A custom metadata field of the entry matches one of the values.", make: () => ({ objectType: 'KalturaMatchMetadataCondition', not: false, xPath: '', values: [], matchType: 1 }) },
  { objectType: 'KalturaCompareMetadataCondition', label: 'Metadata compare', help: 'A numeric custom metadata field compared with a number.', make: () => ({ objectType: 'KalturaCompareMetadataCondition', not: false, xPath: '', comparison: 1, value: { objectType: 'KalturaIntegerValue', value: 0 } }) },
  { objectType: 'KalturaOrCondition', label: 'Any of (OR)', help: 'Fulfilled when any of its own conditions is.', make: () => ({ objectType: 'KalturaOrCondition', not: false, conditions: [] }) },
];

export const ACTIONS: KindDef[] = [
  { objectType: 'KalturaAccessControlBlockAction', label: 'Block', help: 'Refuse the request.', make: () => ({ objectType: 'KalturaAccessControlBlockAction' }) },
  { objectType: 'KalturaAccessControlPreviewAction', label: 'Preview only', help: 'Allow only the first N seconds.', make: () => ({ objectType: 'KalturaAccessControlPreviewAction', limit: 30 }) },
  { objectType: 'KalturaAccessControlLimitFlavorsAction', label: 'Limit flavors', help: 'Only (or all but) these flavor params ids.', make: () => ({ objectType: 'KalturaAccessControlLimitFlavorsAction', flavorParamsIds: '', isBlockedList: false }) },
  { objectType: 'KalturaAccessControlLimitDeliveryProfilesAction', label: 'Limit delivery profiles', help: 'Only (or all but) these delivery profiles.', make: () => ({ objectType: 'KalturaAccessControlLimitDeliveryProfilesAction', deliveryProfileIds: '', isBlockedList: false }) },
  { objectType: 'KalturaAccessControlServeRemoteEdgeServerAction', label: 'Serve from remote edge servers', help: 'Serve through these edge server ids.', make: () => ({ objectType: 'KalturaAccessControlServeRemoteEdgeServerAction', edgeServerIds: '', seamlessFallbackEnabled: false }) },
  { objectType: 'KalturaAccessControlLimitThumbnailCaptureAction', label: 'Limit thumbnail capture', help: 'No thumbnails captured from the video.', make: () => ({ objectType: 'KalturaAccessControlLimitThumbnailCaptureAction' }) },
];

export function newRule(): KObject {
  return { objectType: 'KalturaRule', description: '', message: '', conditions: [], actions: [], contexts: [], stopProcessing: false, forceAdminValidation: 0 };
}

export function labelOf(objectType: string): string {
  return [...CONDITIONS, ...ACTIONS].find((k) => k.objectType === objectType)?.label ?? objectType;
}

export function stringValues(o: KObject, prop = 'values'): string[] {
  const v = o[prop];
  return Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' && 'value' in x ? String((x as { value: unknown }).value ?? '') : String(x))) : [];
}

export function withStringValues(o: KObject, lines: string[], prop = 'values'): KObject {
  return { ...o, [prop]: lines.map(sv) };
}

/** Lists where a comma also separates items (no commas inside valid values). */
const COMMA_LISTS = new Set(['KalturaCountryCondition', 'KalturaIpAddressCondition', 'KalturaSiteCondition']);

function cleanValues(o: KObject, prop: string): KObject[] {
  const split = COMMA_LISTS.has(o.objectType);
  const out: string[] = [];
  for (const line of stringValues(o, prop)) for (const part of split ? line.split(',') : [line]) if (part.trim()) out.push(part.trim());
  return out.map((v) => sv(o.objectType === 'KalturaCountryCondition' ? v.toUpperCase() : v));
}

function cleanCondition(c: KObject): KObject {
  // `type` is server-set (read only): never send it back.
  const { type: _type, ...rest } = c;
  const out: KObject = { ...rest };
  if (Array.isArray(out.values)) out.values = cleanValues(out, 'values');
  if (Array.isArray(out.privileges)) out.privileges = cleanValues(out, 'privileges');
  if (Array.isArray(out.conditions)) out.conditions = (out.conditions as KObject[]).map(cleanCondition);
  if (out.objectType === 'KalturaIpAddressCondition' && !out.httpHeader) delete out.httpHeader;
  if (typeof out.description === 'string' && !out.description) delete out.description;
  for (const k of ['profileId', 'profileSystemName'] as const) if (out[k] === '' || out[k] === null) delete out[k];
  return out;
}

function cleanAction(a: KObject): KObject {
  const { type: _type, ...rest } = a;
  return rest as KObject;
}

/** What is sent to the server: empty list lines dropped, read-only fields removed. */
export function cleanRules(rules: KObject[]): KObject[] {
  return rules.map((r) => {
    const out: KObject = {
      ...r,
      objectType: 'KalturaRule',
      conditions: ((r.conditions as KObject[] | undefined) ?? []).map(cleanCondition),
      actions: ((r.actions as KObject[] | undefined) ?? []).map(cleanAction),
      contexts: ((r.contexts as KObject[] | undefined) ?? []).map((h) => ({ objectType: 'KalturaContextTypeHolder', type: Number(h.type) })),
    };
    for (const k of ['description', 'message', 'code', 'ruleData'] as const) if (typeof out[k] === 'string' && !out[k]) delete out[k];
    return out;
  });
}
