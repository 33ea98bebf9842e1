/**
 * Gatehouse's neutral access-control model: what a profile *is*, independent of Kaltura's class
 * names. The Kaltura door maps `KalturaRule`/`Kaltura*Condition`/`Kaltura*Action` objects to and from
 * these specs; the store keeps them as JSON; `compile.ts` turns them into closures once.
 * Semantics are the Kaltura server's (protocol/kaltura.md §5.2–§5.4).
 */

/** `KalturaContextType`. A rule with no contexts applies in every context. */
export const ContextType = { PLAY: 1, DOWNLOAD: 2, THUMBNAIL: 3, METADATA: 4, EXPORT: 5, SERVE: 6 } as const;
export type ContextTypeValue = (typeof ContextType)[keyof typeof ContextType];

/** `KalturaSearchConditionComparison` (the server's numbers, not the seed guide's). */
export const Comparison = { EQUAL: 1, GREATER_THAN: 2, GREATER_THAN_OR_EQUAL: 3, LESS_THAN: 4, LESS_THAN_OR_EQUAL: 5, NOT_EQUAL: 6 } as const;
export type ComparisonValue = (typeof Comparison)[keyof typeof Comparison];

/** `KalturaMatchConditionType`: only matters when the field has several values. */
export const MatchType = { MATCH_ANY: 1, MATCH_ALL: 2 } as const;

/** A value read from the request context (Kaltura's `Kaltura*ContextField` / constant values). */
export type FieldSpec =
  | { kind: 'country' }
  | { kind: 'ip' }
  | { kind: 'userAgent' }
  | { kind: 'userEmail' }
  /** Unix seconds of the scope, plus `offset` seconds. */
  | { kind: 'time'; offset: number }
  /** The entry id the decision is about (`KalturaObjectIdField`). */
  | { kind: 'objectId' }
  | { kind: 'constant'; value: string };

interface Base {
  /** Negates the result (`not`). */
  not: boolean;
  description?: string;
}

export type ConditionSpec = Base &
  (
    | { type: 'authenticated'; privileges: string[] }
    | { type: 'country'; values: string[] }
    | { type: 'ipAddress'; values: string[]; acceptInternalIps: boolean; httpHeader: string | null }
    /** Kaltura's literal domain rule plus the seed's `*.example.com` wildcard form. */
    | { type: 'site'; values: string[] }
    /** Case-insensitive, unanchored RE2 patterns. */
    | { type: 'userAgent'; values: string[] }
    | { type: 'fieldMatch'; field: FieldSpec; values: string[]; matchType: number }
    | { type: 'fieldCompare'; field: FieldSpec; comparison: number; value: FieldSpec | number | null }
    | { type: 'userRole'; roleIds: string[] }
    | { type: 'or'; conditions: ConditionSpec[] }
    /** Fulfilled when `hashes[hashName]` is missing or differs from md5(hashSecret + ks) (use with block). */
    | { type: 'hash'; hashName: string; hashSecret: string }
    | { type: 'httpHeader'; headerName: string; values: string[] }
    | { type: 'entryScheduled' }
    /** RE2 patterns against `service.action`. */
    | { type: 'actionName'; values: string[] }
    | { type: 'sessionType'; sessionType: number }
    /** `xPath` in any of the seed's three forms; compiled to the element's local name. */
    | { type: 'metadataMatch'; profileId: number | null; profileSystemName: string | null; xPath: string; values: string[]; matchType: number }
    | { type: 'metadataCompare'; profileId: number | null; profileSystemName: string | null; xPath: string; comparison: number; value: FieldSpec | number | null }
  );

export type ActionSpec =
  | { type: 'block' }
  | { type: 'preview'; limit: number }
  | { type: 'limitFlavors'; flavorParamsIds: string; isBlockedList: boolean }
  | { type: 'limitDeliveryProfiles'; deliveryProfileIds: string; isBlockedList: boolean }
  | { type: 'serveRemoteEdge'; edgeServerIds: string; seamlessFallbackEnabled: boolean }
  | { type: 'limitThumbnailCapture' };

export interface RuleSpec {
  description?: string;
  ruleData?: string;
  message?: string;
  code?: string;
  actions: ActionSpec[];
  conditions: ConditionSpec[];
  /** Empty = every context. */
  contexts: number[];
  stopProcessing: boolean;
  /** Evaluate even for ADMIN sessions. */
  forceAdminValidation: boolean;
}

/** Everything a decision may look at. Built once per request by the door; never mutated by rules. */
export interface AccessScope {
  /** Client IP (already resolved through trusted proxies). */
  ip: string;
  /** Referrer URL as sent (may be empty). */
  referrer: string;
  userAgent: string;
  /** Unix seconds the decision is "at". */
  time: number;
  /** Contexts of the request; empty = every rule applies (Kaltura defaults getContextData to PLAY). */
  contexts: readonly number[];
  /** The caller's session, if any. */
  session: ScopeSession | null;
  entry: ScopeEntry | null;
  /** Named hashes sent by the caller (`KalturaHashCondition`). */
  hashes: Readonly<Record<string, string>>;
  /** Request header by lower-case name. */
  header(name: string): string | undefined;
  /** `service.action` of the API call being checked, when there is one. */
  actionName: string;
}

export interface ScopeSession {
  /** The KS exactly as sent (hash conditions hash it). */
  raw: string;
  type: number;
  userId: string;
  /** Raw privilege string (Kaltura's substring semantics are applied to it). */
  privileges: string;
  roleIds: readonly string[];
  email: string;
}

export interface ScopeEntry {
  id: string;
  startDate: number | null;
  endDate: number | null;
  /** Custom metadata of the entry: field local name → values, per metadata profile id. */
  metadata(profileId: number | null, profileSystemName: string | null): ReadonlyMap<string, readonly string[]> | undefined;
}

/** The outcome of one evaluation (a value, never an exception). */
export interface Decision {
  /** Indexes (0-based) of the fulfilled rules, for `X-Kaltura-ACP` and logs. */
  fulfilled: number[];
  messages: string[];
  actions: ActionSpec[];
  /** Rule codes of fulfilled rules that have one, code → message. */
  codes: Record<string, string>;
}

/** Country lookup (ISO 3166-1 alpha-2, upper-case); undefined for private/unknown addresses. */
export interface GeoLookup {
  country(ip: string): string | undefined;
}
