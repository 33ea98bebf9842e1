/**
 * Classes of the features Gatehouse does not run — ingestion's bulk uploads and drop folders,
 * transcoding's flavor params, partner feature flags — declared so their list calls answer with
 * objects of the right types, as the real server answers a partner that has none (issue 20).
 */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';

// partner.listFeatureStatus: the feature flags being switched on (none here).
defineClass({
  name: 'KalturaFeatureStatus',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'type', type: T.int },
    { name: 'value', type: T.int },
  ],
});
defineListResponse('KalturaFeatureStatusListResponse', 'KalturaFeatureStatus');

defineClass({ name: 'KalturaBulkUpload', parent: 'KalturaObjectBase', props: [{ name: 'id', type: T.bigint, readonly: true }] });
defineListResponse('KalturaBulkUploadListResponse', 'KalturaBulkUpload');
defineClass({ name: 'KalturaBulkUploadFilter', parent: 'KalturaFilter', props: [] });

defineClass({ name: 'KalturaDropFolder', parent: 'KalturaObjectBase', props: [{ name: 'id', type: T.int, readonly: true }] });
defineListResponse('KalturaDropFolderListResponse', 'KalturaDropFolder');
defineClass({ name: 'KalturaDropFolderFilter', parent: 'KalturaFilter', props: [] });

defineClass({
  name: 'KalturaFlavorParams',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.int, readonly: true },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'name', type: T.string },
    { name: 'systemName', type: T.string },
    { name: 'description', type: T.string },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'isSystemDefault', type: T.int, readonly: true },
    { name: 'tags', type: T.string },
    { name: 'format', type: T.string },
  ],
});
defineListResponse('KalturaFlavorParamsListResponse', 'KalturaFlavorParams');
defineClass({ name: 'KalturaFlavorParamsFilter', parent: 'KalturaFilter', props: [] });

// Settings › Integration lists content-distribution profiles and Zoom and Webex vendor
// integrations; Gatehouse distributes nothing and records no meetings: none of either.
defineClass({ name: 'KalturaDistributionProfile', parent: 'KalturaObjectBase', props: [{ name: 'id', type: T.int, readonly: true }] });
defineListResponse('KalturaDistributionProfileListResponse', 'KalturaDistributionProfile');
defineClass({ name: 'KalturaDistributionProfileFilter', parent: 'KalturaFilter', props: [] });
defineClass({ name: 'KalturaZoomIntegrationSetting', parent: 'KalturaObjectBase', props: [{ name: 'id', type: T.string, readonly: true }] });
defineListResponse('KalturaZoomIntegrationSettingResponse', 'KalturaZoomIntegrationSetting');
defineClass({ name: 'KalturaWebexAPIIntegrationSetting', parent: 'KalturaObjectBase', props: [{ name: 'id', type: T.string, readonly: true }] });
defineListResponse('KalturaWebexAPIIntegrationSettingResponse', 'KalturaWebexAPIIntegrationSetting');

// Content › Documents: Gatehouse converts and stores no documents, so it has no document entries.
defineClass({ name: 'KalturaDocumentEntry', parent: 'KalturaObjectBase', props: [{ name: 'id', type: T.string, readonly: true }] });
defineListResponse('KalturaDocumentListResponse', 'KalturaDocumentEntry');
defineClass({ name: 'KalturaDocumentEntryFilter', parent: 'KalturaFilter', props: [] });
