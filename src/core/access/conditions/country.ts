/** `KalturaCountryCondition` (type 2): the country of the client IP is one of the values. */
import { stringValues } from '../fields.js';
import type { ConditionCompiler } from './types.js';

/**
 * Values are trimmed and upper-cased at compile time and compared with the lookup's code, which
 * GeoLookup returns upper-case (Kaltura lower-cases both sides: same outcome), so `us` matches
 * `US`. No values ⇒ fulfilled; unknown or private address ⇒ not fulfilled.
 */
export const compileCountry: ConditionCompiler<'country'> = (spec, ctx) => {
  const values = stringValues(spec.values, `${ctx.path}.values`);
  if (values.length === 0) return () => true;
  const codes = new Set(values.map((v) => v.trim().toUpperCase()));
  return (scope, state) => {
    const country = state.country(scope);
    return country !== undefined && codes.has(country);
  };
};
