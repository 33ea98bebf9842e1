/**
 * Kaltura's Elasticsearch user search (`elasticsearch_esearch.searchUser`), as far as Gatehouse
 * answers it: items on user fields, joined with AND or OR (issue 20: kmc-ng asks it whether a
 * new user's id is an external user's).
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
defineClass({
  name: 'KalturaESearchUserParams',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'objectStatuses', type: T.string },
    { name: 'objectId', type: T.string },
    { name: 'searchOperator', type: T.object('KalturaESearchUserOperator') },
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
