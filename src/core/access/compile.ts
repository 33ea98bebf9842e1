/**
 * CONTRACT (filled in by the rule-engine work of issue 4): compile a profile's rules once into
 * closures over pre-parsed data, evaluate many times. Other code depends only on these signatures.
 *
 * Evaluation is Kaltura's (protocol/kaltura.md §5.2): rules in order; an ADMIN session skips rules
 * without forceAdminValidation; a rule applies when it has no contexts, the scope has none, or
 * they share one; it is fulfilled when all its conditions are (none ⇒ fulfilled); a fulfilled
 * rule adds its message (when non-empty), its actions and code → message; stopProcessing ends.
 */
import { compileActions } from './actions.js';
import { compileCondition } from './conditions/index.js';
import { RuleCompileError } from './errors.js';
import type { AccessScope, ActionSpec, Decision, GeoLookup, RuleSpec } from './model.js';
import { ADMIN_SESSION_TYPE, EvalState, type ConditionFn } from './state.js';

export { RuleCompileError } from './errors.js';

export interface CompileOptions {
  geo: GeoLookup;
}

export interface EvaluateOptions {
  /** Unix seconds "now" for entry scheduling (Kaltura uses now, not the scope's time). */
  now: number;
}

export interface CompiledProfile {
  readonly ruleCount: number;
  /**
   * Never throws; an ADMIN session (type 2) skips rules without forceAdminValidation.
   * The returned Decision and its arrays are shared and frozen: read them, never mutate them.
   */
  evaluate(scope: AccessScope, opts: EvaluateOptions): Decision;
}

const EMPTY_STRINGS: string[] = Object.freeze([]) as unknown as string[];
const EMPTY_ACTIONS: ActionSpec[] = Object.freeze([]) as unknown as ActionSpec[];
const EMPTY_CODES: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

/** (Addition to the contract) The Decision of "no rule fired": one frozen object, shared. */
export const EMPTY_DECISION: Decision = Object.freeze({
  fulfilled: Object.freeze([]) as unknown as number[],
  messages: EMPTY_STRINGS,
  actions: EMPTY_ACTIONS,
  codes: EMPTY_CODES,
});

/*
 * Security: if the scope itself is unusable (a door bug: e.g. `contexts` missing), we cannot know
 * which rules apply, so the answer fails closed with a block instead of silently allowing.
 * A single condition that throws is "unknown" (see `doubtful`): its rule applies unless another of
 * its conditions is plainly false, so a block rule never stops blocking because of a fault.
 */
const FAULT_DECISION: Decision = Object.freeze({
  fulfilled: Object.freeze([]) as unknown as number[],
  messages: Object.freeze(['Access control could not be evaluated']) as unknown as string[],
  actions: Object.freeze([Object.freeze({ type: 'block' as const })]) as unknown as ActionSpec[],
  codes: EMPTY_CODES,
});

/** Context values that fit a 31-bit mask (all of KalturaContextType's 1..6 do). */
const MAX_MASK_CONTEXT = 30;
const isMaskable = (c: number) => c >= 1 && c <= MAX_MASK_CONTEXT;

export interface CompiledRule {
  readonly contexts: readonly number[];
  /** Bit c set for every maskable context c; 0 with no contexts. */
  readonly mask: number;
  /** Some context is not maskable: fall back to comparing lists. */
  readonly oddContexts: boolean;
  readonly conditions: readonly ConditionFn[];
  /** Per condition: negate its result (`not`, applied here rather than by a wrapper closure). */
  readonly negate: readonly boolean[];
  readonly message: string;
  readonly code: string;
  readonly actions: readonly ActionSpec[];
  readonly stop: boolean;
  readonly force: boolean;
}

/** Profiles of at most this many rules memoise their Decisions by the set of fired rules. */
const MEMO_RULES = 30;
const MAX_MEMO_DECISIONS = 256;

/**
 * The Decision for rules fired in `fired` (ascending indexes): their messages, actions and
 * codes in rule order — a function of the fired set alone, so it can be shared. Frozen.
 */
function decisionOf(compiled: readonly CompiledRule[], fired: number[]): Decision {
  let messages: string[] | undefined;
  let actions: ActionSpec[] | undefined;
  let codes: Record<string, string> | undefined;
  for (const i of fired) {
    const rule = compiled[i] as CompiledRule;
    if (rule.message !== '') (messages ??= []).push(rule.message);
    if (rule.actions.length > 0) (actions ??= []).push(...rule.actions);
    // A null-prototype object, so a code such as "__proto__" is just a key.
    if (rule.code !== '') (codes ??= Object.create(null) as Record<string, string>)[rule.code] = rule.message;
  }
  return Object.freeze({
    fulfilled: Object.freeze(fired) as unknown as number[],
    messages: messages ? (Object.freeze(messages) as unknown as string[]) : EMPTY_STRINGS,
    actions: actions ? (Object.freeze(actions) as unknown as ActionSpec[]) : EMPTY_ACTIONS,
    codes: codes ? Object.freeze(codes) : EMPTY_CODES,
  });
}

function optionalString(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new RuleCompileError(path, 'must be a string');
  return v;
}

function compileRule(rule: RuleSpec, path: string): CompiledRule {
  if (typeof rule !== 'object' || rule === null) throw new RuleCompileError(path, 'a rule must be an object');
  const contexts = rule.contexts ?? [];
  if (!Array.isArray(contexts)) throw new RuleCompileError(`${path}.contexts`, 'must be a list of context types');
  let mask = 0;
  let oddContexts = false;
  contexts.forEach((c, i) => {
    if (typeof c !== 'number' || !Number.isSafeInteger(c)) throw new RuleCompileError(`${path}.contexts[${i}]`, 'must be an integer context type');
    if (isMaskable(c)) mask |= 1 << c;
    else oddContexts = true;
  });
  const conditions = rule.conditions ?? [];
  if (!Array.isArray(conditions)) throw new RuleCompileError(`${path}.conditions`, 'must be a list of conditions');
  const compiledConditions = conditions.map((c, i) => compileCondition(c, `${path}.conditions[${i}]`));
  return {
    contexts: Object.freeze([...contexts]),
    mask,
    oddContexts,
    conditions: compiledConditions.map((c) => c.fn),
    negate: compiledConditions.map((c) => c.negate),
    message: optionalString(rule.message, `${path}.message`),
    code: optionalString(rule.code, `${path}.code`),
    actions: compileActions(rule.actions ?? [], `${path}.actions`),
    stop: rule.stopProcessing === true,
    force: rule.forceAdminValidation === true,
  };
}

/**
 * A rule one of whose conditions could not be evaluated (it threw: a fault, never a "no"), read
 * with three-valued AND: it is not fulfilled when another of its conditions, from `from` on, is
 * plainly false; otherwise it counts as fulfilled, so its restrictions (block, preview, limits)
 * apply. Its `stopProcessing` is not honoured: the rules after it are still evaluated, so a fault
 * can only add restrictions, never skip one.
 */
function doubtful(rule: CompiledRule, from: number, scope: AccessScope, state: EvalState): boolean {
  for (let k = from; k < rule.conditions.length; k++) {
    try {
      if ((rule.conditions[k] as ConditionFn)(scope, state) === rule.negate[k]) return false;
    } catch {
      // Unknown too: it cannot make the rule false.
    }
  }
  return true;
}

/**
 * Compiles a profile's rules. Throws RuleCompileError (with the path of the offending part, e.g.
 * `rules[1].conditions[0].values[2]`) for anything that cannot be evaluated as written: call it
 * when a profile is saved, to refuse it, and when it is loaded, to cache the result.
 */
export function compileProfile(rules: readonly RuleSpec[], opts: CompileOptions): CompiledProfile {
  if (!Array.isArray(rules)) throw new RuleCompileError('rules', 'must be a list of rules');
  const compiled = Object.freeze(rules.map((r, i) => compileRule(r, `rules[${i}]`)));
  const geo = opts.geo;
  const anyForced = compiled.some((r) => r.force);
  const anyContexts = compiled.some((r) => r.contexts.length > 0);
  const memo = compiled.length <= MEMO_RULES;
  const byMask = new Map<number, Decision>();

  function run(scope: AccessScope, now: number): Decision {
    const admin = scope.session?.type === ADMIN_SESSION_TYPE;
    if (admin && !anyForced) return EMPTY_DECISION;

    const scopeContexts = scope.contexts;
    let scopeMask = 0;
    let scopeOdd = false;
    const everyContext = scopeContexts.length === 0;
    if (anyContexts && !everyContext) {
      for (let i = 0; i < scopeContexts.length; i++) {
        const c = scopeContexts[i] as number;
        if (isMaskable(c)) scopeMask |= 1 << c;
        else scopeOdd = true;
      }
    }

    let state: EvalState | undefined;
    // Up to MEMO_RULES rules, the fired set is a bit mask and the Decision comes from `byMask`
    // (nothing allocated per evaluation once a combination has been seen); beyond, it is built.
    let firedMask = 0;
    let fulfilled: number[] | undefined;
    let i = 0;
    let k = 0;
    // One try region around the loop (cheaper than a guarded call per rule): a condition that
    // throws is unknown; its rule is settled by `doubtful` and evaluation resumes with the next rule.
    for (;;) {
      try {
        rules: for (; i < compiled.length; i++) {
          const rule = compiled[i] as CompiledRule;
          if (admin && !rule.force) continue;
          if (rule.contexts.length > 0 && !everyContext && (rule.mask & scopeMask) === 0) {
            if (!(rule.oddContexts || scopeOdd) || !rule.contexts.some((c) => scopeContexts.includes(c))) continue;
          }
          const conditions = rule.conditions;
          if (conditions.length > 0) {
            state ??= new EvalState(geo, now);
            // AND of the conditions, each negated when it says `not`.
            for (k = 0; k < conditions.length; k++) if ((conditions[k] as ConditionFn)(scope, state) === rule.negate[k]) continue rules;
          }
          if (memo) firedMask |= 1 << i;
          else (fulfilled ??= []).push(i);
          if (rule.stop) break;
        }
        break;
      } catch {
        // Condition k of rule i threw (the conditions before it held).
        if (doubtful(compiled[i] as CompiledRule, k + 1, scope, state as EvalState)) {
          if (memo) firedMask |= 1 << i;
          else (fulfilled ??= []).push(i);
        }
        i++;
      }
    }
    if (memo) {
      if (firedMask === 0) return EMPTY_DECISION;
      let d = byMask.get(firedMask);
      if (d === undefined) {
        const fired: number[] = [];
        for (let k = 0; k < compiled.length; k++) if ((firedMask & (1 << k)) !== 0) fired.push(k);
        d = decisionOf(compiled, fired);
        // Bounded: a profile of n rules has at most 2^n combinations, only a few of which occur.
        if (byMask.size < MAX_MEMO_DECISIONS) byMask.set(firedMask, d);
      }
      return d;
    }
    return fulfilled === undefined ? EMPTY_DECISION : decisionOf(compiled, fulfilled);
  }

  const profile: CompiledProfile = Object.freeze({
    ruleCount: compiled.length,
    evaluate(scope: AccessScope, evalOpts: EvaluateOptions): Decision {
      try {
        return run(scope, evalOpts.now);
      } catch {
        return FAULT_DECISION;
      }
    },
  });
  INTERNALS.set(profile, { rules: compiled, specs: rules, geo });
  return profile;
}

/** What `explain.ts` reads of a compiled profile: the same compiled rules `evaluate` runs. */
export interface CompiledInternals {
  readonly rules: readonly CompiledRule[];
  readonly specs: readonly RuleSpec[];
  readonly geo: GeoLookup;
}

/*
 * The explain/trace evaluation (explain.ts) reuses a profile's compiled rules without widening the
 * CompiledProfile contract or touching `evaluate`. A WeakMap, not a Map: an entry lives exactly as
 * long as its profile (bounded by whatever caches the profiles), so nothing accumulates here.
 */
const INTERNALS = new WeakMap<CompiledProfile, CompiledInternals>();

/** The compiled rules of a profile made by `compileProfile` (undefined for any other object). */
export function compiledInternals(profile: CompiledProfile): CompiledInternals | undefined {
  return INTERNALS.get(profile);
}
