/**
 * KalturaBaseEntry / KalturaMediaEntry (metadata only) with their filters, and the
 * baseEntry.getContextData types (protocol §5.5). Only the properties Gatehouse keeps are declared;
 * others a client sends are ignored, as the server ignores unknown properties.
 */
import { defineClass, T } from '../wire/types.js';
import { defineListResponse } from './common.js';

export const EntryStatusEnum = T.stringEnum('KalturaEntryStatus', ['-2', '-1', '0', '1', '2', '3', '4', '5', '6', '7', 'virusScan.Infected', 'virusScan.ScanFailure']);
export const EntryTypeEnum = T.stringEnum('KalturaEntryType', ['-1', '1', '2', '5', '6', '7', '8', '10', 'conference.CONFERENCE_ENTRY_SERVER', 'externalMedia.externalMedia', 'room.room', 'sip.SIP_ENTRY_SERVER']);
export const MediaTypeEnum = T.intEnum('KalturaMediaType', [1, 2, 5, 201, 202, 203, 204]);
const ORDER_FIELDS = ['createdAt', 'endDate', 'moderationCount', 'name', 'partnerSortValue', 'rank', 'recent', 'startDate', 'totalRank', 'updatedAt', 'weight'];
const MEDIA_ORDER_FIELDS = [...ORDER_FIELDS, 'duration', 'lastPlayedAt', 'mediaType', 'plays', 'views'];
const orderBy = (name: string, fields: string[]) => T.stringEnum(name, fields.flatMap((f) => [`+${f}`, `-${f}`]));

defineClass({
  name: 'KalturaBaseEntry',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'id', type: T.string, readonly: true },
    { name: 'name', type: T.string },
    { name: 'description', type: T.string },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'userId', type: T.string },
    { name: 'creatorId', type: T.string, readonly: true },
    { name: 'tags', type: T.string },
    { name: 'status', type: EntryStatusEnum, readonly: true },
    { name: 'type', type: EntryTypeEnum, insertOnly: true },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'updatedAt', type: T.time, readonly: true },
    { name: 'accessControlId', type: T.int },
    { name: 'startDate', type: T.time },
    { name: 'endDate', type: T.time },
    // Gatehouse has no moderation queue: every entry is as the real server's auto-approved ones.
    { name: 'moderationStatus', type: T.intEnum('KalturaEntryModerationStatus', [1, 2, 3, 5, 6]), readonly: true },
  ],
});
defineClass({
  name: 'KalturaPlayableEntry',
  parent: 'KalturaBaseEntry',
  // No media is stored: these are the real server's values for an entry without content.
  props: [
    { name: 'plays', type: T.int, readonly: true },
    { name: 'views', type: T.int, readonly: true },
    { name: 'duration', type: T.int, readonly: true },
    { name: 'msDuration', type: T.int, readonly: true },
  ],
});
defineClass({
  name: 'KalturaMediaEntry',
  parent: 'KalturaPlayableEntry',
  props: [
    { name: 'mediaType', type: MediaTypeEnum, insertOnly: true },
    // Read-only on the real server (derived from the stored flavors). Gatehouse stores no media,
    // so the publisher states them here for the limit-flavors action to act on.
    { name: 'flavorParamsIds', type: T.string },
  ],
});
defineListResponse('KalturaBaseEntryListResponse', 'KalturaBaseEntry');
defineListResponse('KalturaMediaListResponse', 'KalturaMediaEntry');

defineClass({
  name: 'KalturaBaseEntryFilter',
  parent: 'KalturaRelatedFilter',
  props: [
    { name: 'orderBy', type: orderBy('KalturaBaseEntryOrderBy', ORDER_FIELDS) },
    { name: 'idEqual', type: T.string },
    { name: 'idIn', type: T.string },
    { name: 'idNotIn', type: T.string },
    { name: 'nameLike', type: T.string },
    { name: 'nameEqual', type: T.string },
    { name: 'userIdEqual', type: T.string },
    { name: 'userIdIn', type: T.string },
    { name: 'tagsLike', type: T.string },
    { name: 'freeText', type: T.string },
    { name: 'statusEqual', type: EntryStatusEnum },
    { name: 'statusIn', type: T.string },
    { name: 'accessControlIdEqual', type: T.int },
    { name: 'accessControlIdIn', type: T.string },
    { name: 'createdAtGreaterThanOrEqual', type: T.time },
    { name: 'createdAtLessThanOrEqual', type: T.time },
    { name: 'updatedAtGreaterThanOrEqual', type: T.time },
    { name: 'updatedAtLessThanOrEqual', type: T.time },
    { name: 'startDateGreaterThanOrEqual', type: T.time },
    { name: 'startDateLessThanOrEqual', type: T.time },
    { name: 'endDateGreaterThanOrEqual', type: T.time },
    { name: 'endDateLessThanOrEqual', type: T.time },
  ],
});
defineClass({ name: 'KalturaPlayableEntryFilter', parent: 'KalturaBaseEntryFilter', props: [] });
defineClass({
  name: 'KalturaMediaEntryFilter',
  parent: 'KalturaPlayableEntryFilter',
  props: [
    { name: 'orderBy', type: orderBy('KalturaMediaEntryOrderBy', MEDIA_ORDER_FIELDS) },
    { name: 'mediaTypeEqual', type: MediaTypeEnum },
    { name: 'mediaTypeIn', type: T.string },
  ],
});

defineClass({
  name: 'KalturaKeyValue',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'key', type: T.string },
    { name: 'value', type: T.string },
  ],
});

defineClass({
  name: 'KalturaAccessControlScope',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'referrer', type: T.string },
    { name: 'ip', type: T.string },
    { name: 'ks', type: T.string },
    { name: 'userAgent', type: T.string },
    { name: 'time', type: T.time },
    { name: 'contexts', type: T.array('KalturaAccessControlContextTypeHolder') },
    { name: 'hashes', type: T.array('KalturaKeyValue') },
  ],
});
defineClass({
  name: 'KalturaEntryContextDataParams',
  parent: 'KalturaAccessControlScope',
  props: [
    { name: 'flavorAssetId', type: T.string },
    { name: 'flavorTags', type: T.string },
    { name: 'streamerType', type: T.string },
    { name: 'mediaProtocol', type: T.string },
  ],
});

defineClass({
  name: 'KalturaContextDataResult',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'messages', type: T.array('KalturaString') },
    { name: 'actions', type: T.array('KalturaRuleAction') },
  ],
});
defineClass({
  name: 'KalturaEntryContextDataResult',
  parent: 'KalturaContextDataResult',
  props: [
    { name: 'isSiteRestricted', type: T.bool },
    { name: 'isCountryRestricted', type: T.bool },
    { name: 'isSessionRestricted', type: T.bool },
    { name: 'isIpAddressRestricted', type: T.bool },
    { name: 'isUserAgentRestricted', type: T.bool },
    { name: 'previewLength', type: T.int },
    { name: 'isScheduledNow', type: T.bool },
    { name: 'isAdmin', type: T.bool },
    { name: 'streamerType', type: T.string },
    { name: 'mediaProtocol', type: T.string },
    { name: 'storageProfilesXML', type: T.string },
    { name: 'accessControlMessages', type: T.array('KalturaString') },
    { name: 'accessControlActions', type: T.array('KalturaRuleAction') },
    { name: 'flavorAssets', type: T.array('KalturaFlavorAsset') },
    { name: 'msDuration', type: T.int },
    { name: 'pluginData', type: T.map('KalturaPluginData') },
  ],
});
defineClass({ name: 'KalturaFlavorAsset', parent: 'KalturaObjectBase', props: [] });
defineClass({ name: 'KalturaPluginData', parent: 'KalturaObjectBase', props: [] });
