/**
 * Turns a KS (or its absence) into a Principal, in the server's order (protocol §1.7, §2.7, §2.8):
 * parse → [the door decodes parameters] → validity → partner and user status → roles.
 */
import { actionsLimitOf, checkKsStatic, decodeOpenedKs, isWidgetSession, openKs, parsePrivileges, PRIV, privilegeValue, sessionIdHash, type ParsedKs, type PrivilegeMap } from '../../core/ks/index.js';
import { nowSeconds, type Clock } from '../../core/clock.js';
import type { Maybe } from '../../core/maybe.js';
import { E, fail } from '../../core/errors/index.js';
import { GLOBAL_ROLES } from '../../core/permissions/builtin-roles.js';
import { parsePermissionNames, PERMISSIONS } from '../../core/permissions/catalogue.js';
import type { Principal, RequestMeta } from '../context.js';
import type { VerifiedKsCache } from '../ports-verified-ks.js';
import { SessionType, SystemPartner, type Role, type User } from '../model.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';
import { userUsable } from '../pipeline/steps/user-usable.js';
import { peekable, type Directory, type DirectoryPeek, type PartnerEntry, type RevocationList, type RoleRepo, type SessionStateRepo } from '../ports.js';

/** Step 2's answer: usable (and the actions it counts, if any), or Kaltura's reason it is not. */
export type KsUsability = { ok: true; limit: number | undefined } | { ok: false; detail: string };
const USABLE: KsUsability = Object.freeze({ ok: true, limit: undefined });
const LOGOUT: KsUsability = Object.freeze({ ok: false, detail: 'LOGOUT' });
/** `usable`'s detail for an unreadable `actionslimit` (answered INVALID_ACTIONS_LIMIT, not INVALID_KS). */
export const INVALID_ACTIONS_LIMIT = 'INVALID_ACTIONS_LIMIT';

export interface KsCheck {
  ks: ParsedKs;
  entry: PartnerEntry;
  privileges: PrivilegeMap;
  raw: string;
}

const builtin = new Map(GLOBAL_ROLES.map((r) => [r.systemName, parsePermissionNames(r.permissionNames)]));
const defaultPermissions = (name: string) => builtin.get(name) ?? new Set<string>();
/** An anonymous principal's privileges: none, one shared empty map (nothing writes to it). */
const NO_PRIVILEGES: PrivilegeMap = new Map();

export interface AuthenticatorDeps {
  directory: Directory;
  /**
   * Signature checks already done (cache/verified-ks.ts), keyed by a digest of the KS; only used
   * with a Directory that can be peeked (its partner entries prove the keys are still current).
   */
  verified?: VerifiedKsCache;
  revocations: RevocationList;
  sessions: SessionStateRepo;
  roles: RoleRepo;
  clock: Clock;
}

export class Authenticator {
  private readonly peek: DirectoryPeek | undefined;
  /** Signature checks already done (see cache/verified-ks.ts); only usable with a peekable Directory. */
  private readonly verified: VerifiedKsCache | undefined;

  constructor(private readonly deps: AuthenticatorDeps) {
    this.peek = peekable(deps.directory);
    this.verified = this.peek ? deps.verified : undefined;
  }

  /**
   * Step 1: signature and partner. `null` for anything that is not a genuine KS of an existing
   * partner. Answers at once when this exact KS was verified before against the partner's current
   * keys (the Directory still holds the same partner entry), else after reading the partner.
   */
  check(raw: string): Maybe<KsCheck | null> {
    if (typeof raw !== 'string') return null;
    const digest = this.verified?.digest(raw);
    const hit = digest === undefined ? undefined : this.cachedCheck(raw, digest);
    return hit ?? this.checkFull(raw, digest);
  }

  /** Step 1 for callers that answer a bad KS with INVALID_KS (the KS itself as KSID), as the server does. */
  async parse(raw: string): Promise<KsCheck> {
    const c = await this.check(raw);
    if (!c) throw fail(E.INVALID_KS, { KSID: raw, ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
    return c;
  }

  private cachedCheck(raw: string, digest: string): KsCheck | undefined {
    const hit = this.verified?.get(digest);
    // Only while the Directory still holds the very partner entry whose keys verified this KS: a
    // changed partner (a new secret, say) is a new object, so the KS is verified again (verified-ks.ts).
    if (!hit || this.peek?.peekPartner(hit.ks.partnerId) !== hit.entry) return undefined;
    return { ks: hit.ks, entry: hit.entry, privileges: hit.privileges, raw };
  }

  private async checkFull(raw: string, digest: string | undefined): Promise<KsCheck | null> {
    const opened = openKs(raw);
    if (!opened) return null;
    const entry = this.peek?.peekPartner(opened.partnerId) ?? (await this.deps.directory.partner(opened.partnerId));
    if (!entry) return null;
    const ks = decodeOpenedKs(opened, entry.ksKeys);
    if (!ks || ks.partnerId !== entry.partner.id) return null;
    const privileges = parsePrivileges(ks.privileges);
    // Frozen: the cached object is shared by every later request with this KS.
    if (digest !== undefined) this.verified?.set(digest, { ks: Object.freeze(ks), privileges, entry }, nowSeconds(this.deps.clock));
    return { ks, entry, privileges, raw };
  }

  /**
   * Step 2 for callers that answer with exceptions: is this valid KS usable now, from here?
   * Reasons land in KSID, as the server does.
   */
  async validate(c: KsCheck, meta: RequestMeta): Promise<void> {
    const u = this.usable(c, meta);
    if (!u.ok) throw u.detail === INVALID_ACTIONS_LIMIT ? fail(E.INVALID_ACTIONS_LIMIT) : fail(E.INVALID_KS, { KSID: u.detail, ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
    if (u.limit !== undefined && !(await this.consume(c, u.limit))) {
      throw fail(E.INVALID_KS, { KSID: 'EXCEEDED_ACTIONS_LIMIT', ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
    }
  }

  /**
   * Step 2, in memory: expiry, `iprestrict`, `urirestrict`, revocation (the session and its
   * session-id group) and a readable `actionslimit`. `limit`: the actions the session counts,
   * which only the database can do (`consume`); `detail`: Kaltura's reason, for KSID.
   */
  usable(c: KsCheck, meta: RequestMeta): KsUsability {
    const now = nowSeconds(this.deps.clock);
    const st = checkKsStatic(c.ks, c.privileges, { nowSec: now, clientIp: meta.clientIp, uri: meta.uri });
    if (!st.ok) return { ok: false, detail: st.reason };
    // The batch partner and plain widget sessions are never checked for invalidation (protocol §2.7).
    // A session-id group is checked whatever the session looks like: a widget-shaped KS minted from
    // an app token must die with the token (deliberately stricter than Kaltura, see README).
    if (c.ks.partnerId !== SystemPartner.BATCH) {
      if (!isWidgetSession(c.ks) && this.deps.revocations.isRevoked(c.ks.hash, now)) return LOGOUT;
      const sid = privilegeValue(c.privileges, PRIV.sessionid);
      if (sid && this.deps.revocations.isRevoked(sessionIdHash(c.ks.partnerId, sid), now)) return LOGOUT;
    }
    const limit = actionsLimitOf(c.privileges);
    if (limit.kind === 'invalid') return { ok: false, detail: INVALID_ACTIONS_LIMIT };
    return limit.kind === 'limit' ? { ok: true, limit: limit.n } : USABLE;
  }

  /** Counts one action of an `actionslimit` session (a guarded write); false when none are left. */
  consume(c: KsCheck, limit: number): Promise<boolean> {
    return this.deps.sessions.consumeAction(c.ks.hash, limit, c.ks.validUntil);
  }

  /** Step 3: partner and user status, then the effective permissions (protocol §2.8). */
  async principal(c: KsCheck | null, requestedPartnerId: number): Promise<Principal> {
    if (!c) return this.anonymous(requestedPartnerId);
    const { ks, entry } = c;
    let partner = entry.partner;
    if (!partnerUsable(partner).ok) throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
    // An operator (admin-console ADMIN session) may act on any partner by naming it.
    if (requestedPartnerId && requestedPartnerId !== partner.id) {
      if (partner.id !== SystemPartner.ADMIN_CONSOLE || ks.type < SessionType.ADMIN) {
        throw fail(E.PARTNER_ACCESS_FORBIDDEN, { ACCESSING_PID: partner.id, ACCESSED_PID: requestedPartnerId });
      }
      const target = this.peek?.peekPartner(requestedPartnerId) ?? (await this.deps.directory.partner(requestedPartnerId));
      if (!target || !partnerUsable(target.partner).ok) throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
      partner = target.partner;
    }
    const user = ks.userId ? (this.peek?.peekUser(ks.partnerId, ks.userId) ?? (await this.deps.directory.user(ks.partnerId, ks.userId))) : undefined;
    // A blocked or deleted user's sessions stop at once (ASVS 7.4.2), on every node via the change feed.
    if (!userUsable(user).ok) throw fail(E.USER_BLOCKED);
    const widget = isWidgetSession(ks);
    let permissions = await this.rolePermissions(c, user, widget);
    const restricting = privilegeValue(c.privileges, PRIV.restrictingrole);
    if (restricting) {
      const role = await this.findRole(restricting, ks.partnerId);
      if (role) permissions = subtract(permissions, parsePermissionNames(role.permissionNames));
    }
    return {
      partnerId: partner.id,
      partner,
      ksString: c.raw,
      ks,
      userId: ks.userId,
      user,
      sessionType: ks.type,
      privileges: c.privileges,
      isWidget: widget,
      permissions,
    };
  }

  private async anonymous(requestedPartnerId: number): Promise<Principal> {
    const entry = requestedPartnerId ? (this.peek?.peekPartner(requestedPartnerId) ?? (await this.deps.directory.partner(requestedPartnerId))) : undefined;
    return anonymousOf(requestedPartnerId, entry);
  }

  /**
   * The anonymous principal of a partner without waiting (throws as `principal(null, id)` does);
   * `undefined` when the partner is not in the Directory's cache, so the caller must await `principal`.
   */
  anonymousNow(requestedPartnerId: number): Principal | undefined {
    if (!requestedPartnerId) return anonymousOf(0, undefined);
    const entry = this.peek?.peekPartner(requestedPartnerId);
    if (!entry) return entry === undefined ? undefined : anonymousOf(requestedPartnerId, undefined);
    // One frozen principal per cached partner entry (a changed partner is a new entry object).
    let principal = anonymousByPartner.get(entry);
    if (!principal) {
      principal = Object.freeze(anonymousOf(requestedPartnerId, entry));
      anonymousByPartner.set(entry, principal);
    }
    return principal;
  }

  private async rolePermissions(c: KsCheck, user: User | undefined, widget: boolean): Promise<ReadonlySet<string> | '*'> {
    const setrole = privilegeValue(c.privileges, PRIV.setrole);
    if (setrole !== undefined && setrole !== '') {
      if (/^-\d+$/.test(setrole)) throw fail(E.INVALID_SET_ROLE);
      const role = await this.findRole(setrole, c.ks.partnerId);
      if (!role) throw fail(E.INVALID_OBJECT_ID, { ID: setrole });
      return parsePermissionNames(role.permissionNames);
    }
    // A USER session minted from an app token without `setrole` acts as the basic user role,
    // whichever user it names: the integration may pick the user, so that user's own role (the
    // account owner's is every permission) is power the token's creator never had to hold
    // (services/grants.ts appTokenPower). Kaltura would use the user's role; we do not.
    if (c.ks.type < SessionType.ADMIN && !widget && c.privileges.has(PRIV.apptoken)) return defaultPermissions('BASE_USER_SESSION_ROLE');
    // An admin user's role is for its ADMIN sessions (a password login, the admin secret). A USER
    // session naming an admin user — which the partner's user secret can start for any user —
    // acts as the basic user role, so the user secret never yields the account owner's power.
    // Kaltura gives such a session the user's role; Gatehouse does not (README).
    if (c.ks.type < SessionType.ADMIN && !widget && user?.isAdmin) return defaultPermissions('BASE_USER_SESSION_ROLE');
    const userRoleIds = user?.roleIds ?? '';
    if (userRoleIds) {
      const names: string[] = [];
      for (const id of userRoleIds.split(',')) {
        const role = this.peek?.peekRole(Number(id)) ?? (await this.deps.directory.role(Number(id)));
        if (!role || role.status !== 1) continue;
        const perms = permissionsOf(role);
        if (perms === '*') return '*';
        names.push(...perms);
      }
      return new Set(names);
    }
    if (widget) return defaultPermissions('WIDGET_SESSION_ROLE');
    return c.ks.type >= SessionType.ADMIN ? '*' : defaultPermissions('BASE_USER_SESSION_ROLE');
  }

  /** A role by numeric id or system name, within the partner or the global partner. */
  async findRole(idOrSystemName: string, partnerId: number): Promise<Role | undefined> {
    if (/^\d+$/.test(idOrSystemName)) {
      const role = this.peek?.peekRole(Number(idOrSystemName)) ?? (await this.deps.directory.role(Number(idOrSystemName)));
      return role && (role.partnerId === partnerId || role.partnerId === SystemPartner.GLOBAL) && role.status !== 3 ? role : undefined;
    }
    const found = await this.deps.roles.list([partnerId, SystemPartner.GLOBAL], { systemNameEqual: idOrSystemName }, { pageSize: 1, pageIndex: 1 });
    return found.objects[0];
  }
}

/**
 * A role's parsed permission names, once per Role object: the Directory hands out the same object
 * until the role changes, and a WeakMap lets the entry go with it (no unbounded cache).
 */
const parsedPermissions = new WeakMap<Role, ReadonlySet<string> | '*'>();
function permissionsOf(role: Role): ReadonlySet<string> | '*' {
  let perms = parsedPermissions.get(role);
  if (perms === undefined) {
    perms = parsePermissionNames(role.permissionNames);
    parsedPermissions.set(role, perms);
  }
  return perms;
}

const anonymousByPartner = new WeakMap<PartnerEntry, Principal>();

/** No session: the partner named by the request (which must exist and be usable), or the global partner. */
function anonymousOf(requestedPartnerId: number, entry: PartnerEntry | undefined): Principal {
  if (requestedPartnerId && !partnerUsable(entry?.partner).ok) throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
  const partner = requestedPartnerId ? entry?.partner : undefined;
  return {
    partnerId: partner?.id ?? SystemPartner.GLOBAL,
    partner,
    ksString: '',
    ks: null,
    userId: '',
    user: undefined,
    sessionType: -1,
    privileges: NO_PRIVILEGES,
    isWidget: false,
    permissions: defaultPermissions('NO_SESSION_ROLE'),
  };
}

function subtract(granted: ReadonlySet<string> | '*', remove: ReadonlySet<string> | '*'): ReadonlySet<string> | '*' {
  if (remove === '*') return new Set();
  // `*` is expanded to the whole catalogue so "everything but the restricting role" is exact.
  const base = granted === '*' ? PERMISSIONS.map((p) => p.name) : [...granted];
  return new Set(base.filter((n) => !remove.has(n)));
}
