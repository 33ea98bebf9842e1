/**
 * The calls kmc-ng makes for features Gatehouse does not run (issue 20): each answers as the real
 * server answers a partner with none of them, so the console shows empty sections instead of
 * "Failed to prepare view". Nothing here reads or writes storage.
 */
import { pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import type { KalturaServices } from './deps.js';
import { kobj, T, type KObject } from '../wire/types.js';

/** A management-console session of any role may ask; the answers reveal nothing. */
const CONSOLE = ['KMC_ACCESS', 'KMC_READ_ONLY', 'CONTENT_MANAGE_BASE', 'ADMIN_BASE'];

/**
 * Kaltura's public system flavor params (partner 0), as every publisher of the hosted service
 * sees them. Gatehouse transcodes nothing; these are the ids its limit-flavors rules and entries'
 * flavorParamsIds speak of, listed so kmc-ng's access-control editor can name them.
 */
const SYSTEM_FLAVORS: ReadonlyArray<[id: number, name: string]> = [
  [0, 'Source'],
  [487041, 'Basic/Small - WEB/MBL (H264/400)'],
  [487051, 'Basic/Small - WEB/MBL (H264/600)'],
  [487061, 'SD/Small - WEB/MBL (H264/900)'],
  [487071, 'SD/Large - WEB/MBL (H264/1500)'],
  [487081, 'HD/720 - WEB (H264/2500)'],
  [487091, 'HD/1080 - WEB (H264/4000)'],
];

function flavorParams([id, name]: (typeof SYSTEM_FLAVORS)[number]): KObject {
  return kobj('KalturaFlavorParams', { id, partnerId: 0, name, description: name, isSystemDefault: 1, format: id === 0 ? '' : 'mp4' });
}

const empty = (listResponse: string) => async (): Promise<KObject> => kobj(listResponse, { objects: [], totalCount: 0 });

const listParams = (filterClass: string) =>
  [
    { name: 'filter', type: T.object(filterClass), optional: true, default: null },
    { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
  ] as const;

export function absentFeatureActions(s: Pick<KalturaServices, 'entries'>): ActionDef[] {
  return [
    // No partner feature is switched on (or being switched on) in Gatehouse.
    { service: 'partner', action: 'listFeatureStatus', params: [], permissions: CONSOLE, handler: empty('KalturaFeatureStatusListResponse') },
    { service: 'bulkupload_bulk', action: 'list', params: listParams('KalturaBulkUploadFilter'), permissions: CONSOLE, handler: empty('KalturaBulkUploadListResponse') },
    { service: 'dropfolder_dropfolder', action: 'list', params: listParams('KalturaDropFolderFilter'), permissions: CONSOLE, handler: empty('KalturaDropFolderListResponse') },
    { service: 'document_documents', action: 'list', params: listParams('KalturaDocumentEntryFilter'), permissions: CONSOLE, handler: empty('KalturaDocumentListResponse') },
    // Settings › Integration: no distribution profiles, no Zoom or Webex accounts connected.
    { service: 'contentdistribution_distributionprofile', action: 'list', params: listParams('KalturaDistributionProfileFilter'), permissions: CONSOLE, handler: empty('KalturaDistributionProfileListResponse') },
    { service: 'vendor_zoomvendor', action: 'list', params: [{ name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null }], permissions: CONSOLE, handler: empty('KalturaZoomIntegrationSettingResponse') },
    { service: 'webexapidropfolder_webexvendor', action: 'list', params: [{ name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null }], permissions: CONSOLE, handler: empty('KalturaWebexAPIIntegrationSettingResponse') },
    {
      service: 'flavorparams',
      action: 'list',
      params: listParams('KalturaFlavorParamsFilter'),
      permissions: CONSOLE,
      handler: async ({ args }) => {
        const { pageSize, pageIndex } = pageOf(args.pager);
        const page = SYSTEM_FLAVORS.slice((pageIndex - 1) * pageSize, pageIndex * pageSize);
        return kobj('KalturaFlavorParamsListResponse', { objects: page.map(flavorParams), totalCount: SYSTEM_FLAVORS.length });
      },
    },
    {
      // An entry without stored media has no flavor assets; the entry itself must be one the caller may read.
      service: 'flavorasset',
      action: 'getFlavorAssetsWithParams',
      params: [{ name: 'entryId', type: T.string }],
      permissions: ['CONTENT_MANAGE_BASE', 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => {
        await s.entries.get(principal, String(args.entryId));
        return [];
      },
    },
  ];
}
