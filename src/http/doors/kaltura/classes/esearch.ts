/**
 * Kaltura's Elasticsearch searches as far as Gatehouse answers them (issue 20):
 * `elasticsearch_esearch.searchUser` (kmc-ng asks whether a new user's id is an external user's)
 * and `searchEntry` (Content › Rooms, scripts), with the items, operators and order that
 * actions/esearch*.ts turn into the list filters.
 */
import { defineClass, T } from '../wire/types.js';

defineClass({ name: 'KalturaPager', parent: 'KalturaObjectBase', props: [{ name: 'pageSize', type: T.int }, { name: 'pageIndex', type: T.int }] });
defineClass({ name: 'KalturaESearchBaseItem', parent: 'KalturaObjectBase', abstract: true, props: [] });
defineClass({ name: 'KalturaESearchUserBaseItem', parent: 'KalturaESearchBaseItem', abstract: true, props: [] });
defineClass({
  name: 'KalturaESearchUserItem',
  parent: 'KalturaESearchUserBaseItem',
  props: [
    { name: 'fieldName', type: T.string },
    { name: 'searchTerm', type: T.string },
    { name: 'itemType', type: T.int },
    { name: 'addHighlight', type: T.bool },
  ],
});
defineClass({
  name: 'KalturaESearchUserOperator',
  parent: 'KalturaESearchUserBaseItem',
  props: [
    { name: 'operator', type: T.int },
    { name: 'searchItems', type: T.array('KalturaESearchUserBaseItem') },
  ],
});
defineClass({ name: 'KalturaESearchOrderByItem', parent: 'KalturaObjectBase', abstract: true, props: [{ name: 'sortOrder', type: T.string }] });
defineClass({ name: 'KalturaESearchOrderBy', parent: 'KalturaObjectBase', props: [{ name: 'orderItems', type: T.array('KalturaESearchOrderByItem') }] });
defineClass({
  name: 'KalturaESearchParams',
  parent: 'KalturaObjectBase',
  abstract: true,
  props: [
    { name: 'objectStatuses', type: T.string },
    { name: 'objectId', type: T.string },
    { name: 'orderBy', type: T.object('KalturaESearchOrderBy') },
    { name: 'ignoreSynonym', type: T.bool },
  ],
});
defineClass({ name: 'KalturaESearchUserParams', parent: 'KalturaESearchParams', props: [{ name: 'searchOperator', type: T.object('KalturaESearchUserOperator') }] });
defineClass({ name: 'KalturaESearchRange', parent: 'KalturaObjectBase', props: ['greaterThanOrEqual', 'lessThanOrEqual', 'greaterThan', 'lessThan'].map((name) => ({ name, type: T.int })) });
defineClass({ name: 'KalturaESearchEntryBaseItem', parent: 'KalturaESearchBaseItem', abstract: true, props: [] });
defineClass({
  name: 'KalturaESearchAbstractEntryItem',
  parent: 'KalturaESearchEntryBaseItem',
  abstract: true,
  props: [
    { name: 'searchTerm', type: T.string },
    { name: 'itemType', type: T.int },
    { name: 'range', type: T.object('KalturaESearchRange') },
    { name: 'addHighlight', type: T.bool },
  ],
});
defineClass({ name: 'KalturaESearchEntryItem', parent: 'KalturaESearchAbstractEntryItem', props: [{ name: 'fieldName', type: T.string }] });
defineClass({ name: 'KalturaESearchUnifiedItem', parent: 'KalturaESearchAbstractEntryItem', props: [] });
defineClass({
  name: 'KalturaESearchEntryOperator',
  parent: 'KalturaESearchEntryBaseItem',
  props: [
    { name: 'operator', type: T.int },
    { name: 'searchItems', type: T.array('KalturaESearchEntryBaseItem') },
  ],
});
defineClass({ name: 'KalturaESearchEntryOrderByItem', parent: 'KalturaESearchOrderByItem', props: [{ name: 'sortField', type: T.string }] });
defineClass({ name: 'KalturaESearchEntryParams', parent: 'KalturaESearchParams', props: [{ name: 'searchOperator', type: T.object('KalturaESearchEntryOperator') }] });
defineClass({ name: 'KalturaESearchEntryResult', parent: 'KalturaObjectBase', props: [{ name: 'object', type: T.object('KalturaBaseEntry'), readonly: true }] });
defineClass({
  name: 'KalturaESearchEntryResponse',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'totalCount', type: T.int, readonly: true },
    { name: 'objects', type: T.array('KalturaESearchEntryResult'), readonly: true },
  ],
});
defineClass({
  name: 'KalturaESearchUserResult',
  parent: 'KalturaObjectBase',
  props: [{ name: 'object', type: T.object('KalturaUser'), readonly: true }],
});
defineClass({
  name: 'KalturaESearchUserResponse',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'totalCount', type: T.int, readonly: true },
    { name: 'objects', type: T.array('KalturaESearchUserResult'), readonly: true },
  ],
});
