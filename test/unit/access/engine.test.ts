/** Rule evaluation (§5.2): order, contexts, stopProcessing, ADMIN skip, actions, decisions. */
import { describe, expect, it } from 'vitest';
import { compileProfile, EMPTY_DECISION, RuleCompileError } from '../../../src/core/access/compile.js';
import { explainProfile } from '../../../src/core/access/explain.js';
import { ContextType, type ActionSpec, type ConditionSpec, type RuleSpec } from '../../../src/core/access/model.js';
import { adminSession, geo, NOW, profile, rule, scope, session } from './support.js';

const opts = { now: NOW };
const always: ConditionSpec = { type: 'site', not: false, values: [] }; // no values ⇒ fulfilled
const never: ConditionSpec = { type: 'country', not: false, values: ['ZZ'] };

describe('rule order, messages, actions and codes', () => {
  it('allows by default: no rules, or no fulfilled rule, is the shared frozen empty decision', () => {
    const d1 = profile([]).evaluate(scope(), opts);
    const d2 = profile([rule({ conditions: [never] })]).evaluate(scope(), opts);
    expect(d1).toBe(EMPTY_DECISION);
    expect(d2).toBe(EMPTY_DECISION);
    expect(d1).toEqual({ fulfilled: [], messages: [], actions: [], codes: {} });
    expect(Object.isFrozen(d1) && Object.isFrozen(d1.fulfilled) && Object.isFrozen(d1.actions)).toBe(true);
  });

  it('fulfils a rule without conditions, and accumulates in order', () => {
    const p = profile([
      rule({ message: 'first', code: 'C1', actions: [{ type: 'preview', limit: 30 }] }),
      rule({ conditions: [never], message: 'skipped' }),
      rule({ message: '', actions: [{ type: 'block' }, { type: 'limitThumbnailCapture' }] }),
      rule({ message: 'fourth', code: 'C4', actions: [] }),
    ]);
    expect(p.ruleCount).toBe(4);
    expect(p.evaluate(scope(), opts)).toEqual({
      fulfilled: [0, 2, 3],
      messages: ['first', 'fourth'],
      actions: [{ type: 'preview', limit: 30 }, { type: 'block' }, { type: 'limitThumbnailCapture' }],
      codes: { C1: 'first', C4: 'fourth' },
    });
  });

  it('needs all conditions of a rule (AND)', () => {
    const p = profile([rule({ conditions: [always, never] }), rule({ conditions: [always, always] })]);
    expect(p.evaluate(scope(), opts).fulfilled).toEqual([1]);
  });

  it('stops after a fulfilled rule with stopProcessing, not after an unfulfilled one', () => {
    const p = profile([
      rule({ conditions: [never], stopProcessing: true, message: 'a' }),
      rule({ stopProcessing: true, message: 'b' }),
      rule({ message: 'c' }),
    ]);
    expect(p.evaluate(scope(), opts)).toMatchObject({ fulfilled: [1], messages: ['b'] });
  });

  it('maps a code to an empty message when the rule has none, and takes any code as a plain key', () => {
    const d = profile([rule({ code: 'NOMSG' }), rule({ code: '__proto__', message: 'm' })]).evaluate(scope(), opts);
    expect(d.codes.NOMSG).toBe('');
    expect(Object.keys(d.codes)).toEqual(['NOMSG', '__proto__']);
  });
});

describe('contexts', () => {
  const p = profile([
    rule({ contexts: [ContextType.PLAY], message: 'play' }),
    rule({ contexts: [ContextType.DOWNLOAD, ContextType.THUMBNAIL], message: 'download+thumb' }),
    rule({ contexts: [], message: 'every' }),
    rule({ contexts: [99], message: 'plugin context' }),
  ]);
  it.each([
    ['PLAY', [ContextType.PLAY], ['play', 'every']],
    ['THUMBNAIL', [ContextType.THUMBNAIL], ['download+thumb', 'every']],
    ['PLAY + DOWNLOAD', [ContextType.PLAY, ContextType.DOWNLOAD], ['play', 'download+thumb', 'every']],
    ['METADATA', [ContextType.METADATA], ['every']],
    ['no contexts in the scope: every rule applies', [], ['play', 'download+thumb', 'every', 'plugin context']],
    ['a context outside the mask', [99], ['every', 'plugin context']],
    ['SERVE + other', [ContextType.SERVE, 99], ['every', 'plugin context']],
  ])('%s', (_name, contexts, messages) => {
    expect(p.evaluate(scope({ contexts }), opts).messages).toEqual(messages);
  });

  it('refuses a non-integer context', () => {
    expect(() => profile([rule({ contexts: [1.5] })])).toThrow(RuleCompileError);
  });
});

describe('ADMIN sessions', () => {
  const p = profile([rule({ message: 'ordinary' }), rule({ message: 'forced', forceAdminValidation: true })]);
  it('skip rules without forceAdminValidation', () => {
    expect(p.evaluate(scope({ session: adminSession() }), opts).messages).toEqual(['forced']);
  });
  it('do not change anything for other sessions', () => {
    expect(p.evaluate(scope({ session: session() }), opts).messages).toEqual(['ordinary', 'forced']);
    expect(p.evaluate(scope(), opts).messages).toEqual(['ordinary', 'forced']);
  });
  it('bypass a profile with no forced rule entirely', () => {
    expect(profile([rule()]).evaluate(scope({ session: adminSession() }), opts)).toBe(EMPTY_DECISION);
  });
});

describe('actions', () => {
  it.each<[string, ActionSpec]>([
    ['block', { type: 'block' }],
    ['preview', { type: 'preview', limit: 30 }],
    ['preview of 0 seconds', { type: 'preview', limit: 0 }],
    ['limitFlavors allow-list', { type: 'limitFlavors', flavorParamsIds: '487041,487051', isBlockedList: false }],
    ['limitFlavors block-list', { type: 'limitFlavors', flavorParamsIds: '0', isBlockedList: true }],
    ['limitFlavors empty list', { type: 'limitFlavors', flavorParamsIds: '', isBlockedList: false }],
    ['limitDeliveryProfiles', { type: 'limitDeliveryProfiles', deliveryProfileIds: '1, 2', isBlockedList: true }],
    ['serveRemoteEdge', { type: 'serveRemoteEdge', edgeServerIds: '7', seamlessFallbackEnabled: true }],
    ['limitThumbnailCapture', { type: 'limitThumbnailCapture' }],
  ])('%s is copied through as data, frozen', (_name, action) => {
    const d = profile([rule({ actions: [action] })]).evaluate(scope(), opts);
    expect(d.actions).toEqual([action]);
    expect(Object.isFrozen(d.actions[0])).toBe(true);
  });

  it.each<[string, unknown, string]>([
    ['negative preview', { type: 'preview', limit: -1 }, 'rules[0].actions[0].limit'],
    ['fractional preview', { type: 'preview', limit: 1.5 }, 'rules[0].actions[0].limit'],
    ['preview without limit', { type: 'preview' }, 'rules[0].actions[0].limit'],
    ['flavor ids not numeric', { type: 'limitFlavors', flavorParamsIds: 'a,b', isBlockedList: false }, 'rules[0].actions[0].flavorParamsIds'],
    ['isBlockedList missing', { type: 'limitFlavors', flavorParamsIds: '1' }, 'rules[0].actions[0].isBlockedList'],
    ['unknown action', { type: 'drm' }, 'rules[0].actions[0]'],
  ])('refuses %s', (_name, action, path) => {
    try {
      profile([rule({ actions: [action as ActionSpec] })]);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(RuleCompileError);
      expect((err as RuleCompileError).path).toBe(path);
    }
  });
});

describe('robustness', () => {
  it('refuses malformed rules with a path', () => {
    expect(() => compileProfile('x' as unknown as RuleSpec[], { geo })).toThrow(RuleCompileError);
    expect(() => profile([rule({ conditions: [{ type: 'geoDistance' } as unknown as ConditionSpec] })])).toThrow(/unknown condition type "geoDistance"/);
    expect(() => profile([rule({ message: 5 as unknown as string })])).toThrow(/rules\[0\]\.message/);
    expect(() => profile([rule({ conditions: [{ type: 'country', not: false, values: [1] } as unknown as ConditionSpec] })])).toThrow(/values\[0\]/);
  });

  it('fails closed on a throwing condition: its rule applies unless another of its conditions is plainly false, and does not stop the rules after it', () => {
    const broken = () => {
      throw new Error('door bug');
    };
    const header: ConditionSpec = { type: 'httpHeader', not: true, headerName: 'x', values: ['y'] };
    const always: ConditionSpec = { type: 'country', not: true, values: ['ZZ'] };
    const p = profile([
      // A block whose only condition throws: it still blocks (it used to be skipped, allowing).
      rule({ conditions: [header], message: 'header', actions: [{ type: 'block' }], stopProcessing: true }),
      // Unknown AND plainly false: not fulfilled.
      rule({ conditions: [header, never], message: 'never' }),
      // Unknown AND true: applies.
      rule({ conditions: [always, header], message: 'preview', actions: [{ type: 'preview', limit: 30 }] }),
      rule({ message: 'plain', actions: [] }),
    ]);
    const d = p.evaluate(scope({ header: broken }), opts);
    expect(d.fulfilled).toEqual([0, 2, 3]);
    expect(d.messages).toEqual(['header', 'preview', 'plain']);
    expect(d.actions).toEqual([{ type: 'block' }, { type: 'preview', limit: 30 }]);
    // Without the fault the header rule is decided as written, and its stopProcessing holds.
    expect(p.evaluate(scope({ header: () => 'y' }), opts).fulfilled).toEqual([3]);
    expect(p.evaluate(scope({ header: () => 'z' }), opts).fulfilled).toEqual([0]);
    // Past the memo's 30 rules the same holds.
    const many = profile([...Array.from({ length: 31 }, () => rule({ conditions: [never] })), rule({ conditions: [header], actions: [{ type: 'block' }] })]);
    expect(many.evaluate(scope({ header: broken }), opts).actions).toEqual([{ type: 'block' }]);
    // The explanation says the same, condition by condition.
    const e = explainProfile(p, scope({ header: broken }), opts);
    expect(e.decision.fulfilled).toEqual([0, 2, 3]);
    expect(e.rules[0]?.conditions[0]).toMatchObject({ fulfilled: true, why: expect.stringContaining('could not be evaluated') });
    expect(e.rules[1]?.fired).toBe(false);
  });

  it('fails closed when the scope itself is unusable', () => {
    const p = profile([rule({ contexts: [1], message: 'm' })]);
    const d = p.evaluate({ ...scope(), contexts: undefined as unknown as number[] }, opts);
    expect(d.actions).toEqual([{ type: 'block' }]);
  });

  it('does not share mutable state between evaluations', () => {
    const p = profile([rule({ conditions: [{ type: 'country', not: false, values: ['US'] }] })]);
    expect(p.evaluate(scope({ ip: '203.0.113.10' }), opts).fulfilled).toEqual([0]);
    expect(p.evaluate(scope({ ip: '198.51.100.10' }), opts).fulfilled).toEqual([]);
  });
});

describe('decision memo (profiles of up to 30 rules)', () => {
  it('the same fired set gives the same frozen Decision; another set another one', () => {
    const us: ConditionSpec = { type: 'country', not: false, values: ['US', 'CA'] };
    const p = profile([rule({ conditions: [us], message: 'us', code: 'US', actions: [{ type: 'block' }] }), rule({ message: 'all', actions: [{ type: 'preview', limit: 30 }] })]);
    const a = p.evaluate(scope({ ip: '203.0.113.10' }), opts);
    const b = p.evaluate(scope({ ip: '203.0.113.20' }), opts);
    const c = p.evaluate(scope({ ip: '198.51.100.10' }), opts);
    expect(a).toBe(b);
    expect(a).toEqual({ fulfilled: [0, 1], messages: ['us', 'all'], actions: [{ type: 'block' }, { type: 'preview', limit: 30 }], codes: { US: 'us' } });
    expect(c).not.toBe(a);
    expect(c).toEqual({ fulfilled: [1], messages: ['all'], actions: [{ type: 'preview', limit: 30 }], codes: {} });
    for (const d of [a, c]) expect(Object.isFrozen(d) && Object.isFrozen(d.fulfilled) && Object.isFrozen(d.messages) && Object.isFrozen(d.actions) && Object.isFrozen(d.codes)).toBe(true);
    expect(() => (a.actions as unknown as unknown[]).push({ type: 'block' })).toThrow(TypeError);
  });

  it('profiles with more rules than the memo covers decide the same way (rule 35 fires after 31 others)', () => {
    const rules = Array.from({ length: 40 }, (_, i) => rule({ conditions: i % 2 === 0 || i === 35 ? [] : [never], message: `r${i}` }));
    const d = profile(rules).evaluate(scope(), opts);
    const expected = [...Array.from({ length: 20 }, (_, k) => 2 * k), 35].sort((x, y) => x - y);
    expect(d.fulfilled).toEqual(expected);
    expect(d.messages).toEqual(expected.map((i) => `r${i}`));
  });
});
