/** User agent, HTTP header and action name: RE2 semantics, caps, refusals and hostile input. */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { RuleCompileError } from '../../../src/core/access/compile.js';
import type { ConditionSpec } from '../../../src/core/access/model.js';
import { compileRegexValues, literalAlternatives, MAX_PATTERN_LENGTH } from '../../../src/core/access/regex.js';
import { fires, profile, rule, scope } from './support.js';

const IPAD = 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';

const ua = (values: string[]): ConditionSpec => ({ type: 'userAgent', not: false, values });

function expectBoth(c: ConditionSpec, s: ReturnType<typeof scope>, expected: boolean) {
  expect(fires(c, s)).toBe(expected);
  expect(fires({ ...c, not: true } as ConditionSpec, s)).toBe(!expected);
}

describe('userAgent condition', () => {
  it.each([
    ['seed example .*iPad.*', ['.*iPad.*'], IPAD, true],
    ['seed example vs desktop', ['.*iPad.*'], DESKTOP, false],
    ['case-insensitive', ['IPAD'], IPAD, true],
    ['unanchored', ['AppleWebKit'], DESKTOP, true],
    ['alternation', ['iPhone|iPad|Android'], ANDROID, true],
    ['alternation, none', ['iPhone|iPad|Android'], DESKTOP, false],
    ['escaped punctuation literal', ['Chrome/120\\.0'], DESKTOP, true],
    ['escaped dot is not any char', ['Chrome/120\\.0'], 'Chrome/12010', false],
    ['real regex (RE2 path)', ['Android \\d+'], ANDROID, true],
    ['real regex, group', ['(iPhone|iPad);'], IPAD, true],
    ['anchors', ['^Mozilla/5\\.0 \\(iPad'], IPAD, true],
    ['anchor excludes', ['^iPad'], IPAD, false],
    ['inline flags', ['(?-i)ipad'], IPAD, false],
    ['exact equality also matches (Kaltura: equal OR regex)', ['^a+$'], '^a+$', true],
    ['…while the regex alone would not', ['^a+$'], '^a+$ ', false],
    ['empty pattern matches everything', [''], DESKTOP, true],
    ['empty alternative matches everything', ['iPhone|'], DESKTOP, true],
    ['several values', ['iPhone', 'Android'], ANDROID, true],
    ['no values ⇒ fulfilled', [], DESKTOP, true],
  ])('%s', (_name, values, userAgent, expected) => {
    expectBoth(ua(values), scope({ userAgent }), expected);
  });

  it('matches within the first 1024 characters only; exact equality sees the whole input', () => {
    const long = `${'x'.repeat(1030)}iPad`;
    expect(fires(ua(['iPad']), scope({ userAgent: long }))).toBe(false);
    expect(fires(ua(['iPad']), scope({ userAgent: `${'x'.repeat(1000)}iPad` }))).toBe(true);
    expect(fires(ua([long.slice(0, 500)]), scope({ userAgent: long }))).toBe(true); // regex on the truncated input
  });

  it('agrees with RE2 on Unicode case folding on the literal fast path', () => {
    // U+212A KELVIN SIGN folds to k, U+017F LONG S to s, in RE2 and in `iu` RegExps alike.
    const literal = compileRegexValues(['kiosk'], 'v', 1024);
    const re2 = compileRegexValues(['kios[k]'], 'v', 1024);
    for (const input of ['KIOSK', '\u212Aio\u017Fk', 'kiosc']) expect(literal(input), input).toBe(re2(input));
  });

  it('uses the native fast path only for plain alternatives', () => {
    expect(literalAlternatives('.*iPad.*')).toEqual(['iPad']);
    expect(literalAlternatives('iPhone|.*Android')).toEqual(['iPhone', 'Android']);
    expect(literalAlternatives('a\\.b')).toEqual(['a.b']);
    expect(literalAlternatives('a.*b')).toBeNull();
    expect(literalAlternatives('a+')).toBeNull();
    expect(literalAlternatives('(a)')).toBeNull();
    expect(literalAlternatives('\\d')).toBeNull();
    expect(literalAlternatives('caf\u00e9')).toBeNull();
  });
});

describe('refusals at compile time', () => {
  function refusal(values: string[]): RuleCompileError {
    try {
      profile([rule({ conditions: [ua(['ok', ...values])] })]);
    } catch (err) {
      expect(err).toBeInstanceOf(RuleCompileError);
      return err as RuleCompileError;
    }
    throw new Error('expected a RuleCompileError');
  }

  it.each([
    ['lookahead', 'iPad(?=;)'],
    ['negative lookahead', '^(?!.*Android)'],
    ['lookbehind', '(?<=Mobile)Safari'],
    ['backreference', '(a)\\1'],
    ['possessive quantifier', 'a++'],
    ['atomic group', '(?>a)'],
    ['unbalanced', '(iPad'],
    ['bad repeat', 'a{2000}'],
  ])('refuses a pattern RE2 cannot compile: %s', (_name, pattern) => {
    const err = refusal([pattern]);
    expect(err.path).toBe('rules[0].conditions[0].values[1]');
    expect(err.reason).toMatch(/not a supported regular expression/);
  });

  it('refuses a pattern longer than the cap', () => {
    const err = refusal(['a'.repeat(MAX_PATTERN_LENGTH + 1)]);
    expect(err.reason).toMatch(/too long/);
    expect(() => profile([rule({ conditions: [ua(['a'.repeat(MAX_PATTERN_LENGTH)])] })])).not.toThrow();
  });

  it('refuses a pattern whose program is too large', () => {
    expect(refusal(['((a{1,100}){1,10}){1,10}']).reason).toMatch(/too complex|not a supported/);
  });

  it('applies to header and action-name conditions too', () => {
    expect(() => profile([rule({ conditions: [{ type: 'httpHeader', not: false, headerName: 'X-A', values: ['(?=x)'] }] })])).toThrow(RuleCompileError);
    expect(() => profile([rule({ conditions: [{ type: 'actionName', not: false, values: ['\\1'] }] })])).toThrow(RuleCompileError);
    expect(() => profile([rule({ conditions: [{ type: 'httpHeader', not: false, headerName: ' ', values: ['x'] }] })])).toThrow(/headerName/);
  });
});

describe('hostile input', () => {
  it.each([['(a+)+$'], ['(a|aa)*b'], ['(.*a){12}x'], ['^(([a-z])+.)+[A-Z]([a-z])+$']])('evaluates a 1 KB user agent against %s in linear time', (pattern) => {
    const p = profile([rule({ conditions: [ua([pattern])] })]);
    const s = scope({ userAgent: `${'a'.repeat(1023)}!` });
    p.evaluate(s, { now: 0 }); // first run builds RE2's DFA states
    const t0 = performance.now();
    const runs = 20;
    for (let i = 0; i < runs; i++) p.evaluate(s, { now: 0 });
    const perRun = (performance.now() - t0) / runs;
    // RE2 guarantees linear time (well under 1 ms here); the bench records the exact figure.
    expect(perRun).toBeLessThan(50);
  });
});

describe('httpHeader condition', () => {
  const header = (values: string[], headerName = 'X-Device'): ConditionSpec => ({ type: 'httpHeader', not: false, headerName, values });
  it.each([
    ['matches', ['^tv$'], { 'x-device': 'TV' }, true],
    ['no match', ['^tv$'], { 'x-device': 'phone' }, false],
    ['header absent', ['tv'], {}, false],
    ['no values ⇒ fulfilled', [], {}, true],
  ])('%s', (_name, values, headers, expected) => {
    expectBoth(header(values), scope({ headers }), expected);
  });

  it('looks headers up by lower-case name', () => {
    expect(fires(header(['x'], 'X-DEVICE'), scope({ headers: { 'x-device': 'x' } }))).toBe(true);
  });

  it("takes Kaltura's underscore spelling (HTTP_X_DEVICE) for the dashed header", () => {
    expect(fires(header(['x'], 'X_DEVICE'), scope({ headers: { 'x-device': 'x' } }))).toBe(true);
  });
});

describe('actionName condition', () => {
  const action = (values: string[]): ConditionSpec => ({ type: 'actionName', not: false, values });
  it.each([
    ['matches', ['^baseEntry\\.getContextData$'], 'baseEntry.getContextData', true],
    ['case-insensitive', ['^baseentry\\.'], 'baseEntry.get', true],
    ['other action', ['^media\\.'], 'baseEntry.get', false],
    ['no action (delivery request)', ['.*'], '', false],
    ['no values ⇒ fulfilled', [], '', true],
  ])('%s', (_name, values, actionName, expected) => {
    expectBoth(action(values), scope({ actionName }), expected);
  });
});

describe('many plain-text alternatives', () => {
  it('fall back to one RE2 program beyond the native bounds, with the same answers', () => {
    const words = Array.from({ length: 30 }, (_, i) => `Device${i}Model`);
    const m = compileRegexValues([words.join('|')], 'v', 1024);
    expect(m('Mozilla (device17model; x)')).toBe(true);
    expect(m('Mozilla (Device99Model)')).toBe(false);
  });
});
