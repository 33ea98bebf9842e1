/**
 * Kaltura's partner setting `blockDirectLogin`: the partner's users sign in through single sign-on
 * only, except users marked `isSsoExcluded` (kept, as on Kaltura, with the user's other fields).
 */
import type { Partner, User } from '../model.js';

export const BLOCK_DIRECT_LOGIN = 'blockDirectLogin';

export function blocksDirectLogin(partner: Pick<Partner, 'settings'>): boolean {
  return partner.settings[BLOCK_DIRECT_LOGIN] === true;
}

export function isSsoExcluded(user: Pick<User, 'data'>): boolean {
  return user.data.isSsoExcluded === true;
}

/** Whether a password sign-in of `user` into `partner` is refused (DIRECT_LOGIN_BLOCKED). */
export function directLoginBlocked(partner: Pick<Partner, 'settings'>, user: Pick<User, 'data'>): boolean {
  return blocksDirectLogin(partner) && !isSsoExcluded(user);
}
