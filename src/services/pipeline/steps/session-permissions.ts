// Step: what a caller's session may do — its role's permissions (or `setrole`'s, less `restrictingrole`'s) for a KS, its role's for a user's access token, its own list for an API key; else `invalid_role`.
import { isWidgetSession, PRIV, privilegeValue, type ParsedKs, type PrivilegeMap } from '../../../core/ks/index.js';
import { isPromise, type Maybe } from '../../../core/maybe.js';
import { GLOBAL_ROLES } from '../../../core/permissions/builtin-roles.js';
import { parsePermissionNames, PERMISSIONS } from '../../../core/permissions/catalogue.js';
import { RoleStatus, SessionType, type Role, type User } from '../../model.js';
import { refuse, type Refusal } from '../reasons.js';

export type Permissions = ReadonlySet<string> | '*';
export type PermissionsOutcome = { ok: true; permissions: Permissions } | Refusal;

const builtin = new Map(GLOBAL_ROLES.map((r) => [r.systemName, parsePermissionNames(r.permissionNames)]));
/** A built-in role's permissions (BASE_USER_SESSION_ROLE, WIDGET_SESSION_ROLE, NO_SESSION_ROLE). */
export function builtinPermissions(systemName: string): Permissions {
  return builtin.get(systemName) ?? new Set<string>();
}

export interface SessionPermissionDeps {
  /** A role by id (cached). */
  role(id: number): Maybe<Role | undefined>;
  /** A role by numeric id or system name, of the partner or the global partner. */
  findRole(idOrSystemName: string, partnerId: number): Promise<Role | undefined>;
}

/**
 * A role's parsed permission names, once per Role object: the Directory hands out the same object
 * until the role changes, and a WeakMap lets the entry go with it (no unbounded cache).
 */
const parsed = new WeakMap<Role, Permissions>();
function permissionsOf(role: Role): Permissions {
  let perms = parsed.get(role);
  if (perms === undefined) {
    perms = parsePermissionNames(role.permissionNames);
    parsed.set(role, perms);
  }
  return perms;
}

const ok = (permissions: Permissions): PermissionsOutcome => ({ ok: true, permissions });

/** A user's roles, read live (cached): without a role an admin holds everything, anyone else the basic user role. */
export function userRolePermissions(d: Pick<SessionPermissionDeps, 'role'>, user: User): Maybe<Permissions> {
  if (!user.roleIds) return user.isAdmin ? '*' : builtinPermissions('BASE_USER_SESSION_ROLE');
  return rolesPermissions(d, user.roleIds.split(','), 0, []);
}

function rolesPermissions(d: Pick<SessionPermissionDeps, 'role'>, ids: readonly string[], from: number, names: string[]): Maybe<Permissions> {
  for (let i = from; i < ids.length; i++) {
    const role = d.role(Number(ids[i]));
    if (isPromise(role)) return role.then((r) => (addRole(r, names) ? '*' : rolesPermissions(d, ids, i + 1, names)));
    if (addRole(role, names)) return '*';
  }
  return new Set(names);
}

/** Adds an active role's names; true when the role is `*` (everything). */
function addRole(role: Role | undefined, names: string[]): boolean {
  if (!role || role.status !== RoleStatus.ACTIVE) return false;
  const perms = permissionsOf(role);
  if (perms === '*') return true;
  names.push(...perms);
  return false;
}

/**
 * A KS's permissions, in the server's order (protocol §2.8), with Gatehouse's two deliberate
 * departures (README): a USER session minted from an app token without `setrole`, and a USER
 * session naming an admin user, act as the basic user role — else the integration picking the
 * user, or anyone holding the partner's user secret, would get the account owner's power.
 */
export async function sessionPermissions(d: SessionPermissionDeps, ks: ParsedKs, privileges: PrivilegeMap, user: User | undefined): Promise<PermissionsOutcome> {
  const widget = isWidgetSession(ks);
  let permissions: Permissions;
  const setrole = privilegeValue(privileges, PRIV.setrole);
  if (setrole !== undefined && setrole !== '') {
    if (/^-\d+$/.test(setrole)) return refuse('invalid_role', 'negative');
    const role = await d.findRole(setrole, ks.partnerId);
    if (!role) return { ok: false, reason: 'invalid_role', detail: 'unknown', args: { ID: setrole } };
    permissions = parsePermissionNames(role.permissionNames);
  } else if (ks.type < SessionType.ADMIN && !widget && (privileges.has(PRIV.apptoken) || user?.isAdmin)) {
    permissions = builtinPermissions('BASE_USER_SESSION_ROLE');
  } else if (user?.roleIds) {
    permissions = await rolesPermissions(d, user.roleIds.split(','), 0, []);
  } else if (widget) {
    permissions = builtinPermissions('WIDGET_SESSION_ROLE');
  } else {
    permissions = ks.type >= SessionType.ADMIN ? '*' : builtinPermissions('BASE_USER_SESSION_ROLE');
  }
  const restricting = privilegeValue(privileges, PRIV.restrictingrole);
  if (restricting) {
    const role = await d.findRole(restricting, ks.partnerId);
    if (role) permissions = subtract(permissions, parsePermissionNames(role.permissionNames));
  }
  return ok(permissions);
}

function subtract(granted: Permissions, remove: Permissions): Permissions {
  if (remove === '*') return new Set();
  // `*` is expanded to the whole catalogue so "everything but the restricting role" is exact.
  const base = granted === '*' ? PERMISSIONS.map((p) => p.name) : [...granted];
  return new Set(base.filter((n) => !remove.has(n)));
}
