/** `KalturaEntryScheduledCondition` (type 19): the entry is inside its start/end window now. */
import type { ConditionCompiler } from './types.js';

/**
 * Kaltura's `isScheduledNow()` at evaluation time ("now", not the scope's time): an unset (or 0)
 * start/end date does not restrict. No entry ⇒ not fulfilled.
 */
export const compileEntryScheduled: ConditionCompiler<'entryScheduled'> = () => (scope, state) => {
  const entry = scope.entry;
  if (!entry) return false;
  const t = state.now;
  return (!entry.startDate || entry.startDate <= t) && (!entry.endDate || entry.endDate >= t);
};
