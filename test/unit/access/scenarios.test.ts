/**
 * The business scenarios of the seed guide (section 12), built as RuleSpecs the way the Kaltura
 * door maps them, with the server's comparison numbers (not the seed's).
 */
import { describe, expect, it } from 'vitest';
import { Comparison, ContextType, type ConditionSpec, type Decision } from '../../../src/core/access/model.js';
import { entry, NOW, profile, rule, scope, session } from './support.js';

const IPAD = 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36';

const blocked = (d: Decision) => d.actions.some((a) => a.type === 'block');
const now = { now: NOW };

describe('seed 12.1: geo-restricted premium content', () => {
  const p = profile([
    rule({
      message: 'This event is not available in your country',
      contexts: [ContextType.PLAY],
      conditions: [{ type: 'country', not: true, values: ['US', 'CA'] }],
      actions: [{ type: 'block' }],
    }),
  ]);
  const play = [ContextType.PLAY];

  it('lets viewers in licensed countries stream', () => {
    expect(p.evaluate(scope({ ip: '203.0.113.10', contexts: play }), now).actions).toEqual([]);
    expect(p.evaluate(scope({ ip: '203.0.113.20', contexts: play }), now).actions).toEqual([]);
  });
  it('blocks other countries with the rule message', () => {
    const d = p.evaluate(scope({ ip: '198.51.100.10', contexts: play }), now);
    expect(blocked(d)).toBe(true);
    expect(d.messages).toEqual(['This event is not available in your country']);
  });
  it('blocks addresses without a known country', () => {
    expect(blocked(p.evaluate(scope({ ip: '10.1.2.3', contexts: play }), now))).toBe(true);
  });
  it('applies to PLAY only', () => {
    expect(blocked(p.evaluate(scope({ ip: '198.51.100.10', contexts: [ContextType.THUMBNAIL] }), now))).toBe(false);
  });
});

describe('seed 12.2: domain-locked embedding', () => {
  const p = profile([rule({ message: 'Embedding not allowed', conditions: [{ type: 'site', not: true, values: ['*.publisher.com'] }], actions: [{ type: 'block' }] })]);
  it.each([
    ['https://www.publisher.com/course/1', false],
    ['https://publisher.com/', false],
    ['https://learn.eu.publisher.com/x', false],
    ['https://pirate.example/embed', true],
    ['https://publisher.com.evil.com/', true],
    ['https://publisher.com@evil.com/', true],
    ['', true],
  ])('referrer %j blocked: %s', (referrer, isBlocked) => {
    expect(blocked(p.evaluate(scope({ referrer }), now))).toBe(isBlocked);
  });
});

describe('seed 12.3: device-specific scheduling windows', () => {
  const ipad: ConditionSpec = { type: 'userAgent', not: false, values: ['.*iPad.*'] };
  const window = (sunrise: string, sunset: string): ConditionSpec[] => [
    // metadata sunrise <= now <= metadata sunset, with the time context field as the value.
    { type: 'metadataCompare', not: false, profileId: 123, profileSystemName: null, xPath: sunrise, comparison: Comparison.LESS_THAN_OR_EQUAL, value: { kind: 'time', offset: 0 } },
    { type: 'metadataCompare', not: false, profileId: 123, profileSystemName: null, xPath: sunset, comparison: Comparison.GREATER_THAN_OR_EQUAL, value: { kind: 'time', offset: 0 } },
  ];
  const p = profile([
    rule({ conditions: [ipad, ...window('/metadata/ipadSunrise', '/metadata/ipadSunset')], actions: [], stopProcessing: true }),
    rule({ conditions: [{ ...ipad, not: true }, ...window('webSunrise', 'webSunset')], actions: [], stopProcessing: true }),
    rule({ message: 'Not available on this device right now', actions: [{ type: 'block' }] }),
  ]);
  const md = entry({
    metadata: {
      '123': {
        ipadSunrise: [String(NOW - 3600)],
        ipadSunset: [String(NOW + 3600)],
        webSunrise: [String(NOW + 86400)],
        webSunset: [String(NOW + 2 * 86400)],
      },
    },
  });

  it('allows an iPad inside its window (rule 1 stops processing)', () => {
    const d = p.evaluate(scope({ userAgent: IPAD, entry: md }), now);
    expect(d.fulfilled).toEqual([0]);
    expect(blocked(d)).toBe(false);
  });
  it('blocks the web before its window opens', () => {
    expect(blocked(p.evaluate(scope({ userAgent: DESKTOP, entry: md }), now))).toBe(true);
  });
  it('allows the web once its window is open', () => {
    const later = scope({ userAgent: DESKTOP, entry: md, time: NOW + 86400 + 1 });
    expect(p.evaluate(later, now).fulfilled).toEqual([1]);
  });
  it('blocks an iPad after its window closed (catch-all rule 2)', () => {
    expect(blocked(p.evaluate(scope({ userAgent: IPAD, entry: md, time: NOW + 7200 }), now))).toBe(true);
  });
  it('blocks when the entry has no window metadata', () => {
    expect(blocked(p.evaluate(scope({ userAgent: IPAD, entry: entry() }), now))).toBe(true);
  });
});

describe('seed 12.4: preview / paywall', () => {
  const p = profile([rule({ conditions: [{ type: 'authenticated', not: true, privileges: [] }], actions: [{ type: 'preview', limit: 30 }] })]);
  it('gives anonymous visitors a 30-second preview', () => {
    expect(p.evaluate(scope(), now).actions).toEqual([{ type: 'preview', limit: 30 }]);
  });
  it('gives subscribers (sview) full access', () => {
    expect(p.evaluate(scope({ session: session({ privileges: 'sview:*' }) }), now).actions).toEqual([]);
  });
  it('gives a session without sview the preview only', () => {
    expect(p.evaluate(scope({ session: session({ privileges: 'list:*' }) }), now).actions).toEqual([{ type: 'preview', limit: 30 }]);
  });
});

describe('seed 12.5: block long-form content on mobile', () => {
  const p = profile([
    rule({
      message: 'Long-form content is not available on mobile devices',
      conditions: [
        { type: 'userAgent', not: false, values: ['iPhone|Android|BlackBerry|Windows Phone'] },
        { type: 'metadataMatch', not: false, profileId: 123, profileSystemName: null, xPath: "/*[local-name()='metadata']/*[local-name()='FormatType']", values: ['Long Form'], matchType: 1 },
      ],
      actions: [{ type: 'block' }],
    }),
  ]);
  const format = (f: string) => entry({ metadata: { '123': { FormatType: [f] } } });
  it.each([
    ['mobile, long form', IPHONE, 'Long Form', true],
    ['mobile, short form', IPHONE, 'Short Form', false],
    ['desktop, long form', DESKTOP, 'Long Form', false],
  ])('%s blocked: %s', (_name, userAgent, f, isBlocked) => {
    expect(blocked(p.evaluate(scope({ userAgent, entry: format(f) }), now))).toBe(isBlocked);
  });
});
