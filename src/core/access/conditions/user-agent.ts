/** `KalturaUserAgentCondition` (type 5): the user agent matches one of the regex values. */
import { stringValues } from '../fields.js';
import { compileRegexValues, MAX_USER_AGENT_INPUT } from '../regex.js';
import type { ConditionCompiler } from './types.js';

/** Equal to a value, or RE2 `(?i)value` found in the first 1024 characters. No values ⇒ fulfilled. */
export const compileUserAgent: ConditionCompiler<'userAgent'> = (spec, ctx) => {
  const path = `${ctx.path}.values`;
  const values = stringValues(spec.values, path);
  if (values.length === 0) return () => true;
  const matches = compileRegexValues(values, path, MAX_USER_AGENT_INPUT);
  return (scope) => matches(scope.userAgent);
};
