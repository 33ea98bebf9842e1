/** The shape shared by the condition compilers of this directory. */
import type { ConditionSpec } from '../model.js';
import type { ConditionFn } from '../state.js';

export interface CompileContext {
  /** Where the condition sits, e.g. `rules[0].conditions[1]` (prefix of RuleCompileError paths). */
  readonly path: string;
  /** Compiles a nested condition, its own `not` applied (for OR). */
  child(spec: ConditionSpec, path: string): ConditionFn;
}

export type ConditionOf<T extends ConditionSpec['type']> = Extract<ConditionSpec, { type: T }>;

/**
 * Compiles one condition kind to a closure over pre-parsed data. The closure returns the
 * condition's own result; `not` is applied once, centrally (conditions/index.ts and the rule loop),
 * except by kinds that Kaltura lets ignore it (session type), which apply it themselves.
 */
export type ConditionCompiler<T extends ConditionSpec['type']> = (spec: ConditionOf<T>, ctx: CompileContext) => ConditionFn;
