/**
 * Rule actions are data: validated once at compile time, then copied (known fields only) and
 * frozen, so every Decision can share them without copying.
 */
import { RuleCompileError } from './errors.js';
import type { ActionSpec } from './model.js';

/** A comma-separated list of numeric ids (`487041,487051`); empty means "none". */
const ID_LIST = /^\s*(\d+\s*(,\s*\d+\s*)*)?,?\s*$/;

function idList(v: unknown, path: string): string {
  if (typeof v !== 'string' || !ID_LIST.test(v)) throw new RuleCompileError(path, 'must be a comma-separated list of numeric ids');
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new RuleCompileError(path, 'must be true or false');
  return v;
}

function compileAction(a: ActionSpec, path: string): ActionSpec {
  if (typeof a !== 'object' || a === null) throw new RuleCompileError(path, 'an action must be an object');
  switch (a.type) {
    case 'block':
      return { type: 'block' };
    case 'preview':
      // Seconds of preview: negative or fractional values have no meaning for a player.
      if (typeof a.limit !== 'number' || !Number.isSafeInteger(a.limit) || a.limit < 0) throw new RuleCompileError(`${path}.limit`, 'must be a whole number of seconds, 0 or more');
      return { type: 'preview', limit: a.limit };
    case 'limitFlavors':
      return { type: 'limitFlavors', flavorParamsIds: idList(a.flavorParamsIds, `${path}.flavorParamsIds`), isBlockedList: bool(a.isBlockedList, `${path}.isBlockedList`) };
    case 'limitDeliveryProfiles':
      return {
        type: 'limitDeliveryProfiles',
        deliveryProfileIds: idList(a.deliveryProfileIds, `${path}.deliveryProfileIds`),
        isBlockedList: bool(a.isBlockedList, `${path}.isBlockedList`),
      };
    case 'serveRemoteEdge':
      return {
        type: 'serveRemoteEdge',
        edgeServerIds: idList(a.edgeServerIds, `${path}.edgeServerIds`),
        seamlessFallbackEnabled: bool(a.seamlessFallbackEnabled, `${path}.seamlessFallbackEnabled`),
      };
    case 'limitThumbnailCapture':
      return { type: 'limitThumbnailCapture' };
    default:
      throw new RuleCompileError(path, `unknown action type ${JSON.stringify((a as { type?: unknown }).type)}`);
  }
}

/** Validated, frozen copies of a rule's actions. */
export function compileActions(actions: readonly ActionSpec[], path: string): readonly ActionSpec[] {
  if (!Array.isArray(actions)) throw new RuleCompileError(path, 'must be a list of actions');
  return Object.freeze(actions.map((a, i) => Object.freeze(compileAction(a, `${path}[${i}]`))));
}
