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
