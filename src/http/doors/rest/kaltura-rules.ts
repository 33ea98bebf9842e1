/**
 * Access-control rules in the Kaltura JSON shapes (`KalturaRule`, `Kaltura*Condition`,
 * `Kaltura*Action`, context holders), decoded and encoded by the Kaltura door's own rule codec:
 * the console edits exactly what `accessControlProfile.add` takes and returns, and there is one
 * decoder of rule objects, not two. This file is the REST door's only way into the Kaltura door
 * (a deliberate exception to "doors never import each other": sharing the codec is the point).
 */
import type { ActionSpec, RuleSpec } from '../../../core/access/model.js';
import '../kaltura/classes/index.js';
import { rulesFromKaltura } from '../kaltura/access/from-kaltura.js';
import { actionToKaltura, rulesToKaltura } from '../kaltura/access/to-kaltura.js';
import { decodeValue } from '../kaltura/wire/deserialize.js';
import { T, type KObject } from '../kaltura/wire/types.js';

/** Kaltura rule objects (plain JSON) → neutral rules. Throws catalogue errors (400) naming the property. */
export function decodeKalturaRules(raw: readonly unknown[], nowSec: number): RuleSpec[] {
  return rulesFromKaltura(decodeValue(raw, T.array('KalturaRule'), 'rules', { nowSec }) as KObject[]);
}

/** Neutral rules → Kaltura rule objects, as accessControlProfile.get returns them. */
export function encodeKalturaRules(rules: readonly RuleSpec[]): KObject[] {
  return rulesToKaltura(rules);
}

/** One neutral action → its Kaltura object (`KalturaAccessControlBlockAction`, ...). */
export function encodeKalturaAction(a: ActionSpec): KObject {
  return actionToKaltura(a);
}
