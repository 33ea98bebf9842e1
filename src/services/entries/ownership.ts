/** Who may change an entry (Kaltura's checkIfUserAllowedToUpdateEntry and checkAndSetValidUser*). */
import { E, fail, type GatehouseError } from '../../core/errors/index.js';
import { PRIV, verifyPrivilege } from '../../core/ks/index.js';
import { isAdminSession, type Principal } from '../context.js';
import type { Entry } from '../model.js';

/**
 * ADMIN sessions may change any entry of their partner. A USER session may change the entries it
 * owns, or any entry its KS grants with `edit:*` or `edit:<entryId>`. A session without a user id
 * owns nothing: an anonymous player session must not be able to edit anonymous uploads.
 */
export function mayEditEntry(p: Principal, entry: Pick<Entry, 'id' | 'userId'>): boolean {
  if (isAdminSession(p)) return true;
  const raw = p.ks?.privileges ?? '';
  if (verifyPrivilege(raw, p.privileges, PRIV.edit, '*') || verifyPrivilege(raw, p.privileges, PRIV.edit, entry.id)) return true;
  return p.userId !== '' && entry.userId.toLowerCase() === p.userId.toLowerCase();
}

/** Whether a session sees every entry in lists (ADMIN, or a USER KS with `list:*`). */
export function mayListAll(p: Principal): boolean {
  if (isAdminSession(p)) return true;
  return verifyPrivilege(p.ks?.privileges ?? '', p.privileges, PRIV.list, '*');
}

/** The server's answer to a non-admin session touching someone else's entry or owner: INVALID_KS / INVALID_TYPE. */
export function notEntryOwner(): GatehouseError {
  return fail(E.INVALID_KS, { KSID: '', ERR_CODE: -4, ERR_DESC: 'INVALID_TYPE' });
}
