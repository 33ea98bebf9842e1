import { defineClass, T } from '../wire/types.js';
import { SessionTypeEnum } from './enums.js';

defineClass({
  name: 'KalturaSessionInfo',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'ks', type: T.string, readonly: true },
    { name: 'sessionType', type: SessionTypeEnum, readonly: true },
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'userId', type: T.string, readonly: true },
    { name: 'expiry', type: T.int, readonly: true },
    { name: 'privileges', type: T.string, readonly: true },
  ],
});

defineClass({
  name: 'KalturaStartWidgetSessionResponse',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'partnerId', type: T.int, readonly: true },
    { name: 'ks', type: T.string, readonly: true },
    { name: 'userId', type: T.string, readonly: true },
  ],
});
