/**
 * The simulator's evaluation: the same compiled rules as `CompiledProfile.evaluate`, run once more
 * with a trace of every rule and condition ("which rules fired and why"). A separate function on
 * purpose: the hot path stays as it is (no trace, short-circuits, shared frozen answers), and the
 * trace costs only those who ask for it. The Decision built here follows the same steps as
 * compile.ts's loop, so it equals what `evaluate` answers for the same scope.
 */
import { compiledInternals, RuleCompileError, type CompiledProfile } from './compile.js';
import { whyOf } from './explain-why.js';
import type { AccessScope, ActionSpec, ConditionSpec, Decision, GeoLookup } from './model.js';
import { ADMIN_SESSION_TYPE, EvalState, type ConditionFn } from './state.js';

export interface ConditionTrace {
  index: number;
  /** The condition kind (`country`, `site`, `ipAddress`, ...). */
  type: ConditionSpec['type'];
  not: boolean;
  /** After `not`: whether this condition counts as met. */
  fulfilled: boolean;
  /** A short sentence with the facts it looked at. */
  why: string;
}

export interface RuleTrace {
  index: number;
  fired: boolean;
  /** Why the rule was not evaluated at all. */
  skipped?: 'context' | 'admin' | 'stopped';
  conditions: ConditionTrace[];
}

export interface Explanation {
  decision: Decision;
  rules: RuleTrace[];
  /** The country the decision used (forced, or looked up from the IP); null when unknown. */
  country: string | null;
}

export interface ExplainOptions {
  /** Unix seconds "now" (entry scheduling), as for `evaluate`. */
  now: number;
  /** Forces the country instead of the geo lookup ("what would a viewer in DE see?"). */
  country?: string | undefined;
}

/** Throws RuleCompileError only for an object that `compileProfile` did not make (a caller bug). */
export function explainProfile(profile: CompiledProfile, scope: AccessScope, opts: ExplainOptions): Explanation {
  const internals = compiledInternals(profile);
  if (!internals) throw new RuleCompileError('rules', 'not a compiled profile');
  const forced = opts.country?.trim().toUpperCase();
  const geo: GeoLookup = forced ? { country: () => forced } : internals.geo;
  const state = new EvalState(geo, opts.now);
  const admin = scope.session?.type === ADMIN_SESSION_TYPE;

  const fulfilled: number[] = [];
  const messages: string[] = [];
  const actions: ActionSpec[] = [];
  const codes: Record<string, string> = Object.create(null) as Record<string, string>;
  const traces: RuleTrace[] = [];
  let stopped = false;

  internals.rules.forEach((rule, i) => {
    const specs = internals.specs[i]?.conditions ?? [];
    const untraced = (skipped: RuleTrace['skipped']): RuleTrace => ({ index: i, fired: false, skipped, conditions: [] });
    if (stopped) return traces.push(untraced('stopped'));
    if (admin && !rule.force) return traces.push(untraced('admin'));
    if (rule.contexts.length > 0 && scope.contexts.length > 0 && !rule.contexts.some((c) => scope.contexts.includes(c))) return traces.push(untraced('context'));

    // Every condition is evaluated (no short-circuit), so the trace shows all of them.
    let doubtful = false;
    const conditions = rule.conditions.map((fn, k): ConditionTrace => {
      const spec = specs[k] as ConditionSpec;
      const raw = safely(fn, scope, state);
      if (raw === undefined) doubtful = true;
      // Unknown (it threw) counts as met: `evaluate` fails closed the same way (compile.ts's `doubtful`).
      const met = raw === undefined || raw !== rule.negate[k];
      const not = spec.not === true;
      const why = raw === undefined ? 'could not be evaluated (counted as fulfilled: access control fails closed)' : whyOf(spec, scope, state, raw);
      return { index: k, type: spec.type, not, fulfilled: met, why: not && raw !== undefined && spec.type !== 'sessionType' ? `${why}; negated by "not"` : why };
    });
    const fired = conditions.every((c) => c.fulfilled);
    traces.push({ index: i, fired, conditions });
    if (!fired) return;
    fulfilled.push(i);
    if (rule.message !== '') messages.push(rule.message);
    actions.push(...rule.actions);
    if (rule.code !== '') codes[rule.code] = rule.message;
    // A rule applied only for want of an answer does not stop the others (as in `evaluate`).
    if (rule.stop && !doubtful) stopped = true;
  });

  const country = state.country(scope);
  return { decision: { fulfilled, messages, actions, codes }, rules: traces, country: country ?? null };
}

/** The condition's answer, or undefined when it throws (unknown: see compile.ts's `doubtful`). */
function safely(fn: ConditionFn, scope: AccessScope, state: EvalState): boolean | undefined {
  try {
    return fn(scope, state);
  } catch {
    return undefined;
  }
}
