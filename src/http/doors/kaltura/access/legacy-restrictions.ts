/**
 * The legacy `accessControl` service's restrictions (KalturaAccessControl.restrictions) ↔ the rules
 * every profile stores (protocol §5.1). As on the real server, each restriction is one BLOCK rule
 * in the PLAY and DOWNLOAD contexts whose condition is inverted for an allow list (allow-list ⇒
 * `not=true`); a session restriction blocks the unauthenticated, a preview restriction lets them
 * preview instead, a limit-flavors restriction is an unconditional limit-flavors action. Read back,
 * a rule of any other shape cannot be said as a restriction: it is left out and the object reports
 * `containsUnsuportedRestrictions` (sic, the wire's spelling).
 */
import type { ActionSpec, ConditionSpec, RuleSpec } from '../../../../core/access/model.js';
import { ContextType } from '../../../../core/access/model.js';
import { E, fail } from '../../../../core/errors/index.js';
import { kobj, type KObject } from '../wire/types.js';

/** The `*RestrictionType` enums: 0 restricts the listed values, 1 allows only them. */
const ALLOW_LIST = 1;
const CONTEXTS = [ContextType.PLAY, ContextType.DOWNLOAD];

type ListKind = 'site' | 'country' | 'ipAddress' | 'userAgent';
/** Restriction class ↔ condition kind, with the class's type and list field names. */
const LISTS: ReadonlyArray<{ cls: string; kind: ListKind; typeField: string; listField: string }> = [
  { cls: 'KalturaSiteRestriction', kind: 'site', typeField: 'siteRestrictionType', listField: 'siteList' },
  { cls: 'KalturaCountryRestriction', kind: 'country', typeField: 'countryRestrictionType', listField: 'countryList' },
  { cls: 'KalturaIpAddressRestriction', kind: 'ipAddress', typeField: 'ipAddressRestrictionType', listField: 'ipAddressList' },
  { cls: 'KalturaUserAgentRestriction', kind: 'userAgent', typeField: 'userAgentRestrictionType', listField: 'userAgentRegexList' },
];

function splitList(v: unknown, upper = false): string[] {
  return String(v ?? '')
    .split(',')
    .map((s) => (upper ? s.trim().toUpperCase() : s.trim()))
    .filter(Boolean);
}

function rule(conditions: ConditionSpec[], action: ActionSpec): RuleSpec {
  return { actions: [action], conditions, contexts: [...CONTEXTS], stopProcessing: false, forceAdminValidation: false };
}

function listCondition(kind: ListKind, values: string[], not: boolean): ConditionSpec {
  if (kind === 'ipAddress') return { type: 'ipAddress', values, not, acceptInternalIps: false, httpHeader: null };
  return { type: kind, values, not };
}

/** Restriction objects (decoded) → the rules that replace a profile's rule list. */
export function rulesFromRestrictions(restrictions: readonly KObject[]): RuleSpec[] {
  return restrictions.map((r) => {
    const list = LISTS.find((l) => l.cls === r.objectType);
    if (list) {
      const values = splitList(r[list.listField], list.kind === 'country');
      if (values.length === 0) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: `${list.cls}::${list.listField}` });
      return rule([listCondition(list.kind, values, r[list.typeField] === ALLOW_LIST)], { type: 'block' });
    }
    switch (r.objectType) {
      case 'KalturaPreviewRestriction':
        return rule([{ type: 'authenticated', privileges: [], not: true }], { type: 'preview', limit: typeof r.previewLength === 'number' ? r.previewLength : 0 });
      case 'KalturaSessionRestriction':
        return rule([{ type: 'authenticated', privileges: [], not: true }], { type: 'block' });
      case 'KalturaLimitFlavorsRestriction':
        return rule([], { type: 'limitFlavors', flavorParamsIds: splitList(r.flavorParamsIds).join(','), isBlockedList: r.limitFlavorsRestrictionType !== ALLOW_LIST });
      default:
        // Directory restrictions (a KMC-1 listing feature) have no rule in Gatehouse.
        throw fail(E.OBJECT_TYPE_ABSTRACT, { OBJ_TYPE: String(r.objectType) });
    }
  });
}

/** A stored rule as a restriction, or undefined when it is not one a restriction can say. */
function restrictionOf(r: RuleSpec): KObject | undefined {
  if (r.actions.length !== 1 || r.stopProcessing || r.forceAdminValidation || r.message || r.code) return undefined;
  const action = r.actions[0]!;
  if (r.conditions.length === 0) {
    if (action.type !== 'limitFlavors') return undefined;
    return kobj('KalturaLimitFlavorsRestriction', { limitFlavorsRestrictionType: action.isBlockedList ? 0 : ALLOW_LIST, flavorParamsIds: action.flavorParamsIds });
  }
  if (r.conditions.length !== 1) return undefined;
  const c = r.conditions[0]!;
  if (c.type === 'authenticated' && c.not && c.privileges.length === 0) {
    if (action.type === 'block') return kobj('KalturaSessionRestriction', {});
    if (action.type === 'preview') return kobj('KalturaPreviewRestriction', { previewLength: action.limit });
    return undefined;
  }
  if (action.type !== 'block') return undefined;
  const list = LISTS.find((l) => l.kind === c.type);
  if (!list || !('values' in c)) return undefined;
  if (c.type === 'ipAddress' && (c.acceptInternalIps || c.httpHeader)) return undefined;
  return kobj(list.cls, { [list.typeField]: c.not ? ALLOW_LIST : 0, [list.listField]: c.values.join(',') });
}

/** A profile's rules as restrictions, and whether some rule could not be said as one. */
export function restrictionsFromRules(rules: readonly RuleSpec[]): { restrictions: KObject[]; unsupported: boolean } {
  const restrictions: KObject[] = [];
  let unsupported = false;
  for (const r of rules) {
    const x = restrictionOf(r);
    if (x) restrictions.push(x);
    else unsupported = true;
  }
  return { restrictions, unsupported };
}
