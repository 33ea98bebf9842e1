/** metadataProfile.* and metadata.* (the metadata plugin: service ids `metadata_metadataprofile`, `metadata_metadata`). */
import type { MetadataProfileInput } from '../../../../services/metadata/metadata-service.js';
import type { Metadata, MetadataProfile } from '../../../../services/model.js';
import type { MetadataFilter, MetadataProfileFilter } from '../../../../services/ports.js';
import { csv, csvInts, given, pageOf } from '../classes/common.js';
import { MetadataObjectTypeEnum } from '../classes/metadata.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import type { KalturaServices } from './deps.js';

export function toKalturaMetadataProfile(p: MetadataProfile): KObject {
  return kobj('KalturaMetadataProfile', {
    id: p.id,
    partnerId: p.partnerId,
    metadataObjectType: p.objectType,
    version: 1,
    name: p.name,
    systemName: p.systemName,
    description: p.description,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    status: p.status,
    xsd: p.xsd,
    createMode: 1,
  });
}

export function toKalturaMetadata(m: Metadata): KObject {
  return kobj('KalturaMetadata', {
    id: m.id,
    partnerId: m.partnerId,
    metadataProfileId: m.metadataProfileId,
    metadataProfileVersion: 1,
    metadataObjectType: m.objectType,
    objectId: m.objectId,
    version: m.version,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
    status: m.status,
    xml: m.xml,
  });
}

const TIME_RANGES = ['createdAtGreaterThanOrEqual', 'createdAtLessThanOrEqual', 'updatedAtGreaterThanOrEqual', 'updatedAtLessThanOrEqual'] as const;

function profileFilter(f: KObject | null | undefined): MetadataProfileFilter {
  if (!f) return {};
  const out: MetadataProfileFilter = {};
  if (given(f.idEqual) && f.idEqual !== 0) out.idEqual = Number(f.idEqual);
  if (given(f.metadataObjectTypeEqual)) out.objectTypeEqual = Number(f.metadataObjectTypeEqual);
  for (const k of ['nameEqual', 'systemNameEqual', 'orderBy'] as const) if (given(f[k])) out[k] = String(f[k]);
  if (csv(f.systemNameIn)) out.systemNameIn = csv(f.systemNameIn)!;
  if (given(f.statusEqual) && f.statusEqual !== 0) out.statusEqual = Number(f.statusEqual);
  if (csvInts(f.statusIn)) out.statusIn = csvInts(f.statusIn)!;
  for (const k of TIME_RANGES) if (given(f[k]) && f[k] !== 0) out[k] = Number(f[k]);
  return out;
}

function metadataFilter(f: KObject | null | undefined): MetadataFilter {
  if (!f) return {};
  const out: MetadataFilter = {};
  if (given(f.metadataProfileIdEqual) && f.metadataProfileIdEqual !== 0) out.metadataProfileIdEqual = Number(f.metadataProfileIdEqual);
  if (csvInts(f.metadataProfileIdIn)) out.metadataProfileIdIn = csvInts(f.metadataProfileIdIn)!;
  if (given(f.metadataObjectTypeEqual)) out.objectTypeEqual = Number(f.metadataObjectTypeEqual);
  if (given(f.objectIdEqual)) out.objectIdEqual = String(f.objectIdEqual);
  if (csv(f.objectIdIn)) out.objectIdIn = csv(f.objectIdIn)!;
  if (given(f.versionEqual) && f.versionEqual !== 0) out.versionEqual = Number(f.versionEqual);
  if (given(f.statusEqual) && f.statusEqual !== 0) out.statusEqual = Number(f.statusEqual);
  if (csvInts(f.statusIn)) out.statusIn = csvInts(f.statusIn)!;
  if (given(f.orderBy)) out.orderBy = String(f.orderBy);
  for (const k of TIME_RANGES) if (given(f[k]) && f[k] !== 0) out[k] = Number(f[k]);
  return out;
}

const pager = { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null } as const;
const id = { name: 'id', type: T.int } as const;

export function metadataProfileActions(s: Pick<KalturaServices, 'metadata'>): ActionDef[] {
  const service = 'metadata_metadataprofile';
  return [
    {
      service,
      action: 'add',
      params: [
        { name: 'metadataProfile', type: T.object('KalturaMetadataProfile') },
        { name: 'xsdData', type: T.string },
        { name: 'viewsData', type: T.string, optional: true, default: null },
      ],
      permissions: ['CUSTOM_DATA_PROFILE_ADD', 'CUSTOM_DATA_FIELD_ADD'],
      handler: async ({ args, principal, meta }) => {
        const o = args.metadataProfile as KObject;
        assertWritable(o, 'insert');
        const input: MetadataProfileInput = { name: o.name as string | undefined, systemName: o.systemName as string | undefined, description: o.description as string | undefined, objectType: o.metadataObjectType as string | undefined };
        return toKalturaMetadataProfile(await s.metadata.addProfile(principal, input, String(args.xsdData), meta));
      },
    },
    {
      service,
      action: 'get',
      params: [id],
      permissions: ['CUSTOM_DATA_PROFILE_BASE', 'BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION'],
      handler: async ({ args, principal }) => toKalturaMetadataProfile(await s.metadata.getProfile(principal, Number(args.id))),
    },
    {
      service,
      action: 'list',
      params: [{ name: 'filter', type: T.object('KalturaMetadataProfileFilter'), optional: true, default: null }, pager],
      permissions: ['CUSTOM_DATA_PROFILE_BASE', 'CONTENT_MANAGE_BASE', 'KMC_READ_ONLY', 'BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION'],
      handler: async ({ args, principal }) => {
        const r = await s.metadata.listProfiles(principal, profileFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaMetadataProfileListResponse', { objects: r.objects.map(toKalturaMetadataProfile), totalCount: r.totalCount });
      },
    },
    {
      service,
      action: 'delete',
      params: [id],
      permissions: ['CUSTOM_DATA_PROFILE_DELETE', 'CUSTOM_DATA_FIELD_DELETE'],
      handler: async ({ args, principal, meta }) => {
        await s.metadata.deleteProfile(principal, Number(args.id), meta);
        return null;
      },
    },
  ];
}

export function metadataActions(s: Pick<KalturaServices, 'metadata'>): ActionDef[] {
  const service = 'metadata_metadata';
  return [
    {
      service,
      action: 'add',
      params: [
        { name: 'metadataProfileId', type: T.int },
        { name: 'objectType', type: MetadataObjectTypeEnum },
        { name: 'objectId', type: T.string },
        { name: 'xmlData', type: T.string },
      ],
      permissions: ['CUSTOM_DATA_FIELD_ADD', 'BASE_USER_SESSION_PERMISSION'],
      handler: async ({ args, principal, meta }) =>
        toKalturaMetadata(await s.metadata.add(principal, Number(args.metadataProfileId), String(args.objectType), String(args.objectId), String(args.xmlData), meta)),
    },
    {
      service,
      action: 'get',
      params: [id],
      permissions: ['CONTENT_MANAGE_BASE', 'BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION'],
      handler: async ({ args, principal }) => toKalturaMetadata(await s.metadata.get(principal, Number(args.id))),
    },
    {
      service,
      action: 'list',
      params: [{ name: 'filter', type: T.object('KalturaMetadataFilter'), optional: true, default: null }, pager],
      permissions: ['CONTENT_MANAGE_BASE', 'KMC_READ_ONLY', 'BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION', 'PLAYBACK_BASE_PERMISSION'],
      handler: async ({ args, principal }) => {
        const r = await s.metadata.list(principal, metadataFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaMetadataListResponse', { objects: r.objects.map(toKalturaMetadata), totalCount: r.totalCount });
      },
    },
    {
      service,
      action: 'update',
      params: [id, { name: 'xmlData', type: T.string, optional: true, default: null }, { name: 'version', type: T.int, optional: true, default: null }],
      permissions: ['CUSTOM_DATA_FIELD_UPDATE', 'BASE_USER_SESSION_PERMISSION'],
      handler: async ({ args, principal, meta }) => toKalturaMetadata(await s.metadata.update(principal, Number(args.id), String(args.xmlData ?? ''), Number(args.version ?? 0), meta)),
    },
    {
      service,
      action: 'delete',
      params: [id],
      permissions: ['CUSTOM_DATA_FIELD_DELETE', 'BASE_USER_SESSION_PERMISSION'],
      handler: async ({ args, principal, meta }) => {
        await s.metadata.delete(principal, Number(args.id), meta);
        return null;
      },
    },
  ];
}
