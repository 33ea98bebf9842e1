/**
 * The rules of "Change Account": one login identity, a user in several partners, moving from the
 * partner it is signed in to into another without a password (the caller proved the identity with
 * its current session or token). Shared by the REST door's `POST /api/auth/switch-partner`
 * (AccessTokenService.switchPartner) and Kaltura's `user.loginByKs` (login-data.ts).
 */
import { E, type ErrorDef } from '../../core/errors/index.js';
import type { LoginData, User } from '../model.js';
import type { Directory, LoginDataRepo, PartnerEntry, UserRepo } from '../ports.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';
import { userUsable } from '../pipeline/steps/user-usable.js';

export interface PartnerSwitchDeps {
  logins: LoginDataRepo;
  users: UserRepo;
  directory: Directory;
}

export type PartnerSwitch =
  | { readonly ok: true; readonly login: LoginData; readonly target: User; readonly entry: PartnerEntry }
  /** `error` is the REST door's answer; `reason` is audited. */
  | { readonly ok: false; readonly error: ErrorDef; readonly reason: 'no login identity' | 'locked' | 'not a member' | 'partner blocked' | 'user blocked' };

/**
 * Whether `current`'s login identity may sign in to `partnerId`: it has a live user there that can
 * sign in (active user in an active partner) and the login is not locked.
 *
 * Security: "no user there" and "no such partner" read the same (PARTNER_ACCESS_FORBIDDEN), so the
 * identity learns nothing beyond its own memberships.
 */
export async function checkPartnerSwitch(d: PartnerSwitchDeps, current: User, partnerId: number, now: number): Promise<PartnerSwitch> {
  const login = current.loginDataId === null ? undefined : await d.logins.get(current.loginDataId);
  if (!login) return { ok: false, error: E.PARTNER_ACCESS_FORBIDDEN, reason: 'no login identity' };
  if (login.blockedUntil !== null && login.blockedUntil > now) return { ok: false, error: E.LOGIN_BLOCKED, reason: 'locked' };
  const target = (await d.users.byLoginData(login.id)).find((u) => u.partnerId === partnerId);
  if (!target) return { ok: false, error: E.PARTNER_ACCESS_FORBIDDEN, reason: 'not a member' };
  const entry = await d.directory.partner(partnerId);
  if (!entry || !partnerUsable(entry.partner).ok) return { ok: false, error: E.SERVICE_FORBIDDEN_CONTENT_BLOCKED, reason: 'partner blocked' };
  if (!userUsable(target).ok) return { ok: false, error: E.USER_IS_BLOCKED, reason: 'user blocked' };
  return { ok: true, login, target, entry };
}
