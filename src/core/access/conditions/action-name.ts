/** `KalturaActionNameCondition` (type 20): `service.action` of the call matches a regex value. */
import { stringValues } from '../fields.js';
import { compileRegexValues, MAX_ACTION_NAME_INPUT } from '../regex.js';
import type { ConditionCompiler } from './types.js';

/** No values ⇒ fulfilled; no API action (delivery requests) ⇒ not fulfilled. */
export const compileActionName: ConditionCompiler<'actionName'> = (spec, ctx) => {
  const path = `${ctx.path}.values`;
  const values = stringValues(spec.values, path);
  if (values.length === 0) return () => true;
  const matches = compileRegexValues(values, path, MAX_ACTION_NAME_INPUT);
  return (scope) => scope.actionName !== '' && matches(scope.actionName);
};
