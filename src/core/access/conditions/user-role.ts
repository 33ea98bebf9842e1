/** `KalturaUserRoleCondition` (type 9): every role of the session's user is in the list. */
import { stringValues } from '../fields.js';
import type { ConditionCompiler } from './types.js';

/**
 * No session ⇒ false; a user without roles ⇒ true (Kaltura's "every role" over an empty set).
 * Items may also be comma lists, as Kaltura's `roleIds` is one comma-separated string.
 */
export const compileUserRole: ConditionCompiler<'userRole'> = (spec, ctx) => {
  const ids = new Set(
    stringValues(spec.roleIds, `${ctx.path}.roleIds`)
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== ''),
  );
  return (scope) => {
    const session = scope.session;
    if (!session) return false;
    const roles = session.roleIds;
    for (let i = 0; i < roles.length; i++) if (!ids.has(roles[i] as string)) return false;
    return true;
  };
};
