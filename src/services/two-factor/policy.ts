/**
 * The partner setting `twoFactor`: which of its users must sign in with a code. A login that has
 * set up codes needs them whatever this says (two-factor-service.ts).
 */
import type { Partner, User } from '../model.js';

export const TWO_FACTOR_SETTING = 'twoFactor';
export const TWO_FACTOR_MODES = ['off', 'all', 'admins', 'non_admins'] as const;
export type TwoFactorMode = (typeof TWO_FACTOR_MODES)[number];

/** The partner's mode as stored; anything unknown reads 'off' (the default). */
export function twoFactorModeOf(partner: Partner): TwoFactorMode {
  const v = partner.settings[TWO_FACTOR_SETTING];
  return typeof v === 'string' && (TWO_FACTOR_MODES as readonly string[]).includes(v) ? (v as TwoFactorMode) : 'off';
}

/** Whether the partner's mode requires codes of this user of it. */
export function requiredByMode(mode: TwoFactorMode, user: Pick<User, 'isAdmin'>): boolean {
  switch (mode) {
    case 'all':
      return true;
    case 'admins':
      return user.isAdmin;
    case 'non_admins':
      return !user.isAdmin;
    default:
      return false;
  }
}
