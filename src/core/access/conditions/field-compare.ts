/** `KalturaFieldCompareCondition` (type 7): a numeric context field compared with a value. */
import { comparator, compareOne, compileCompareValue, compileNumberField } from '../fields.js';
import type { ConditionCompiler } from './types.js';

/**
 * `field <comparison> value` with Kaltura's compare semantics (fields.ts): value null ⇒
 * fulfilled; field null/0/non-numeric ⇒ not fulfilled. Typical use: the time field with an
 * offset against a constant date.
 */
export const compileFieldCompare: ConditionCompiler<'fieldCompare'> = (spec, ctx) => {
  const cmp = comparator(spec.comparison, `${ctx.path}.comparison`);
  const value = compileCompareValue(spec.value, `${ctx.path}.value`);
  const field = compileNumberField(spec.field, `${ctx.path}.field`);
  if (value === null) return () => true;
  return (scope, state) => {
    const v = value(scope, state);
    return v === null || compareOne(cmp, field(scope, state), v);
  };
};
