/** KalturaMetadataProfile and KalturaMetadata (the metadata plugin), entries only. */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';

export const MetadataObjectTypeEnum = T.stringEnum('KalturaMetadataObjectType', ['1', '2', '3', '4', '5', '6', 'adCuePointMetadata.AdCuePoint', 'annotationMetadata.Annotation', 'codeCuePointMetadata.CodeCuePoint', 'quiz.AnswerCuePoint', 'quiz.QuestionCuePoint', 'thumbCuePointMetadata.thumbCuePoint']);
export const MetadataProfileStatusEnum = T.intEnum('KalturaMetadataProfileStatus', [1, 2, 3]);
export const MetadataStatusEnum = T.intEnum('KalturaMetadataStatus', [1, 2, 3]);
const timeOrder = (name: string, extra: string[] = []) => T.stringEnum(name, ['createdAt', 'updatedAt', ...extra].flatMap((f) => [`+${f}`, `-${f}`]));

defineClass({
  name: 'KalturaMetadataProfile',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.int, readonly: true },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'metadataObjectType', type: MetadataObjectTypeEnum },
    { name: 'version', type: T.int, readonly: true },
    { name: 'name', type: T.string },
    { name: 'systemName', type: T.string },
    { name: 'description', type: T.string },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
    { name: 'status', type: MetadataProfileStatusEnum, readonly: true },
    { name: 'xsd', type: T.string, readonly: true },
    { name: 'views', type: T.string, readonly: true },
    { name: 'xslt', type: T.string, readonly: true },
    { name: 'createMode', type: T.intEnum('KalturaMetadataProfileCreateMode', [1, 2, 3]) },
  ],
});
defineListResponse('KalturaMetadataProfileListResponse', 'KalturaMetadataProfile');

defineClass({
  name: 'KalturaMetadataProfileFilter',
  parent: 'KalturaFilter',
  props: [
    { name: 'orderBy', type: timeOrder('KalturaMetadataProfileOrderBy') },
    { name: 'idEqual', type: T.int },
    { name: 'partnerIdEqual', type: T.int },
    { name: 'metadataObjectTypeEqual', type: MetadataObjectTypeEnum },
    { name: 'metadataObjectTypeIn', type: T.string },
    { name: 'nameEqual', type: T.string },
    { name: 'systemNameEqual', type: T.string },
    { name: 'systemNameIn', type: T.string },
    { name: 'statusEqual', type: MetadataProfileStatusEnum },
    { name: 'statusIn', type: T.string },
    { name: 'createdAtGreaterThanOrEqual', type: T.time },
    { name: 'createdAtLessThanOrEqual', type: T.time },
    { name: 'updatedAtGreaterThanOrEqual', type: T.time },
    { name: 'updatedAtLessThanOrEqual', type: T.time },
  ],
});

defineClass({
  name: 'KalturaMetadata',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.int, readonly: true },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'metadataProfileId', type: T.int, readonly: true },
    { name: 'metadataProfileVersion', type: T.int, readonly: true },
    { name: 'metadataObjectType', type: MetadataObjectTypeEnum, readonly: true },
    { name: 'objectId', type: T.string, readonly: true },
    { name: 'version', type: T.int, readonly: true },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
    { name: 'status', type: MetadataStatusEnum, readonly: true },
    { name: 'xml', type: T.string, readonly: true },
  ],
});
defineListResponse('KalturaMetadataListResponse', 'KalturaMetadata');

defineClass({
  name: 'KalturaMetadataFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'orderBy', type: timeOrder('KalturaMetadataOrderBy', ['metadataProfileVersion', 'version']) },
    { name: 'partnerIdEqual', type: T.int },
    { name: 'metadataProfileIdEqual', type: T.int },
    { name: 'metadataProfileIdIn', type: T.string },
    { name: 'metadataObjectTypeEqual', type: MetadataObjectTypeEnum },
    { name: 'objectIdEqual', type: T.string },
    { name: 'objectIdIn', type: T.string },
    { name: 'versionEqual', type: T.int },
    { name: 'statusEqual', type: MetadataStatusEnum },
    { name: 'statusIn', type: T.string },
    { name: 'createdAtGreaterThanOrEqual', type: T.time },
    { name: 'createdAtLessThanOrEqual', type: T.time },
    { name: 'updatedAtGreaterThanOrEqual', type: T.time },
    { name: 'updatedAtLessThanOrEqual', type: T.time },
  ],
});
