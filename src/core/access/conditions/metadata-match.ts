/** `KalturaMatchMetadataCondition` (`metadata.FieldMatch`): entry metadata values vs the values. */
import { isMatchAny, stringValues } from '../fields.js';
import { metadataFieldName } from '../xpath.js';
import type { ConditionCompiler } from './types.js';

/**
 * No values ⇒ fulfilled; no entry, no metadata of that profile or no such field ⇒ not fulfilled;
 * otherwise each field value is compared exactly with the values: MATCH_ANY needs one field value
 * to match, MATCH_ALL (the default) needs all of them to.
 */
export const compileMetadataMatch: ConditionCompiler<'metadataMatch'> = (spec, ctx) => {
  const name = metadataFieldName(spec.xPath, `${ctx.path}.xPath`);
  const values = stringValues(spec.values, `${ctx.path}.values`);
  if (values.length === 0) return () => true;
  const set = new Set(values);
  const any = isMatchAny(spec.matchType);
  const { profileId = null, profileSystemName = null } = spec;
  return (scope) => {
    const field = scope.entry?.metadata(profileId, profileSystemName)?.get(name);
    if (field === undefined || field === null) return false;
    if (any) {
      for (let i = 0; i < field.length; i++) if (set.has(field[i] as string)) return true;
      return false;
    }
    for (let i = 0; i < field.length; i++) if (!set.has(field[i] as string)) return false;
    return true;
  };
};
