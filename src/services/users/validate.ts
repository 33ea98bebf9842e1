/** Input rules for users (protocol §4.3). */

/** Kaltura's puser id alphabet: letters, digits and , ! # $ % & ' * + ? ^ _ { } ~ . @ - ` | (1–320 chars). */
const PUSER_ID = /^[A-Za-z0-9,!#$%&'*+?^_{}~.@\-`|]{1,320}$/;
/** A pragmatic, linear-time email shape check (the login id). */
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export function isValidUserId(id: string): boolean {
  return PUSER_ID.test(id);
}

export function isValidEmail(email: string): boolean {
  return email.length <= 320 && EMAIL.test(email) && !email.endsWith('.') && email.split('@')[1]!.includes('.');
}
