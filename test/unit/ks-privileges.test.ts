import { describe, it, expect } from 'vitest';
import {
  actionsLimitOf,
  buildPrivileges,
  checkKsStatic,
  parsePrivileges,
  PRIV,
  privilegeValue,
  RESERVED_PRIVILEGES,
  verifyPrivilege,
} from '../../src/core/ks/index.js';
import type { ParsedKs } from '../../src/core/ks/index.js';

describe('parsePrivileges / buildPrivileges (§2.5)', () => {
  it('splits items, trims, skips empties and splits values on /', () => {
    const m = parsePrivileges(' sview:0_a , ,list:*,edit:1/2,enableentitlement,*,');
    expect([...m]).toEqual([
      ['sview', ['0_a']],
      ['list', ['*']],
      ['edit', ['1', '2']],
      ['enableentitlement', []],
      ['*', []],
    ]);
  });

  it('merges duplicate names in first position', () => {
    const m = parsePrivileges('sview:1,list:*,sview:2/3');
    expect([...m.keys()]).toEqual(['sview', 'list']);
    expect(m.get('sview')).toEqual(['1', '2', '3']);
  });

  it('keeps everything after the first colon as the value', () => {
    expect(parsePrivileges('iprestrict:::1').get('iprestrict')).toEqual(['::1']);
  });

  it('builds name:v1/v2 or bare names joined by commas', () => {
    expect(buildPrivileges(parsePrivileges('sview:1,sview:2,disableentitlement,urirestrict:/a/b*'))).toBe(
      'sview:1/2,disableentitlement,urirestrict:/a/b*',
    );
    expect(buildPrivileges(new Map())).toBe('');
  });

  it('re-joins URI values with /', () => {
    const m = parsePrivileges('urirestrict:/api_v3/service/media/*|/p/1/*,list');
    expect(privilegeValue(m, 'urirestrict')).toBe('/api_v3/service/media/*|/p/1/*');
    expect(privilegeValue(m, 'list')).toBe('');
    expect(privilegeValue(m, 'edit')).toBeUndefined();
  });
});

describe('verifyPrivilege (ks::verifyPrivileges)', () => {
  const check = (raw: string, name: string, value?: string) => verifyPrivilege(raw, parsePrivileges(raw), name, value);

  it('without a value is a substring test of the name', () => {
    expect(check('enableentitlement', 'enableentitlement')).toBe(true);
    expect(check('disableentitlementforentry:1', 'disableentitlement')).toBe(true);
    expect(check('list:*', 'edit')).toBe(false);
    expect(check('list:*', 'edit', '')).toBe(false);
  });

  it('grants everything to a * session only when it is exactly *', () => {
    expect(check('*', 'edit', '0_x')).toBe(true);
    expect(check('list:*,*', 'edit', '0_x')).toBe(false);
  });

  it('matches name:* and name:value as substrings', () => {
    expect(check('sview:*', 'sview', '0_x')).toBe(true);
    expect(check('sview:0_abc', 'sview', '0_ab')).toBe(true); // the server's substring quirk
    expect(check('xsview:0_abc', 'sview', '0_abc')).toBe(true);
    expect(check('sview:0_abc', 'sview', '0_abcd')).toBe(false);
  });

  it('matches any parsed value', () => {
    expect(check('sview:0_a/0_b', 'sview', '0_b')).toBe(true);
    expect(check('edit:0_a', 'sview', '0_a')).toBe(false);
  });
});

describe('privilege catalogue (§2.6)', () => {
  it('reserves every PRIVILEGE_* constant and nothing else', () => {
    expect(RESERVED_PRIVILEGES.size).toBe(33);
    for (const p of ['edit', 'sview', 'list', 'download', 'downloadasset', 'editplaylist', 'sviewplaylist', 'actionslimit', 'setrole', 'restrictingrole', 'limitentry', 'iprestrict', 'urirestrict', 'enableentitlement', 'disableentitlement', 'disableentitlementforentry', 'disableentitlementforplaylist', 'privacycontext', 'enablecategorymoderation', 'enablecaptionmoderation', 'reftime', 'sessionkey', 'preview', 'sessionid', 'jobtype', 'apptoken', 'enablechangeaccount', 'edituser', 'editadmintags', 'restrictexplicitliveview', 'virtualeventid', 'searchcontext', 'disablesessiontypecheck']) {
      expect(RESERVED_PRIVILEGES.has(p), p).toBe(true);
    }
    for (const p of ['widget', 'view', '*', 'all', 'custom']) expect(RESERVED_PRIVILEGES.has(p), p).toBe(false);
  });

  it('names constants after the wire', () => {
    expect(PRIV.actionslimit).toBe('actionslimit');
    expect(PRIV.wildcard).toBe('*');
    expect(PRIV.widget).toBe('widget');
  });
});

function ks(privileges: string, validUntil = 2000): ParsedKs {
  return { partnerId: 1, validUntil, type: 0, userId: 'u', privileges, masterPartnerId: null, additionalData: null, version: 2, rand: '', hash: '', secretIndex: 0 };
}
const ctx = { nowSec: 1000, clientIp: '10.0.0.1', uri: '/api_v3/service/media/action/list' };
const run = (privileges: string, validUntil?: number, over: Partial<typeof ctx> = {}) =>
  checkKsStatic(ks(privileges, validUntil), parsePrivileges(privileges), { ...ctx, ...over });

describe('checkKsStatic (§2.7)', () => {
  it('accepts an unrestricted live KS', () => {
    expect(run('')).toEqual({ ok: true });
  });

  it('expires when valid_until <= now', () => {
    expect(run('', 1000)).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(run('', 1001)).toEqual({ ok: true });
  });

  it('checks iprestrict by exact match of any listed address', () => {
    expect(run('iprestrict:10.0.0.2/10.0.0.1')).toEqual({ ok: true });
    expect(run('iprestrict:10.0.0.10')).toEqual({ ok: false, reason: 'EXCEEDED_RESTRICTED_IP' });
    expect(run('iprestrict:10.0.0.0/8')).toEqual({ ok: false, reason: 'EXCEEDED_RESTRICTED_IP' });
    expect(run('iprestrict:::1', undefined, { clientIp: '::1' })).toEqual({ ok: true });
    expect(run('iprestrict')).toEqual({ ok: false, reason: 'EXCEEDED_RESTRICTED_IP' });
  });

  it('checks urirestrict by exact match or * prefix', () => {
    expect(run('urirestrict:/api_v3/service/media/*')).toEqual({ ok: true });
    expect(run('urirestrict:/p/*|/api_v3/service/media/action/list')).toEqual({ ok: true });
    expect(run('urirestrict:/api_v3/service/media')).toEqual({ ok: false, reason: 'EXCEEDED_RESTRICTED_URI' });
    expect(run('urirestrict:/p/*|/other')).toEqual({ ok: false, reason: 'EXCEEDED_RESTRICTED_URI' });
  });

  it('reports the first failure in server order', () => {
    const all = 'iprestrict:1.1.1.1,urirestrict:/x';
    expect(run(all, 5)).toEqual({ ok: false, reason: 'EXPIRED' });
    expect(run(all)).toEqual({ ok: false, reason: 'EXCEEDED_RESTRICTED_IP' });
    expect(run(all, undefined, { clientIp: '1.1.1.1' })).toEqual({ ok: false, reason: 'EXCEEDED_RESTRICTED_URI' });
  });
});

describe('actionsLimitOf', () => {
  it.each([
    ['', { kind: 'none' }],
    ['actionslimit:5', { kind: 'limit', n: 5 }],
    ['list:*,actionslimit:1', { kind: 'limit', n: 1 }],
    ['actionslimit:0', { kind: 'invalid' }],
    ['actionslimit:-1', { kind: 'invalid' }],
    ['actionslimit:abc', { kind: 'invalid' }],
    ['actionslimit:2.5', { kind: 'invalid' }],
    ['actionslimit', { kind: 'invalid' }],
    ['actionslimit:3/4', { kind: 'invalid' }],
    ['actionslimit:99999999999999999999', { kind: 'invalid' }],
  ])('%j → %j', (privileges, expected) => {
    expect(actionsLimitOf(parsePrivileges(privileges))).toEqual(expected);
  });
});
