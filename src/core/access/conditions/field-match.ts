/** `KalturaFieldMatchCondition` (type 6): a context field equals one of the values (exact). */
import { compileStringField, stringValues } from '../fields.js';
import type { ConditionCompiler } from './types.js';

/**
 * No values ⇒ fulfilled; field without a value (no session for the email, no entry, unknown
 * country) ⇒ not fulfilled; otherwise strict string equality with any value. Context fields are
 * single-valued, so `matchType` does not matter here.
 */
export const compileFieldMatch: ConditionCompiler<'fieldMatch'> = (spec, ctx) => {
  const values = stringValues(spec.values, `${ctx.path}.values`);
  if (values.length === 0) return () => true;
  const field = compileStringField(spec.field, `${ctx.path}.field`);
  const set = new Set(values);
  return (scope, state) => {
    const v = field(scope, state);
    return v !== null && set.has(v);
  };
};
