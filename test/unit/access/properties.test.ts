/**
 * Property tests: random profiles and scopes never throw; flipping `not` on a single-condition
 * rule inverts whether it fires (except the documented session-type quirk); helper parsers agree
 * with reference implementations.
 */
import { isIPv4 } from 'node:net';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { compileProfile, RuleCompileError } from '../../../src/core/access/compile.js';
import { referrerHost } from '../../../src/core/access/host.js';
import { parseIpv4 } from '../../../src/core/access/ip.js';
import type { AccessScope, ActionSpec, ConditionSpec, FieldSpec, RuleSpec } from '../../../src/core/access/model.js';
import { entry, geo, NOW, scope as baseScope, session } from './support.js';

const word = fc.constantFrom('US', 'ca', 'FR', 'x', '', 'iPad', 'Android', 'French', 'Long Form', '0_abc123', 'sview', 'widget', 'download', '1', '2');
const ipValue = fc.constantFrom('10.0.0.0/8', '203.0.113.10', '192.168.0.0/255.255.0.0', '10.0.0.1-10.0.0.9', '2001:db8::/32', '::1', '0.0.0.0/0', '1.1.1.1,2.2.2.2');
const siteValue = fc.constantFrom('publisher.com', '*.publisher.com', 'a.b', '', '*.x.org');
const regexValue = fc.constantFrom('.*iPad.*', 'iphone|android', 'Chrome/\\d+', '^Mozilla', '(a+)+$', '', 'x', 'safari$', '[a-z]{3}');
const field: fc.Arbitrary<FieldSpec> = fc.oneof(
  fc.constantFrom<FieldSpec>({ kind: 'country' }, { kind: 'ip' }, { kind: 'userAgent' }, { kind: 'userEmail' }, { kind: 'objectId' }),
  fc.integer({ min: -100, max: 100 }).map((offset): FieldSpec => ({ kind: 'time', offset })),
  fc.constantFrom('5', '0', NOW.toString()).map((value): FieldSpec => ({ kind: 'constant', value })),
);
const compareValue = fc.oneof(fc.constant(null), fc.integer({ min: -5, max: NOW + 10 }), field);
const xPath = fc.constantFrom('AudioLanguage', '/metadata/FormatType', "/*[local-name()='metadata']/*[local-name()='sunrise']");

const leaf: fc.Arbitrary<ConditionSpec> = fc.oneof(
  fc.record({ type: fc.constant('authenticated' as const), not: fc.boolean(), privileges: fc.array(word, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('country' as const), not: fc.boolean(), values: fc.array(word, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('ipAddress' as const), not: fc.boolean(), values: fc.array(ipValue, { maxLength: 3 }), acceptInternalIps: fc.boolean(), httpHeader: fc.constantFrom(null, 'x-real-ip') }),
  fc.record({ type: fc.constant('site' as const), not: fc.boolean(), values: fc.array(siteValue, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('userAgent' as const), not: fc.boolean(), values: fc.array(regexValue, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('fieldMatch' as const), not: fc.boolean(), field, values: fc.array(word, { maxLength: 3 }), matchType: fc.constantFrom(1, 2) }),
  fc.record({ type: fc.constant('fieldCompare' as const), not: fc.boolean(), field, comparison: fc.integer({ min: 1, max: 6 }), value: compareValue }),
  fc.record({ type: fc.constant('userRole' as const), not: fc.boolean(), roleIds: fc.array(word, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('hash' as const), not: fc.boolean(), hashName: fc.constantFrom('h', 'toString'), hashSecret: word }),
  fc.record({ type: fc.constant('httpHeader' as const), not: fc.boolean(), headerName: fc.constantFrom('X-Device', 'x-real-ip'), values: fc.array(regexValue, { maxLength: 2 }) }),
  fc.record({ type: fc.constant('entryScheduled' as const), not: fc.boolean() }),
  fc.record({ type: fc.constant('actionName' as const), not: fc.boolean(), values: fc.array(regexValue, { maxLength: 2 }) }),
  fc.record({ type: fc.constant('sessionType' as const), not: fc.boolean(), sessionType: fc.constantFrom(0, 2, -1) }),
  fc.record({
    type: fc.constant('metadataMatch' as const),
    not: fc.boolean(),
    profileId: fc.constantFrom(123, null),
    profileSystemName: fc.constantFrom('devices', null),
    xPath,
    values: fc.array(word, { maxLength: 3 }),
    matchType: fc.constantFrom(1, 2),
  }),
  fc.record({
    type: fc.constant('metadataCompare' as const),
    not: fc.boolean(),
    profileId: fc.constantFrom(123, null),
    profileSystemName: fc.constantFrom('devices', null),
    xPath,
    comparison: fc.integer({ min: 1, max: 6 }),
    value: compareValue,
  }),
);
const condition: fc.Arbitrary<ConditionSpec> = fc.oneof(
  { weight: 5, arbitrary: leaf },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('or' as const), not: fc.boolean(), conditions: fc.array(leaf, { maxLength: 3 }) }) },
);
const action: fc.Arbitrary<ActionSpec> = fc.constantFrom<ActionSpec>(
  { type: 'block' },
  { type: 'preview', limit: 30 },
  { type: 'limitFlavors', flavorParamsIds: '1,2', isBlockedList: true },
  { type: 'limitThumbnailCapture' },
);
const ruleArb: fc.Arbitrary<RuleSpec> = fc.record({
  message: fc.constantFrom(undefined, '', 'm'),
  code: fc.constantFrom(undefined, 'C'),
  actions: fc.array(action, { maxLength: 2 }),
  conditions: fc.array(condition, { maxLength: 3 }),
  contexts: fc.array(fc.constantFrom(1, 2, 3, 4, 5, 6, 42), { maxLength: 2 }),
  stopProcessing: fc.boolean(),
  forceAdminValidation: fc.boolean(),
});

const scopeArb: fc.Arbitrary<AccessScope> = fc
  .record({
    ip: fc.oneof(fc.constantFrom('203.0.113.10', '198.51.100.10', '10.0.0.5', '2001:db8::10', '::ffff:10.0.0.1', '', 'garbage', '1.2.3.4.5'), fc.ipV4(), fc.ipV6()),
    referrer: fc.oneof(fc.constantFrom('https://www.publisher.com/', '//publisher.com', 'https://a@b.c:1/', '', '::::', '[', 'http://[::1'), fc.webUrl(), fc.string()),
    userAgent: fc.oneof(fc.constantFrom('iPad', 'Mozilla/5.0 Chrome/120', 'a'.repeat(2000)), fc.string({ maxLength: 200 })),
    time: fc.integer({ min: 0, max: 2 * NOW }),
    contexts: fc.array(fc.constantFrom(1, 2, 3, 4, 5, 6, 42), { maxLength: 2 }),
    session: fc.option(
      fc.record({ type: fc.constantFrom(0, 2), privileges: fc.constantFrom('', 'sview:*', 'sview:0_abc123', 'widget:1', '*', 'disablesessiontypecheck'), roleIds: fc.array(word, { maxLength: 2 }) }).map((s) => session(s)),
      { nil: null },
    ),
    entry: fc.option(
      fc.record({
        startDate: fc.option(fc.integer({ min: 0, max: 2 * NOW }), { nil: null }),
        endDate: fc.option(fc.integer({ min: 0, max: 2 * NOW }), { nil: null }),
        values: fc.array(fc.oneof(word, fc.integer({ min: 0, max: 2 * NOW }).map(String)), { maxLength: 3 }),
      }).map(({ startDate, endDate, values }) =>
        entry({ startDate, endDate, metadata: { '123': { AudioLanguage: values, FormatType: values, sunrise: values }, devices: { AudioLanguage: values } } }),
      ),
      { nil: null },
    ),
    hashes: fc.dictionary(fc.constantFrom('h', 'toString', '__proto__'), fc.string({ maxLength: 40 })),
    headerValue: fc.option(fc.string({ maxLength: 60 }), { nil: undefined }),
    actionName: fc.constantFrom('', 'baseEntry.getContextData', 'media.list'),
  })
  .map(({ headerValue, ...rest }) => baseScope({ ...rest, header: () => headerValue }));

describe('random profiles and scopes', () => {
  it('compile and evaluate without throwing, with a consistent Decision', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { maxLength: 6 }), fc.array(scopeArb, { minLength: 1, maxLength: 4 }), (rules, scopes) => {
        const p = compileProfile(rules, { geo });
        for (const s of scopes) {
          const d = p.evaluate(s, { now: NOW });
          expect(d.fulfilled.every((i, k) => i >= 0 && i < rules.length && (k === 0 || i > (d.fulfilled[k - 1] as number)))).toBe(true);
          expect(d.messages.length).toBeLessThanOrEqual(d.fulfilled.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('either compile or refuse with a RuleCompileError, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 3 }), fc.array(fc.record({ type: fc.constantFrom('country', 'ipAddress', 'site', 'userAgent', 'or', 'fieldCompare', 'metadataMatch', 'hash', 'x'), not: fc.anything(), values: fc.anything(), conditions: fc.anything(), field: fc.anything(), value: fc.anything(), comparison: fc.anything(), xPath: fc.anything(), hashName: fc.anything(), hashSecret: fc.anything() }), { maxLength: 3 }), (junkRules, junkConditions) => {
        for (const rules of [junkRules, [{ actions: [], contexts: [], conditions: junkConditions }]]) {
          try {
            compileProfile(rules as RuleSpec[], { geo }).evaluate(baseScope(), { now: NOW });
          } catch (err) {
            expect(err).toBeInstanceOf(RuleCompileError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('flipping `not` on a single-condition rule inverts whether it fires', () => {
    fc.assert(
      fc.property(condition, scopeArb, (c, s) => {
        const fired = (cond: ConditionSpec) => compileProfile([{ actions: [], conditions: [cond], contexts: [], stopProcessing: false, forceAdminValidation: true }], { geo }).evaluate(s, { now: NOW }).fulfilled.length === 1;
        const a = fired(c);
        const b = fired({ ...c, not: !c.not } as ConditionSpec);
        // Documented Kaltura quirk: no session or disablesessiontypecheck ⇒ false either way.
        const quirk = c.type === 'sessionType' && (s.session === null || s.session.privileges.includes('disablesessiontypecheck'));
        expect(quirk ? !a && !b : a !== b).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('helper parsers against references', () => {
  it('parseIpv4 agrees with node:net and ipaddr.js', () => {
    const candidate = fc.oneof(
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300)).map((p) => p.join('.')),
      fc.string({ maxLength: 16 }),
      fc.ipV4().map((ip) => `::ffff:${ip}`),
    );
    fc.assert(
      fc.property(candidate, (text) => {
        const n = parseIpv4(text);
        const plain = text.startsWith('::ffff:') ? text.slice(7) : text;
        if (!isIPv4(plain)) {
          expect(n).toBe(-1);
        } else {
          const b = ipaddr.IPv4.parse(plain).toByteArray() as [number, number, number, number];
          expect(n).toBe(((b[0] * 256 + b[1]) * 256 + b[2]) * 256 + b[3]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('referrerHost agrees with the WHATWG URL parser on web URLs', () => {
    const url = fc.webUrl({ withQueryParameters: true, withFragments: true, authoritySettings: { withUserInfo: true, withPort: true } });
    fc.assert(
      fc.property(url, (u) => {
        expect(referrerHost(u)).toBe(new URL(u).hostname.replace(/\.$/, ''));
      }),
      { numRuns: 1000 },
    );
  });
});
