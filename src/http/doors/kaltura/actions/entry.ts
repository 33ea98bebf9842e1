/**
 * baseEntry.* and media.* add / get / list / update / delete. Both services share one entry store;
 * media.* sees media entries only, as the server's media service checks the entry type.
 */
import type { EntryInput, EntryKind } from '../../../../services/entries/entry-service.js';
import type { Entry } from '../../../../services/model.js';
import type { EntryFilter } from '../../../../services/ports.js';
import { csv, csvInts, given, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import { ENTRY_READ, getContextDataAction } from './base-entry.get-context-data.js';
import type { KalturaServices } from './deps.js';

/** A media entry as KalturaMediaEntry, any other as KalturaBaseEntry (what the server's factory does). */
/** KalturaEntryModerationStatus AUTO_APPROVED: Gatehouse moderates nothing (kmc-ng shows such entries as Ready). */
const AUTO_APPROVED = 6;

export function toKalturaEntry(e: Entry): KObject {
  const media = e.mediaType !== null;
  return kobj(media ? 'KalturaMediaEntry' : 'KalturaBaseEntry', {
    id: e.id,
    name: e.name,
    description: e.description,
    partnerId: e.partnerId,
    userId: e.userId,
    creatorId: e.creatorId,
    tags: e.tags,
    status: e.status,
    type: media ? 1 : undefined,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    accessControlId: e.accessControlId ?? undefined,
    startDate: e.startDate ?? undefined,
    endDate: e.endDate ?? undefined,
    moderationStatus: AUTO_APPROVED,
    ...(media ? { plays: 0, views: 0, duration: 0, msDuration: 0, mediaType: e.mediaType, flavorParamsIds: e.flavorParamsIds } : {}),
  });
}

function entryInput(o: KObject): EntryInput {
  const v = <T>(k: string) => o[k] as T | null | undefined;
  return {
    name: v('name'),
    description: v('description'),
    userId: v('userId'),
    tags: v('tags'),
    accessControlId: v('accessControlId'),
    startDate: v('startDate'),
    endDate: v('endDate'),
    flavorParamsIds: v('flavorParamsIds'),
    mediaType: v('mediaType'),
  };
}

function entryFilter(f: KObject | null | undefined): EntryFilter {
  if (!f) return {};
  const out: EntryFilter = {};
  for (const k of ['idEqual', 'nameEqual', 'nameLike', 'userIdEqual', 'tagsLike', 'freeText', 'orderBy'] as const) if (given(f[k])) out[k] = String(f[k]);
  if (csv(f.idIn)) out.idIn = csv(f.idIn)!;
  if (csv(f.idNotIn)) out.idNotIn = csv(f.idNotIn)!;
  if (csv(f.userIdIn)) out.userIdIn = csv(f.userIdIn)!;
  if (given(f.accessControlIdEqual) && f.accessControlIdEqual !== 0) out.accessControlIdEqual = Number(f.accessControlIdEqual);
  if (csvInts(f.accessControlIdIn)) out.accessControlIdIn = csvInts(f.accessControlIdIn)!;
  if (given(f.statusEqual)) out.statusEqual = Number(f.statusEqual);
  if (csvInts(f.statusIn)) out.statusIn = csvInts(f.statusIn)!;
  if (given(f.mediaTypeEqual) && f.mediaTypeEqual !== 0) out.mediaTypeEqual = Number(f.mediaTypeEqual);
  if (csvInts(f.mediaTypeIn)) out.mediaTypeIn = csvInts(f.mediaTypeIn)!;
  for (const k of [
    'createdAtGreaterThanOrEqual',
    'createdAtLessThanOrEqual',
    'updatedAtGreaterThanOrEqual',
    'updatedAtLessThanOrEqual',
    'startDateGreaterThanOrEqual',
    'startDateLessThanOrEqual',
    'endDateGreaterThanOrEqual',
    'endDateLessThanOrEqual',
  ] as const) {
    if (given(f[k]) && f[k] !== 0) out[k] = Number(f[k]);
  }
  return out;
}

const WRITE = {
  add: ['CONTENT_INGEST_BASE', 'BASE_USER_SESSION_PERMISSION'],
  update: ['CONTENT_MANAGE_EDIT', 'CONTENT_MANAGE_ACCESS_CONTROL', 'CONTENT_MANAGE_SCHEDULE', 'CONTENT_INGEST_BASE', 'BASE_USER_SESSION_PERMISSION'],
  delete: ['CONTENT_MANAGE_DELETE', 'BASE_USER_SESSION_PERMISSION'],
} as const;

/** The five CRUD actions of one entry service (`baseentry` or `media`). */
function entryCrud(s: Pick<KalturaServices, 'entries'>, service: 'baseentry' | 'media'): ActionDef[] {
  const kind: EntryKind = service === 'media' ? 'media' : 'any';
  const cls = service === 'media' ? 'KalturaMediaEntry' : 'KalturaBaseEntry';
  const objectParam = service === 'media' ? 'mediaEntry' : 'baseEntry';
  const entryId = { name: 'entryId', type: T.string } as const;
  const addParams = service === 'media' ? [{ name: 'entry', type: T.object(cls) }] : [{ name: 'entry', type: T.object(cls) }, { name: 'type', type: T.string, optional: true, default: null }];
  return [
    {
      service,
      action: 'add',
      params: addParams,
      permissions: WRITE.add,
      handler: async ({ args, principal, meta }) => {
        const o = args.entry as KObject;
        assertWritable(o, 'insert');
        // baseEntry.add with a KalturaMediaEntry object creates a media entry.
        const k: EntryKind = kind === 'media' || o.objectType === 'KalturaMediaEntry' ? 'media' : 'any';
        return toKalturaEntry(await s.entries.add(principal, entryInput(o), k, meta));
      },
    },
    {
      service,
      action: 'get',
      params: [entryId, { name: 'version', type: T.int, optional: true, default: -1 }],
      permissions: ENTRY_READ,
      handler: async ({ args, principal }) => toKalturaEntry(await s.entries.get(principal, String(args.entryId), kind)),
    },
    {
      service,
      action: 'list',
      params: [
        { name: 'filter', type: T.object(service === 'media' ? 'KalturaMediaEntryFilter' : 'KalturaBaseEntryFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ENTRY_READ,
      handler: async ({ args, principal }) => {
        const r = await s.entries.list(principal, entryFilter(args.filter as KObject | null), pageOf(args.pager), kind);
        return kobj(service === 'media' ? 'KalturaMediaListResponse' : 'KalturaBaseEntryListResponse', { objects: r.objects.map(toKalturaEntry), totalCount: r.totalCount });
      },
    },
    {
      service,
      action: 'count',
      params: [{ name: 'filter', type: T.object(service === 'media' ? 'KalturaMediaEntryFilter' : 'KalturaBaseEntryFilter'), optional: true, default: null }],
      permissions: ENTRY_READ,
      // list's totalCount: the same owner and entitlement filters, so both always agree.
      handler: async ({ args, principal }) => (await s.entries.list(principal, entryFilter(args.filter as KObject | null), { pageSize: 1, pageIndex: 1 }, kind)).totalCount,
    },
    {
      service,
      action: 'update',
      params: [entryId, { name: objectParam, type: T.object(cls) }],
      permissions: WRITE.update,
      handler: async ({ args, principal, meta }) => {
        const o = args[objectParam] as KObject;
        assertWritable(o, 'update', toKalturaEntry(await s.entries.get(principal, String(args.entryId), kind)));
        return toKalturaEntry(await s.entries.update(principal, String(args.entryId), entryInput(o), kind, meta));
      },
    },
    {
      service,
      action: 'delete',
      params: [entryId],
      permissions: WRITE.delete,
      handler: async ({ args, principal, meta }) => {
        await s.entries.delete(principal, String(args.entryId), kind, meta);
        return null;
      },
    },
  ];
}

export function entryActions(s: Pick<KalturaServices, 'entries' | 'contextData'>): ActionDef[] {
  return [...entryCrud(s, 'baseentry'), getContextDataAction(s), ...entryCrud(s, 'media')];
}
