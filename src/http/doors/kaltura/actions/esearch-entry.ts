/**
 * elasticsearch_esearch.searchEntry over the partner's entries (issue 20: kmc-ng's Content › Rooms
 * and any script that searches with eSearch). Gatehouse has no Elasticsearch, so the search tree is
 * turned into the entry list's own filter, through the same entitlement as baseEntry.list:
 * - an item on something Gatehouse stores becomes a filter property (id, name, tags, media type,
 *   access-control profile, dates; a unified item is the free-text search);
 * - an item on something no stored entry can have (admin tags, a room or live entry type…) matches
 *   nothing, which lets OR drop it and AND answer empty;
 * - AND joins conditions; an OR of conditions becomes one of the list's OR groups (`anyOf`), so
 *   kmc-ng's "name contains X or id is X" is answered as asked;
 * - what cannot be answered exactly (an OR over a branch that has OR groups of its own, NOT of a
 *   real condition, a field Gatehouse does not keep) is refused with INVALID_FIELD_VALUE, never
 *   guessed.
 */
import { E, fail } from '../../../../core/errors/index.js';
import type { EntryCondition, EntryFilter } from '../../../../services/ports.js';
import { csvInts, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { kobj, T, type KObject } from '../wire/types.js';
import { ENTRY_READ } from './base-entry.get-context-data.js';
import type { KalturaServices } from './deps.js';
import { toKalturaEntry } from './entry.js';

/** KalturaESearchItemType and KalturaESearchOperatorType values. */
const EXACT = 1;
const PARTIAL = 2;
const STARTS_WITH = 3;
const EXISTS = 4;
const RANGE = 5;
const AND = 1;
const OR = 2;
const NOT = 3;

/**
 * What a search node selects: nothing, everything, the entries one condition selects, or those
 * matching every condition and, from each OR group, one of its conditions.
 */
type Clause =
  | { kind: 'none' }
  | { kind: 'all' }
  | { kind: 'filter'; filter: EntryCondition; groups: EntryCondition[][] };
const NONE: Clause = { kind: 'none' };
const ALL: Clause = { kind: 'all' };
const only = (filter: EntryCondition): Clause => ({ kind: 'filter', filter, groups: [] });

/** KalturaEntryType MEDIA_CLIP: the only entry type Gatehouse stores with a type. */
const MEDIA_CLIP = '1';
/** Fields of entries Gatehouse never stores a value for: no entry matches an item on them. */
const NEVER_SET = new Set(['admin_tags', 'room_type', 'broadcast_entry_id', 'recorded_entry_id', 'redirect_entry_id', 'parent_id', 'root_id', 'template_entry_id', 'reference_id', 'captions_content', 'credit', 'site_url', 'push_publish']);
/** Range fields → the filter's bounds (`<prefix>GreaterThanOrEqual` / `<prefix>LessThanOrEqual`). */
const RANGES: Record<string, 'createdAt' | 'updatedAt' | 'startDate' | 'endDate'> = { created_at: 'createdAt', updated_at: 'updatedAt', start_date: 'startDate', end_date: 'endDate' };
/** Sort fields → the entry list's orderBy names. */
const SORTS: Record<string, string> = { created_at: 'createdAt', updated_at: 'updatedAt', name: 'name', start_date: 'startDate', end_date: 'endDate' };

const refused = (what: string): never => {
  throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: what });
};

function term(item: KObject): string {
  if (typeof item.searchTerm !== 'string' || item.searchTerm === '') return refused('searchTerm');
  return item.searchTerm;
}

function rangeOf(field: 'createdAt' | 'updatedAt' | 'startDate' | 'endDate', r: KObject | null | undefined): Clause {
  if (!r) return refused('range');
  const num = (k: string) => (typeof r[k] === 'number' ? (r[k] as number) : undefined);
  const gte = num('greaterThanOrEqual') ?? (num('greaterThan') !== undefined ? num('greaterThan')! + 1 : undefined);
  const lte = num('lessThanOrEqual') ?? (num('lessThan') !== undefined ? num('lessThan')! - 1 : undefined);
  if (gte === undefined && lte === undefined) return refused('range');
  const f: Record<string, number> = {};
  if (gte !== undefined) f[`${field}GreaterThanOrEqual`] = gte;
  if (lte !== undefined) f[`${field}LessThanOrEqual`] = lte;
  return only(f as EntryCondition);
}

/** One KalturaESearchEntryItem. */
function itemClause(item: KObject): Clause {
  const field = String(item.fieldName ?? '');
  const type = Number(item.itemType);
  if (NEVER_SET.has(field)) return type === EXISTS || [EXACT, PARTIAL, STARTS_WITH].includes(type) ? NONE : refused('itemType');
  if (type === RANGE && RANGES[field]) return rangeOf(RANGES[field], item.range as KObject | null);
  if (type === EXISTS) return refused('itemType');
  const value = term(item);
  switch (`${field}/${type}`) {
    case `id/${EXACT}`:
      return only({ idEqual: value });
    case `name/${EXACT}`:
      return only({ nameEqual: value });
    case `name/${PARTIAL}`:
      return only({ nameLike: value });
    case `tags/${PARTIAL}`:
    case `tags/${EXACT}`:
      return only({ tagsLike: value });
    case `entry_type/${EXACT}`:
      // Stored entries are media clips or untyped: any other type (room.room, live…) has none.
      return value === MEDIA_CLIP ? only({ mediaOnly: true }) : NONE;
    case `media_type/${EXACT}`:
      return Number.isInteger(Number(value)) ? only({ mediaTypeEqual: Number(value) }) : refused('searchTerm');
    case `access_control_id/${EXACT}`:
      return Number.isInteger(Number(value)) ? only({ accessControlIdEqual: Number(value) }) : refused('searchTerm');
    default:
      return refused('searchItems');
  }
}

function both(a: Clause & { kind: 'filter' }, b: Clause & { kind: 'filter' }): Clause {
  const out: Record<string, unknown> = { ...a.filter };
  for (const [k, v] of Object.entries(b.filter)) {
    if (out[k] === undefined) out[k] = v;
    else if (out[k] !== v) return refused('searchItems');
  }
  return { kind: 'filter', filter: out as EntryCondition, groups: [...a.groups, ...b.groups] };
}

function clauseOf(node: KObject, depth = 0): Clause {
  if (depth > 8) return refused('searchOperator');
  if (node.objectType === 'KalturaESearchUnifiedItem') return [EXACT, PARTIAL].includes(Number(node.itemType)) ? only({ freeText: term(node) }) : refused('itemType');
  if (node.objectType === 'KalturaESearchEntryItem') return itemClause(node);
  if (node.objectType !== 'KalturaESearchEntryOperator') return refused('searchItems');
  const parts = ((node.searchItems as KObject[] | null | undefined) ?? []).map((n) => clauseOf(n, depth + 1));
  if (!parts.length) return refused('searchItems');
  const op = Number(node.operator);
  if (op === AND) {
    if (parts.some((p) => p.kind === 'none')) return NONE;
    let acc: Clause = ALL;
    for (const p of parts) if (p.kind === 'filter') acc = acc.kind === 'filter' ? both(acc, p) : p;
    return acc;
  }
  if (op === OR) {
    if (parts.some((p) => p.kind === 'all')) return ALL;
    const left = parts.filter((p): p is Clause & { kind: 'filter' } => p.kind === 'filter');
    if (left.length === 0) return NONE;
    if (left.length === 1) return left[0]!;
    // Several conditions: one OR group, as long as none is itself a combination with groups.
    if (left.some((p) => p.groups.length)) return refused('searchOperator');
    return { kind: 'filter', filter: {}, groups: [left.map((p) => p.filter)] };
  }
  if (op === NOT) {
    // Kaltura's NOT excludes every item under it: exact only when each matches nothing.
    return parts.every((p) => p.kind === 'none') ? ALL : refused('searchOperator');
  }
  return refused('searchOperator');
}

function orderOf(params: KObject): string | undefined {
  const items = ((params.orderBy as KObject | null | undefined)?.orderItems as KObject[] | undefined) ?? [];
  if (!items.length) return undefined;
  const first = items[0]!;
  const field = SORTS[String(first.sortField)];
  if (!field) return refused('orderBy');
  return `${first.sortOrder === 'asc' ? '+' : '-'}${field}`;
}

/** The search as the entry list's filter; undefined when no stored entry can match. */
export function entrySearchFilter(params: KObject): EntryFilter | undefined {
  const op = params.searchOperator as KObject | null | undefined;
  if (!op) return refused('searchOperator');
  const c = clauseOf(op);
  if (c.kind === 'none') return undefined;
  const f: EntryFilter = c.kind === 'filter' ? { ...c.filter, ...(c.groups.length ? { anyOf: c.groups } : {}) } : {};
  const statuses = csvInts(params.objectStatuses);
  if (statuses?.length) f.statusIn = statuses;
  if (typeof params.objectId === 'string' && params.objectId) {
    if (f.idEqual !== undefined && f.idEqual !== params.objectId) return undefined;
    f.idEqual = params.objectId;
  }
  const orderBy = orderOf(params);
  if (orderBy) f.orderBy = orderBy;
  return f;
}

export function esearchEntryAction(s: Pick<KalturaServices, 'entries'>): ActionDef {
  return {
    service: 'elasticsearch_esearch',
    action: 'searchEntry',
    params: [
      { name: 'searchParams', type: T.object('KalturaESearchEntryParams') },
      { name: 'pager', type: T.object('KalturaPager'), optional: true, default: null },
    ],
    permissions: ENTRY_READ,
    handler: async ({ args, principal }) => {
      // Nothing can match (`idIn: []` selects none): the same list call, so the same checks.
      const filter = entrySearchFilter(args.searchParams as KObject) ?? { idIn: [] };
      const r = await s.entries.list(principal, filter, pageOf(args.pager), 'any');
      return kobj('KalturaESearchEntryResponse', { objects: r.objects.map((e) => kobj('KalturaESearchEntryResult', { object: toKalturaEntry(e) })), totalCount: r.totalCount });
    },
  };
}
