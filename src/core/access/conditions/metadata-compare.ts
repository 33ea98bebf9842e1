/** `KalturaCompareMetadataCondition` (`metadata.FieldCompare`): numeric entry metadata vs a value. */
import { comparator, compileCompareValue, toNumber } from '../fields.js';
import { metadataFieldName } from '../xpath.js';
import type { ConditionCompiler } from './types.js';

/**
 * Kaltura's compare semantics over a multi-valued field: value null ⇒ fulfilled; no field or no
 * field values (PHP-falsy) ⇒ not fulfilled; otherwise every field value must pass the comparison.
 * The seed's sunrise example (`comparison=4` with the time field as the value) reads with the
 * server's enum as "metadata value LESS_THAN now".
 */
export const compileMetadataCompare: ConditionCompiler<'metadataCompare'> = (spec, ctx) => {
  const name = metadataFieldName(spec.xPath, `${ctx.path}.xPath`);
  const cmp = comparator(spec.comparison, `${ctx.path}.comparison`);
  const value = compileCompareValue(spec.value, `${ctx.path}.value`);
  if (value === null) return () => true;
  const { profileId = null, profileSystemName = null } = spec;
  return (scope, state) => {
    const v = value(scope, state);
    if (v === null) return true;
    const field = scope.entry?.metadata(profileId, profileSystemName)?.get(name);
    if (field === undefined || field === null || field.length === 0) return false;
    if (Number.isNaN(v)) return false;
    // PHP's falsy test is on the whole list (above); each item is then only compared.
    for (let i = 0; i < field.length; i++) {
      const n = toNumber(field[i] as string);
      if (Number.isNaN(n) || !cmp(n, v)) return false;
    }
    return true;
  };
};
