/** `KalturaHttpHeaderCondition` (type 18): a request header matches one of the regex values. */
import { RuleCompileError } from '../errors.js';
import { headerKey, stringValues } from '../fields.js';
import { compileRegexValues, MAX_HEADER_INPUT } from '../regex.js';
import type { ConditionCompiler } from './types.js';

/** No values ⇒ fulfilled; header absent ⇒ not fulfilled; regex semantics as user agent (4 KB input cap). */
export const compileHttpHeader: ConditionCompiler<'httpHeader'> = (spec, ctx) => {
  if (typeof spec.headerName !== 'string' || spec.headerName.trim() === '') throw new RuleCompileError(`${ctx.path}.headerName`, 'is required');
  const name = headerKey(spec.headerName);
  const path = `${ctx.path}.values`;
  const values = stringValues(spec.values, path);
  if (values.length === 0) return () => true;
  const matches = compileRegexValues(values, path, MAX_HEADER_INPUT);
  return (scope) => {
    const v = scope.header(name);
    return v !== undefined && matches(v);
  };
};
