/** Session, entry and field conditions: table-driven, each case also checked with `not`. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RuleCompileError } from '../../../src/core/access/compile.js';
import { Comparison, type ConditionSpec, type FieldSpec } from '../../../src/core/access/model.js';
import { metadataFieldName } from '../../../src/core/access/xpath.js';
import { adminSession, entry, fires, NOW, profile, rule, scope, session } from './support.js';

type Scope = ReturnType<typeof scope>;

function expectBoth(c: ConditionSpec, s: Scope, expected: boolean, now = NOW) {
  expect(fires(c, s, now)).toBe(expected);
  expect(fires({ ...c, not: !c.not } as ConditionSpec, s, now)).toBe(!expected);
}

describe('authenticated condition', () => {
  const auth = (privileges: string[] = []): ConditionSpec => ({ type: 'authenticated', not: false, privileges });
  const e = entry({ id: '0_abc' });
  it.each<[string, string[], Scope, boolean]>([
    ['no session', [], scope({ entry: e }), false],
    ['ADMIN session', [], scope({ entry: e, session: adminSession() }), true],
    ['default privileges: sview:*', [], scope({ entry: e, session: session({ privileges: 'sview:*' }) }), true],
    ['default privileges: sview:<entry>', [], scope({ entry: e, session: session({ privileges: 'sview:0_abc' }) }), true],
    ['default privileges: sview of another entry', [], scope({ entry: e, session: session({ privileges: 'sview:0_zzz' }) }), false],
    ['default privileges: second value of sview', [], scope({ entry: e, session: session({ privileges: 'sview:0_zzz/0_abc' }) }), true],
    ['Kaltura substring quirk: sview:0_ab granted by sview:0_abc', [], scope({ entry: entry({ id: '0_ab' }), session: session({ privileges: 'sview:0_abc' }) }), true],
    ['default privileges: sviewplaylist:*', [], scope({ entry: e, session: session({ privileges: 'sviewplaylist:*' }) }), true],
    ['session with no privileges', [], scope({ entry: e, session: session() }), false],
    ['wildcard session', [], scope({ entry: e, session: session({ privileges: '*' }) }), true],
    ['listed privilege', ['download'], scope({ entry: e, session: session({ privileges: 'download:0_abc' }) }), true],
    ['listed privilege missing', ['download'], scope({ entry: e, session: session({ privileges: 'sview:*' }) }), false],
    ['widget privilege checks widget:1', ['widget'], scope({ entry: e, session: session({ privileges: 'widget:1,view:*' }) }), true],
    ['widget privilege, other value', ['widget'], scope({ entry: e, session: session({ privileges: 'widget:2' }) }), false],
    ['no entry: substring test of the name', [], scope({ entry: null, session: session({ privileges: 'sview:0_x' }) }), true],
  ])('%s', (_name, privileges, s, expected) => {
    expectBoth(auth(privileges), s, expected);
  });
});

describe('fieldMatch condition', () => {
  const fm = (field: FieldSpec, values: string[]): ConditionSpec => ({ type: 'fieldMatch', not: false, field, values, matchType: 2 });
  it.each<[string, FieldSpec, string[], Scope, boolean]>([
    ['country', { kind: 'country' }, ['US'], scope(), true],
    ['country unknown', { kind: 'country' }, ['US'], scope({ ip: '10.0.0.1' }), false],
    ['ip', { kind: 'ip' }, ['203.0.113.10'], scope(), true],
    ['user agent, exact', { kind: 'userAgent' }, ['curl/8.0'], scope({ userAgent: 'curl/8.0' }), true],
    ['user agent, not a regex', { kind: 'userAgent' }, ['curl'], scope({ userAgent: 'curl/8.0' }), false],
    ['user email', { kind: 'userEmail' }, ['viewer@example.com'], scope({ session: session() }), true],
    ['user email, no session', { kind: 'userEmail' }, ['viewer@example.com'], scope(), false],
    ['time with offset', { kind: 'time', offset: 10 }, [String(NOW + 10)], scope(), true],
    ['object id', { kind: 'objectId' }, ['0_abc123'], scope(), true],
    ['object id, no entry', { kind: 'objectId' }, ['0_abc123'], scope({ entry: null }), false],
    ['constant', { kind: 'constant', value: 'x' }, ['x'], scope(), true],
    ['strict equality (case)', { kind: 'constant', value: 'X' }, ['x'], scope(), false],
    ['no values ⇒ fulfilled', { kind: 'userEmail' }, [], scope(), true],
  ])('%s', (_name, field, values, s, expected) => {
    expectBoth(fm(field, values), s, expected);
  });
});

describe('fieldCompare condition', () => {
  const fc = (comparison: number, value: FieldSpec | number | null, field: FieldSpec = { kind: 'time', offset: 0 }): ConditionSpec => ({
    type: 'fieldCompare',
    not: false,
    field,
    comparison,
    value,
  });
  it.each<[string, ConditionSpec, boolean]>([
    ['EQUAL', fc(Comparison.EQUAL, NOW), true],
    ['EQUAL, other', fc(Comparison.EQUAL, NOW + 1), false],
    ['GREATER_THAN', fc(Comparison.GREATER_THAN, NOW - 1), true],
    ['GREATER_THAN, equal', fc(Comparison.GREATER_THAN, NOW), false],
    ['GREATER_THAN_OR_EQUAL', fc(Comparison.GREATER_THAN_OR_EQUAL, NOW), true],
    ['GREATER_THAN_OR_EQUAL, below', fc(Comparison.GREATER_THAN_OR_EQUAL, NOW + 1), false],
    ['LESS_THAN', fc(Comparison.LESS_THAN, NOW + 1), true],
    ['LESS_THAN, equal', fc(Comparison.LESS_THAN, NOW), false],
    ['LESS_THAN_OR_EQUAL', fc(Comparison.LESS_THAN_OR_EQUAL, NOW), true],
    ['LESS_THAN_OR_EQUAL, above', fc(Comparison.LESS_THAN_OR_EQUAL, NOW - 1), false],
    // Kaltura evaluates NOT_EQUAL as EQUAL; we implement "not equal" (deliberate difference).
    ['NOT_EQUAL, different', fc(Comparison.NOT_EQUAL, NOW + 1), true],
    ['NOT_EQUAL, same', fc(Comparison.NOT_EQUAL, NOW), false],
    ['time offset', fc(Comparison.EQUAL, NOW + 3600, { kind: 'time', offset: 3600 }), true],
    ['value null ⇒ fulfilled', fc(Comparison.EQUAL, null), true],
    ['field 0 ⇒ not fulfilled (PHP falsy)', fc(Comparison.LESS_THAN, 5, { kind: 'constant', value: '0' }), false],
    ['field not numeric ⇒ not fulfilled', fc(Comparison.EQUAL, 1, { kind: 'userAgent' }), false],
    ['value is a field', fc(Comparison.LESS_THAN, { kind: 'time', offset: 60 }), true],
    ['value field without a value ⇒ fulfilled', fc(Comparison.EQUAL, { kind: 'objectId' }), true],
  ])('%s', (_name, c, expected) => {
    const s = _name.startsWith('value field without') ? scope({ entry: null }) : scope();
    expectBoth(c, s, expected);
  });

  it('refuses unknown comparisons and non-numeric constants', () => {
    expect(() => profile([rule({ conditions: [fc(7, 1)] })])).toThrow(/unknown comparison/);
    expect(() => profile([rule({ conditions: [fc(1, { kind: 'constant', value: 'abc' })] })])).toThrow(RuleCompileError);
  });
});

describe('userRole condition', () => {
  const role = (roleIds: string[]): ConditionSpec => ({ type: 'userRole', not: false, roleIds });
  it.each<[string, string[], Scope, boolean]>([
    ['every role listed', ['1', '2'], scope({ session: session({ roleIds: ['2'] }) }), true],
    ['one role not listed', ['1'], scope({ session: session({ roleIds: ['1', '3'] }) }), false],
    ['comma string item', ['1, 3'], scope({ session: session({ roleIds: ['1', '3'] }) }), true],
    ['user without roles', ['1'], scope({ session: session({ roleIds: [] }) }), true],
    ['no session', ['1'], scope(), false],
  ])('%s', (_name, roleIds, s, expected) => {
    expectBoth(role(roleIds), s, expected);
  });
});

describe('or condition', () => {
  const us: ConditionSpec = { type: 'country', not: false, values: ['US'] };
  const ipad: ConditionSpec = { type: 'userAgent', not: false, values: ['iPad'] };
  const or = (conditions: ConditionSpec[]): ConditionSpec => ({ type: 'or', not: false, conditions });
  it.each<[string, ConditionSpec[], Scope, boolean]>([
    ['first holds', [us, ipad], scope(), true],
    ['second holds', [us, ipad], scope({ ip: '10.0.0.1', userAgent: 'iPad' }), true],
    ['none holds', [us, ipad], scope({ ip: '10.0.0.1' }), false],
    ['sub-condition with its own not', [{ ...us, not: true }], scope({ ip: '10.0.0.1' }), true],
    ['nested', [or([us])], scope(), true],
    ['empty OR is false', [], scope(), false],
  ])('%s', (_name, conditions, s, expected) => {
    expectBoth(or(conditions), s, expected);
  });

  it('refuses unknown sub-conditions with their path', () => {
    try {
      profile([rule({ conditions: [or([us, { type: 'nope' } as unknown as ConditionSpec])] })]);
      throw new Error('expected a refusal');
    } catch (err) {
      expect((err as RuleCompileError).path).toBe('rules[0].conditions[0].conditions[1]');
    }
  });
});

describe('hash condition', () => {
  const hash: ConditionSpec = { type: 'hash', not: false, hashName: 'token', hashSecret: 's3cret' };
  const s = session();
  const good = createHash('md5').update(`s3cret${s.raw}`).digest('hex');
  it.each<[string, Scope, boolean]>([
    ['missing hash ⇒ fulfilled', scope({ session: s }), true],
    ['wrong hash ⇒ fulfilled', scope({ session: s, hashes: { token: 'deadbeef' } }), true],
    ['right hash ⇒ not fulfilled', scope({ session: s, hashes: { token: good } }), false],
    ['other name ⇒ fulfilled', scope({ session: s, hashes: { other: good } }), true],
    ['no session hashes the empty KS', scope({ hashes: { token: createHash('md5').update('s3cret').digest('hex') } }), false],
    ['prototype names are not hashes', scope({ session: s, hashes: {} }), true],
  ])('%s', (_name, sc, expected) => {
    expectBoth(hash, sc, expected);
  });
});

describe('entryScheduled condition', () => {
  const sched: ConditionSpec = { type: 'entryScheduled', not: false };
  it.each<[string, Scope, boolean]>([
    ['no dates', scope({ entry: entry() }), true],
    ['inside the window', scope({ entry: entry({ startDate: NOW - 10, endDate: NOW + 10 }) }), true],
    ['on the edges', scope({ entry: entry({ startDate: NOW, endDate: NOW }) }), true],
    ['not started', scope({ entry: entry({ startDate: NOW + 1 }) }), false],
    ['ended', scope({ entry: entry({ endDate: NOW - 1 }) }), false],
    ['uses now, not the scope time', scope({ time: NOW + 1000, entry: entry({ endDate: NOW + 10 }) }), true],
    ['no entry', scope({ entry: null }), false],
  ])('%s', (_name, s, expected) => {
    expectBoth(sched, s, expected);
  });
});

describe('sessionType condition', () => {
  const st = (sessionType: number, not = false): ConditionSpec => ({ type: 'sessionType', not, sessionType });
  it.each<[string, ConditionSpec, Scope, boolean]>([
    ['USER session, USER wanted', st(0), scope({ session: session() }), true],
    ['USER session, ADMIN wanted', st(2), scope({ session: session() }), false],
    ['not inverts with a session', st(2, true), scope({ session: session() }), true],
    // Kaltura quirk: without a KS the condition is false whatever `not` says.
    ['no session', st(0), scope(), false],
    ['no session, not=true is still false', st(0, true), scope(), false],
    ['disablesessiontypecheck, not=true is still false', st(2, true), scope({ session: session({ privileges: 'disablesessiontypecheck' }) }), false],
  ])('%s', (_name, c, s, expected) => {
    expect(fires(c, s)).toBe(expected);
  });
});

describe('metadata conditions', () => {
  const md = (fields: Record<string, string[]>) => scope({ entry: entry({ metadata: { '123': fields } }) });
  const match = (values: string[], matchType = 2, xPath = 'AudioLanguage'): ConditionSpec => ({
    type: 'metadataMatch',
    not: false,
    profileId: 123,
    profileSystemName: null,
    xPath,
    values,
    matchType,
  });
  it.each<[string, ConditionSpec, Scope, boolean]>([
    ['short form', match(['French']), md({ AudioLanguage: ['French'] }), true],
    ['full path form', match(['French'], 2, '/metadata/AudioLanguage'), md({ '/': [], AudioLanguage: ['French'], '/AudioLanguage': ['French'] }), true],
    ['local-name form', match(['French'], 2, "/*[local-name()='metadata']/*[local-name()='AudioLanguage']"), md({ '/': [], AudioLanguage: ['French'], '/AudioLanguage': ['French'] }), true],
    // A leaf of that name deeper down: `//X` and `X` select it, `/metadata/X` does not.
    ['full path form, field nested deeper', match(['French'], 2, '/metadata/AudioLanguage'), md({ '/': [], AudioLanguage: ['French'] }), false],
    ['short form, field nested deeper', match(['French'], 2, '//AudioLanguage'), md({ '/': [], AudioLanguage: ['French'] }), true],
    ['other value', match(['French']), md({ AudioLanguage: ['German'] }), false],
    ['MATCH_ALL, one differs', match(['French']), md({ AudioLanguage: ['French', 'German'] }), false],
    ['MATCH_ANY, one matches', match(['French'], 1), md({ AudioLanguage: ['French', 'German'] }), true],
    ['field missing', match(['French']), md({}), false],
    ['profile missing', match(['French']), scope(), false],
    ['no entry', match(['French']), scope({ entry: null }), false],
    ['no values ⇒ fulfilled', match([]), scope({ entry: null }), true],
  ])('match: %s', (_name, c, s, expected) => {
    expectBoth(c, s, expected);
  });

  const cmp = (comparison: number, value: FieldSpec | number | null): ConditionSpec => ({
    type: 'metadataCompare',
    not: false,
    profileId: null,
    profileSystemName: 'devices',
    xPath: 'ipadSunrise',
    comparison,
    value,
  });
  const dev = (values: string[]) => scope({ entry: entry({ metadata: { devices: { ipadSunrise: values } } }) });
  it.each<[string, ConditionSpec, Scope, boolean]>([
    ['sunrise passed (LESS_THAN now)', cmp(Comparison.LESS_THAN, { kind: 'time', offset: 0 }), dev([String(NOW - 60)]), true],
    ['sunrise ahead', cmp(Comparison.LESS_THAN, { kind: 'time', offset: 0 }), dev([String(NOW + 60)]), false],
    ['every value must pass', cmp(Comparison.LESS_THAN, NOW), dev([String(NOW - 1), String(NOW + 1)]), false],
    ['item 0 is compared, not falsy', cmp(Comparison.LESS_THAN, 5), dev(['0']), true],
    ['no values (falsy field)', cmp(Comparison.LESS_THAN, 5), dev([]), false],
    ['non-numeric item', cmp(Comparison.EQUAL, 5), dev(['five']), false],
    ['value null ⇒ fulfilled', cmp(Comparison.EQUAL, null), scope({ entry: null }), true],
    ['field missing', cmp(Comparison.EQUAL, 5), scope(), false],
  ])('compare: %s', (_name, c, s, expected) => {
    expectBoth(c, s, expected);
  });

  it.each([
    ['/metadata/Field', '/Field'],
    ["/*[local-name()='metadata']/*[local-name()='Field']", '/Field'],
    ['/*[local-name()="metadata"]/*[local-name()="Field"]', '/Field'],
    ['Field', 'Field'],
    ['//Field', 'Field'],
    ['  my_field-2.x ', 'my_field-2.x'],
  ])('xPath %j → %j', (xPath, name) => {
    expect(metadataFieldName(xPath, 'p')).toBe(name);
  });

  it.each([['/metadata/a/b'], ['/other/Field'], ["//*[local-name()='Field']"], ['Field[1]'], ['text()'], [''], ['/metadata/']])('refuses xPath %j', (xPath) => {
    expect(() => profile([rule({ conditions: [match(['x'], 2, xPath)] })])).toThrow(/unsupported xPath/);
  });
});
