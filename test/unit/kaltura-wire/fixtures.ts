// Small classes shared by the kaltura-wire tests (registered once per test file's module graph).
import { T, defineClass } from '../../../src/http/doors/kaltura/wire/types.js';

export const STATUS = T.intEnum('KalturaTestStatus', [1, 2, 3]);
export const HASH = T.stringEnum('KalturaTestHashType', ['MD5', 'SHA1', 'SHA256']);

defineClass({ name: 'KalturaStringValue', props: [{ name: 'value', type: T.string }] });
defineClass({
  name: 'KalturaCondition',
  abstract: true,
  props: [
    { name: 'type', type: T.stringEnum('KalturaConditionType', ['1', '2']) },
    { name: 'not', type: T.bool },
  ],
});
defineClass({
  name: 'KalturaCountryCondition',
  parent: 'KalturaCondition',
  props: [{ name: 'values', type: T.array('KalturaStringValue') }],
});
defineClass({ name: 'KalturaUnrelated', props: [{ name: 'zzz', type: T.string }] });
defineClass({
  name: 'KalturaThing',
  props: [
    { name: 'id', type: T.string, readonly: true },
    { name: 'createdAt', type: T.time, readonly: true },
    { name: 'name', type: T.string },
    { name: 'count', type: T.int },
    { name: 'ratio', type: T.float },
    { name: 'enabled', type: T.bool },
    { name: 'status', type: STATUS },
    { name: 'hashType', type: HASH },
    { name: 'expiry', type: T.time },
    { name: 'externalId', type: T.string, insertOnly: true },
    { name: 'password', type: T.string, writeOnly: true },
    { name: 'condition', type: T.object('KalturaCondition') },
    { name: 'conditions', type: T.array('KalturaCondition') },
    { name: 'tags', type: T.map('KalturaStringValue') },
    { name: 'child', type: T.object('KalturaThing') },
  ],
});
defineClass({ name: 'KalturaSpecialThing', parent: 'KalturaThing', props: [{ name: 'special', type: T.string }] });
