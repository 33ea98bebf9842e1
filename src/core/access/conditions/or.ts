/** `KalturaOrCondition` (type 11): any sub-condition (each with its own `not`) is fulfilled. */
import { RuleCompileError } from '../errors.js';
import type { ConditionCompiler } from './types.js';

/** An OR of nothing is false (no sub-condition can be fulfilled). */
export const compileOr: ConditionCompiler<'or'> = (spec, ctx) => {
  if (!Array.isArray(spec.conditions)) throw new RuleCompileError(`${ctx.path}.conditions`, 'must be a list of conditions');
  const parts = spec.conditions.map((c, i) => ctx.child(c, `${ctx.path}.conditions[${i}]`));
  if (parts.length === 0) return () => false;
  return (scope, state) => {
    for (let i = 0; i < parts.length; i++) if ((parts[i] as (typeof parts)[number])(scope, state)) return true;
    return false;
  };
};
