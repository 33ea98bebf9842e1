/**
 * Who may grant what, and who may read a secret: each rule written once, here, and called by the
 * services every door goes through (Kaltura actions, REST routes, the console, the CLI). A rule
 * kept in one door is a hole in the others (SECURITY.md §5.3): the Kaltura door once let a Manager
 * make itself a partner administrator that the REST door refused.
 *
 * The rule: nobody gives anyone — a user, a role, an app token, a session — power they do not hold,
 * and a secret that mints power is shown only to someone who could have created it.
 */
import { E, fail } from '../core/errors/index.js';
import { parsePrivileges, PRIV, privilegeValue } from '../core/ks/index.js';
import { parsePermissionNames } from '../core/permissions/catalogue.js';
import type { Principal } from './context.js';
import { SessionType, type AppToken, type Role, type User } from './model.js';
import { isOperator } from './pipeline/steps/permission-held.js';
import type { Directory } from './ports.js';
import { BASIC_USER_PERMISSIONS, holdsAll, userPermissions, type Permissions } from './sessions/user-permissions.js';

/** Looks a role up by numeric id or system name within a partner (Authenticator.findRole). */
export type FindRole = (idOrSystemName: string, partnerId: number) => Promise<Role | undefined>;

/** Permissions of `wanted` that `p` lacks; what every user holds anyway is no power over anyone. */
export function missingPermissions(p: Principal, wanted: Permissions): string[] {
  const basic = BASIC_USER_PERMISSIONS === '*' ? new Set<string>() : BASIC_USER_PERMISSIONS;
  const power: Permissions = wanted === '*' ? '*' : new Set([...wanted].filter((n) => !basic.has(n)));
  const operator = isOperator(p);
  if (holdsAll(p.permissions, power, operator)) return [];
  return power === '*' ? ['*'] : [...power].filter((n) => !holdsAll(p.permissions, new Set([n]), operator));
}

/** Throws PERMISSION_NOT_HELD unless `p` holds every permission of `wanted`. */
export function assertHolds(p: Principal, wanted: Permissions): void {
  const missing = missingPermissions(p, wanted);
  if (missing.length) throw fail(E.PERMISSION_NOT_HELD, { PERMISSIONS: missing.join(', ') });
}

// ---- users ---------------------------------------------------------------------------------

/** The fields of a user that carry power: what its sessions may do. */
export interface UserPowerChange {
  isAdmin?: boolean | null | undefined;
  /** The role after the change ('' = none), already resolved to the stored form. */
  roleIds?: string | null | undefined;
  /** Privileges every session of the user carries (`setrole` there acts with that role). */
  ksPrivileges?: string | null | undefined;
}

/**
 * A caller may create or change a user only into power it holds itself: the user's role (or,
 * for an admin without a role, everything), and any role its `ksPrivileges` set. Making a user an
 * admin (who signs in with ADMIN sessions, which skip access-control rules and read every user)
 * also takes an ADMIN-typed caller. `current` is the user before the change (undefined on add).
 */
export async function assertMayGrantUser(p: Principal, directory: Directory, findRole: FindRole, current: User | undefined, change: UserPowerChange): Promise<void> {
  const touchesPower = change.isAdmin != null || change.roleIds != null || change.ksPrivileges != null;
  if (!touchesPower) return;
  const isAdmin = change.isAdmin ?? current?.isAdmin ?? false;
  const roleIds = change.roleIds ?? current?.roleIds ?? '';
  if (isAdmin && !current?.isAdmin && p.sessionType < SessionType.ADMIN) assertHolds(p, '*');
  assertHolds(p, await userPermissions(directory, { isAdmin, roleIds } as User));
  const setrole = change.ksPrivileges ? privilegeValue(parsePrivileges(change.ksPrivileges), PRIV.setrole) : undefined;
  if (setrole) {
    const role = await findRole(setrole, p.partnerId);
    if (!role) throw fail(E.UNKNOWN_ROLE_ID);
    assertHolds(p, parsePermissionNames(role.permissionNames));
  }
}

/**
 * A caller may change, block, delete or set the password of a user only when it holds all of that
 * user's power (else a User Management key could lock out, or take over through its e-mail, a full
 * administrator such as the account owner).
 */
export async function assertMayManageUser(p: Principal, directory: Directory, target: User): Promise<void> {
  assertHolds(p, target.isAdmin && !target.roleIds ? '*' : await userPermissions(directory, target));
}

/**
 * Partner secrets mint ADMIN sessions with every permission, so only a user holding every
 * permission of the partner (a partner administrator) may read them.
 */
export async function mayReadPartnerSecrets(directory: Directory, user: User): Promise<boolean> {
  return user.isAdmin && (await userPermissions(directory, user)) === '*';
}

// ---- roles ---------------------------------------------------------------------------------

/** A role's permissions are power over whoever holds it: only permissions the caller holds. */
export function assertMayGrantRole(p: Principal, permissionNames: string): void {
  assertHolds(p, parsePermissionNames(permissionNames));
}

// ---- app tokens ----------------------------------------------------------------------------

/**
 * What the sessions minted from a token may do: its `setrole` role; else, for USER sessions, the
 * basic user role (the Authenticator caps app-token USER sessions there, whichever user they name);
 * else (ADMIN, or a type the integration picks) everything in the partner. `undefined`: the token
 * names a role that does not exist (the service answers UNKNOWN_ROLE_ID).
 */
export async function appTokenPower(t: Pick<AppToken, 'sessionType' | 'sessionPrivileges'>, partnerId: number, findRole: FindRole): Promise<Permissions | undefined> {
  const setrole = t.sessionPrivileges ? privilegeValue(parsePrivileges(t.sessionPrivileges), PRIV.setrole) : undefined;
  if (setrole) {
    const role = await findRole(setrole, partnerId);
    return role ? parsePermissionNames(role.permissionNames) : undefined;
  }
  return t.sessionType === SessionType.USER ? BASIC_USER_PERMISSIONS : '*';
}

/** A token may not mint more power than its creator (or the one changing it) holds. */
export async function assertMayGrantAppToken(p: Principal, t: Pick<AppToken, 'sessionType' | 'sessionPrivileges'>, findRole: FindRole): Promise<void> {
  const power = await appTokenPower(t, p.partnerId, findRole);
  if (power !== undefined) assertHolds(p, power);
}

/**
 * Whether `p` may read a token's value: only a caller who could have created that token — one
 * holding APP_TOKEN_ADD and every permission the token's sessions get (a partner administrator, as
 * on the real server). Anyone else allowed to list tokens reads them without their value; a
 * read-only role that could read the value could mint the token's sessions with it.
 */
export async function mayReadAppTokenValue(p: Principal, t: Pick<AppToken, 'sessionType' | 'sessionPrivileges'>, findRole: FindRole): Promise<boolean> {
  if (missingPermissions(p, new Set(['APP_TOKEN_ADD'])).length) return false;
  const power = await appTokenPower(t, p.partnerId, findRole);
  return missingPermissions(p, power ?? '*').length === 0;
}

// ---- sessions ------------------------------------------------------------------------------

/**
 * Privileges that widen what a session's permissions are. Only the admin secret and app tokens
 * (whose creators were checked above) may put them in a session; a session started with the
 * partner's user secret, or by a user's own login, may not.
 */
const WIDENING = [PRIV.setrole] as const;

/** Throws PRIVILEGE_NOT_ALLOWED when a caller-chosen privilege string would widen permissions. */
export function assertNoWideningPrivileges(privileges: string): void {
  const map = parsePrivileges(privileges);
  for (const name of WIDENING) if (map.has(name)) throw fail(E.PRIVILEGE_NOT_ALLOWED, { PRIVILEGE: name });
}
