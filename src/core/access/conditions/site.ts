/** `KalturaSiteCondition` (type 4): the referrer's host is one of the listed domains. */
import { stringValues } from '../fields.js';
import { compileHostValues, referrerHost } from '../host.js';
import type { ConditionCompiler } from './types.js';

/**
 * Kaltura's literal rule plus the seed's `*.example.com` wildcard (see host.ts for both and for
 * how the host is extracted). No values ⇒ fulfilled. Kaltura also appends configured global
 * white-listed domains when `not` is set; Gatehouse has no such global list.
 */
export const compileSite: ConditionCompiler<'site'> = (spec, ctx) => {
  const values = stringValues(spec.values, `${ctx.path}.values`);
  if (values.length === 0) return () => true;
  const matches = compileHostValues(values);
  return (scope) => matches(referrerHost(scope.referrer));
};
