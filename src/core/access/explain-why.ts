/**
 * One short sentence per condition for the simulator's trace: the facts the condition looked at
 * and the result (before `not`). Reads only the spec, the scope and the evaluation's memo; never
 * a secret (a hash condition names its hash, not its secret or the expected value).
 */
import { compileCondition } from './conditions/index.js';
import { referrerHost } from './host.js';
import type { AccessScope, ConditionSpec, FieldSpec } from './model.js';
import { ADMIN_SESSION_TYPE, type EvalState } from './state.js';

const list = (values: readonly string[]): string => `[${values.join(', ')}]`;
const quote = (s: string, max = 120): string => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
const SESSION_TYPES: Record<number, string> = { 0: 'USER', 1: 'WIDGET', 2: 'ADMIN' };
const sessionName = (t: number): string => SESSION_TYPES[t] ?? String(t);

/** `raw` is the condition's own result, before `not` (for sessionType: after, as it applies `not` itself). */
export function whyOf(spec: ConditionSpec, scope: AccessScope, state: EvalState, raw: boolean): string {
  const is = raw ? 'is' : 'is not';
  switch (spec.type) {
    case 'country': {
      if (spec.values.length === 0) return 'no countries listed: always fulfilled';
      const c = state.country(scope);
      const wanted = list(spec.values.map((v) => v.trim().toUpperCase()));
      return c === undefined ? `the country of ${scope.ip || '(no IP)'} is unknown, so it is not in ${wanted}` : `country ${c} ${is} in ${wanted}`;
    }
    case 'ipAddress': {
      if (spec.values.length === 0) return 'no addresses listed: always fulfilled';
      const from = spec.httpHeader ? `IP from header ${spec.httpHeader} (${quote(scope.header(spec.httpHeader.toLowerCase()) ?? '(absent)')})` : `IP ${scope.ip}`;
      return `${from} ${is} in ${list(spec.values)}`;
    }
    case 'site': {
      if (spec.values.length === 0) return 'no sites listed: always fulfilled';
      const host = referrerHost(scope.referrer);
      return `referrer host ${host || '(none)'} ${raw ? 'matches' : 'does not match'} ${spec.values.join(', ')}`;
    }
    case 'userAgent':
      if (spec.values.length === 0) return 'no patterns listed: always fulfilled';
      return `user agent ${quote(scope.userAgent)} ${raw ? 'matches' : 'matches none of'} ${list(spec.values)}`;
    case 'authenticated': {
      const s = scope.session;
      if (!s) return 'no session, so not authenticated';
      if (s.type === ADMIN_SESSION_TYPE) return 'an ADMIN session is always authenticated';
      const names = spec.privileges.length ? spec.privileges : ['sview', 'sviewplaylist'];
      return `session privileges ${quote(s.privileges || '(none)')} ${raw ? 'include' : 'include none of'} ${list(names)}`;
    }
    case 'sessionType': {
      const s = scope.session;
      if (!s) return 'no session: never fulfilled, whatever "not" says';
      return `session type ${sessionName(s.type)}, condition ${spec.not ? 'not ' : ''}${sessionName(spec.sessionType)}: ${raw ? 'fulfilled' : 'not fulfilled'}`;
    }
    case 'userRole': {
      const s = scope.session;
      if (!s) return 'no session, so no roles';
      return `session roles ${list([...s.roleIds])} ${raw ? 'are all' : 'are not all'} in ${list(spec.roleIds)}`;
    }
    case 'hash':
      return raw ? `hash ${quote(spec.hashName)} is missing or wrong` : `hash ${quote(spec.hashName)} is present and correct`;
    case 'httpHeader': {
      const v = scope.header(spec.headerName.trim().toLowerCase());
      if (spec.values.length === 0) return 'no patterns listed: always fulfilled';
      return v === undefined ? `header ${spec.headerName} is absent` : `header ${spec.headerName} ${quote(v)} ${raw ? 'matches' : 'matches none of'} ${list(spec.values)}`;
    }
    case 'entryScheduled':
      return scope.entry ? `the entry ${is} inside its start/end window now` : 'no entry, so not scheduled';
    case 'actionName':
      return `action ${quote(scope.actionName)} ${raw ? 'matches' : 'matches none of'} ${list(spec.values)}`;
    case 'fieldMatch':
      return `${fieldName(spec.field)} ${raw ? 'matches' : 'does not match'} ${list(spec.values)}`;
    case 'fieldCompare':
      return `the comparison on ${fieldName(spec.field)} ${is} true`;
    case 'metadataMatch':
      return scope.entry ? `metadata ${spec.xPath} ${raw ? 'matches' : 'does not match'} ${list(spec.values)}` : 'no entry, so no metadata';
    case 'metadataCompare':
      return scope.entry ? `the comparison on metadata ${spec.xPath} ${is} true` : 'no entry, so no metadata';
    case 'or': {
      if (spec.conditions.length === 0) return 'an empty OR is never fulfilled';
      // Sub-conditions are compiled again for the sentence only (simulator path, never per request).
      const parts = spec.conditions.map((c) => {
        const met = compileCondition(c, 'or').fn(scope, state);
        const own = c.type === 'sessionType' ? met : met !== (c.not === true);
        return `${own ? 'yes' : 'no'}: ${whyOf(c, scope, state, met)}${c.not && c.type !== 'sessionType' ? ' (negated)' : ''}`;
      });
      return `${raw ? 'at least one' : 'none'} of ${spec.conditions.length} alternatives holds (${parts.join('; ')})`;
    }
  }
}

function fieldName(f: FieldSpec): string {
  return f.kind === 'constant' ? quote(f.value) : f.kind === 'time' ? 'the time' : f.kind;
}
