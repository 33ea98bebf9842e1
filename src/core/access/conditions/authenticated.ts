/** `KalturaAuthenticatedCondition` (type 1): the session holds one of the listed privileges. */
import { parsePrivileges, PRIV, verifyPrivilege, type PrivilegeMap } from '../../ks/privileges.js';
import { stringValues } from '../fields.js';
import { ADMIN_SESSION_TYPE, type EvalState } from '../state.js';
import type { ConditionCompiler } from './types.js';

/** Kaltura's default when the condition lists no privileges. */
const DEFAULT_PRIVILEGES: readonly string[] = [PRIV.sview, PRIV.sviewplaylist];
const NOT_PARSED: PrivilegeMap = new Map();

/**
 * verifyPrivilege, parsing the privilege string only when the parse can change the answer: the
 * parse is the costly part and most sessions are decided without it. Same result as calling
 * verifyPrivilege with the parsed map directly, because the parsed lookup can only succeed where
 * the substring test `name:value` failed for a second or later value of an item (`name:a/b`),
 * so without a `/` in the string, or without the name, the parse cannot find anything new.
 */
function hasPrivilege(raw: string, name: string, value: string, state: EvalState): boolean {
  // Every way verifyPrivilege can say yes needs the name in the string, or the string to be `*`;
  // checking that first spares its string concatenations for sessions that lack the privilege.
  if (raw !== PRIV.wildcard && !raw.includes(name)) return false;
  if (verifyPrivilege(raw, NOT_PARSED, name, value)) return true;
  if (value === '' || !raw.includes('/')) return false;
  state.privileges ??= parsePrivileges(raw);
  return verifyPrivilege(raw, state.privileges, name, value);
}

/**
 * No session ⇒ false; ADMIN session ⇒ true; otherwise true when any privilege passes Kaltura's
 * verifyPrivileges for the entry id (a privilege named `widget` is checked as `widget:1`).
 */
export const compileAuthenticated: ConditionCompiler<'authenticated'> = (spec, ctx) => {
  const listed = stringValues(spec.privileges ?? [], `${ctx.path}.privileges`)
    .map((p) => p.trim())
    .filter((p) => p !== ''); // an empty name would be a substring of every privilege string
  const names = listed.length > 0 ? listed : DEFAULT_PRIVILEGES;
  const fixed = names.map((n) => (n === PRIV.widget ? '1' : null));
  return (scope, state) => {
    const session = scope.session;
    if (!session) return false;
    if (session.type === ADMIN_SESSION_TYPE) return true;
    const entryId = scope.entry?.id ?? '';
    for (let i = 0; i < names.length; i++) {
      if (hasPrivilege(session.privileges, names[i] as string, fixed[i] ?? entryId, state)) return true;
    }
    return false;
  };
};
