// Step: a KS is genuine, of the request's partner, usable now from here (expiry, iprestrict, urirestrict, revocation, actionslimit) and its user usable; else invalid_session.
import { E, fail, type GatehouseError } from '../../../core/errors/index.js';
import { isPromise, type Maybe } from '../../../core/maybe.js';
import type { RequestMeta } from '../../context.js';
import type { Directory, DirectoryPeek } from '../../ports.js';
import { INVALID_ACTIONS_LIMIT, type Authenticator, type KsCheck } from '../../sessions/authenticate.js';
import { userOf } from '../lookups.js';
import { scoped, type ScopedSession } from '../scope.js';
import { userUsable } from './user-usable.js';

/**
 * Why a session was refused, in Kaltura's words (the Kaltura door puts them in INVALID_KS's KSID):
 * `INVALID_STR` not a genuine KS; `INVALID_PARTNER` another partner's; `EXPIRED`, `LOGOUT`,
 * `EXCEEDED_RESTRICTED_IP`, `EXCEEDED_RESTRICTED_URI`, `EXCEEDED_ACTIONS_LIMIT`; and two with
 * exceptions of their own, `INVALID_ACTIONS_LIMIT` and `USER_BLOCKED`.
 */
export type SessionRefusal = { ok: false; reason: 'invalid_session'; detail: string };
export type SessionOutcome = { ok: true; session: ScopedSession } | SessionRefusal;

export interface SessionUsableDeps {
  authenticator: Pick<Authenticator, 'check' | 'usable' | 'consume'>;
  directory: Directory;
  peek: DirectoryPeek | undefined;
}

const refusals = new Map<string, SessionRefusal>();
function refused(detail: string): SessionRefusal {
  let r = refusals.get(detail);
  if (!r) {
    r = Object.freeze({ ok: false, reason: 'invalid_session', detail });
    refusals.set(detail, r);
  }
  return r;
}

export function sessionUsable(d: SessionUsableDeps, raw: string, partnerId: number, meta: RequestMeta): Maybe<SessionOutcome> {
  const c = d.authenticator.check(raw);
  return isPromise(c) ? c.then((v) => checkedSessionUsable(d, v, partnerId, meta)) : checkedSessionUsable(d, c, partnerId, meta);
}

/** The same rule for a KS already checked (`Authenticator.check`; null: not a genuine KS). */
export function checkedSessionUsable(d: SessionUsableDeps, c: KsCheck | null, partnerId: number, meta: RequestMeta): Maybe<SessionOutcome> {
  if (!c) return refused('INVALID_STR');
  const checked = usableForRequest(d.authenticator, c, partnerId, meta);
  if (isPromise(checked)) return checked.then((r) => r ?? withUser(d, c));
  return checked ?? withUser(d, c);
}

/**
 * The part of the rule that depends on the request rather than on stored state: the KS's partner
 * is the request's, and the KS is usable now, from here (ksUsable). Undefined when it is, else the
 * refusal. The entry table's prepared steps (prepared.ts) run only this part again per request.
 */
export function usableForRequest(a: Pick<Authenticator, 'usable' | 'consume'>, c: KsCheck, partnerId: number, meta: RequestMeta, nowSec?: number): Maybe<SessionRefusal | undefined> {
  // Another partner's KS grants nothing here (not even its `sview`); checked after the KS's own
  // state, so an expired KS of another partner still reads EXPIRED.
  const u = a.usable(c, meta, nowSec);
  if (u.ok && c.ks.partnerId !== partnerId) return refused('INVALID_PARTNER');
  return ksUsable(a, c, meta, u);
}

/**
 * The rule every KS passes before it counts (the caller table's credential step uses it too): usable
 * now, from here (expiry, `iprestrict`, `urirestrict`, revocation, a readable `actionslimit`), and
 * one of its actions counted when it has a limit. Undefined when usable, else the refusal.
 */
export function ksUsable(a: Pick<Authenticator, 'usable' | 'consume'>, c: KsCheck, meta: RequestMeta, u = a.usable(c, meta)): Maybe<SessionRefusal | undefined> {
  if (!u.ok) return refused(u.detail);
  if (u.limit === undefined) return undefined;
  return a.consume(c, u.limit).then((ok) => (ok ? undefined : refused('EXCEEDED_ACTIONS_LIMIT')));
}

/** One frozen outcome per shared session object (scope.ts builds those once), so a grant allocates nothing. */
const granted = new WeakMap<ScopedSession, SessionOutcome>();
function ok(session: ScopedSession): SessionOutcome {
  let o = granted.get(session);
  if (!o) {
    o = Object.freeze({ ok: true, session });
    granted.set(session, o);
  }
  return o;
}

/** A blocked or deleted user's sessions stop at once, on every node (ASVS 7.4.2). */
function withUser(d: SessionUsableDeps, c: KsCheck): Maybe<SessionOutcome> {
  if (!c.ks.userId) return ok(scoped(c.raw, c.ks, c.privileges, undefined));
  const user = userOf(d.directory, d.peek, c.ks.partnerId, c.ks.userId);
  const finish = (u: Awaited<typeof user>): SessionOutcome => (userUsable(u).ok ? ok(scoped(c.raw, c.ks, c.privileges, u)) : refused('USER_BLOCKED'));
  return isPromise(user) ? user.then(finish) : finish(user);
}

/**
 * For callers that answer a refused session with the catalogue's errors (getContextData, the
 * console's simulator): INVALID_KS with the reason in KSID (the KS itself when it does not parse,
 * as the server does; `ksid` when the caller would rather not echo it), or the two with exceptions
 * of their own.
 */
export function sessionRefusalError(r: SessionRefusal, ksid: string): GatehouseError {
  if (r.detail === 'USER_BLOCKED') return fail(E.USER_BLOCKED);
  if (r.detail === INVALID_ACTIONS_LIMIT) return fail(E.INVALID_ACTIONS_LIMIT);
  if (r.detail === 'INVALID_PARTNER') return fail(E.INVALID_KS, { KSID: ksid, ERR_CODE: -2, ERR_DESC: 'INVALID_PARTNER' });
  return fail(E.INVALID_KS, { KSID: r.detail === 'INVALID_STR' ? ksid : r.detail, ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
}
