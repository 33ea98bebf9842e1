/** Who may change an entry (Kaltura's checkIfUserAllowedToUpdateEntry and checkAndSetValidUser*). */
import { E, fail, type GatehouseError } from '../../core/errors/index.js';
import { PRIV, verifyPrivilege } from '../../core/ks/index.js';
import { isAdminSession, type Principal } from '../context.js';
import type { Entry } from '../model.js';
import { permissionHeld } from '../pipeline/steps/permission-held.js';

/**
 * For an entry's custom metadata (whose own permissions the metadata actions check): ADMIN sessions
 * may change any entry's, a USER session those of mayChangeEntry's owner rules.
 */
export function mayEditEntry(p: Principal, entry: Pick<Entry, 'id' | 'userId'>): boolean {
  return isAdminSession(p) || ownsOrGranted(p, entry);
}

/** What a change of an entry touches; each part has its own permission in the catalogue. */
export type EntryChange = 'edit' | 'accessControl' | 'schedule' | 'delete';

/** The permission that lets a session make that change to any entry of its partner. */
export const ENTRY_PERMISSION: Readonly<Record<EntryChange, string>> = {
  edit: 'CONTENT_MANAGE_EDIT',
  accessControl: 'CONTENT_MANAGE_ACCESS_CONTROL',
  schedule: 'CONTENT_MANAGE_SCHEDULE',
  delete: 'CONTENT_MANAGE_DELETE',
};

/**
 * Whether a session may make these changes to an entry, by the permission catalogue: a session
 * holding the change's permission may change any entry of its partner (ADMIN sessions included:
 * the session type alone is no permission — a Content Moderator's ADMIN session deletes nothing);
 * otherwise only what mayEditEntry's owner rules allow (its own entries, or `edit` privileges —
 * a USER KS with `edit:*` edits others' entries, as on the real server). The access-control and
 * schedule fields take their own permission even on one's own entry; a USER session may not set
 * them at all (EntryService's admin-only properties).
 */
export function mayChangeEntry(p: Principal, entry: Pick<Entry, 'id' | 'userId'>, changes: readonly EntryChange[]): boolean {
  const admin = isAdminSession(p);
  for (const c of changes) {
    if (permissionHeld(p, [ENTRY_PERMISSION[c]]).ok) continue;
    // A USER session may not set the profile or dates at all (the admin-only properties answer
    // that); here it is judged like any other change of the entry: by ownership.
    const ownerRule = c === 'edit' || c === 'delete' || !admin;
    // `edit` privileges open entries to USER sessions only: a password login's KS carries `*`,
    // which must not stand in for an ADMIN session's missing permission.
    if (ownerRule && (admin ? owns(p, entry) : ownsOrGranted(p, entry))) continue;
    return false;
  }
  return true;
}

/**
 * A session's own entries, or any entry its KS grants with `edit:*` or `edit:<entryId>`. A session
 * without a user id owns nothing: an anonymous player session must not edit anonymous uploads.
 */
function ownsOrGranted(p: Principal, entry: Pick<Entry, 'id' | 'userId'>): boolean {
  const raw = p.ks?.privileges ?? '';
  if (verifyPrivilege(raw, p.privileges, PRIV.edit, '*') || verifyPrivilege(raw, p.privileges, PRIV.edit, entry.id)) return true;
  return owns(p, entry);
}

function owns(p: Principal, entry: Pick<Entry, 'userId'>): boolean {
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
