/** `KalturaSessionTypeCondition` (type 22): the session is of the given type. Applies its own `not`. */
import { PRIV } from '../../ks/privileges.js';
import { RuleCompileError } from '../errors.js';
import { ADMIN_SESSION_TYPE } from '../state.js';
import type { ConditionCompiler } from './types.js';

/**
 * Kaltura's quirk, kept: without a session, or with a session holding `disablesessiontypecheck`,
 * the condition is false whatever `not` says, so `not` is applied here and not centrally.
 * (Kaltura also answers false for requests from its internal IPs; Gatehouse has no such list.)
 */
export const compileSessionType: ConditionCompiler<'sessionType'> = (spec, ctx) => {
  const wanted = spec.sessionType ?? ADMIN_SESSION_TYPE;
  if (typeof wanted !== 'number' || !Number.isInteger(wanted)) throw new RuleCompileError(`${ctx.path}.sessionType`, 'must be an integer session type');
  const not = spec.not === true;
  return (scope) => {
    const session = scope.session;
    if (!session || session.privileges.includes(PRIV.disablesessiontypecheck)) return false;
    return (session.type === wanted) !== not;
  };
};
