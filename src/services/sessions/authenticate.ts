/**
 * Turns a KS (or its absence) into a Principal, in the server's order (protocol §1.7, §2.7, §2.8):
 * parse → [the door decodes parameters] → validity → partner and user status → roles.
 */
import { actionsLimitOf, checkKsStatic, decodeKs, isWidgetSession, parsePrivileges, peekKs, PRIV, privilegeValue, sessionIdHash, type ParsedKs, type PrivilegeMap } from '../../core/ks/index.js';
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import { GLOBAL_ROLES } from '../../core/permissions/builtin-roles.js';
import { parsePermissionNames, PERMISSIONS } from '../../core/permissions/catalogue.js';
import type { Principal, RequestMeta } from '../context.js';
import { PartnerStatus, SessionType, SystemPartner, UserStatus, type Role } from '../model.js';
import type { Directory, PartnerEntry, RevocationList, RoleRepo, SessionStateRepo } from '../ports.js';

export interface KsCheck {
  ks: ParsedKs;
  entry: PartnerEntry;
  privileges: PrivilegeMap;
  raw: string;
}

const builtin = new Map(GLOBAL_ROLES.map((r) => [r.systemName, parsePermissionNames(r.permissionNames)]));
const defaultPermissions = (name: string) => builtin.get(name) ?? new Set<string>();

export interface AuthenticatorDeps {
  directory: Directory;
  revocations: RevocationList;
  sessions: SessionStateRepo;
  roles: RoleRepo;
  clock: Clock;
}

export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  /** Step 1: signature and partner. Any failure is INVALID_KS with the KS itself as KSID. */
  async parse(raw: string): Promise<KsCheck> {
    const invalid = () => fail(E.INVALID_KS, { KSID: raw, ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
    const peek = peekKs(raw);
    if (!peek) throw invalid();
    const entry = await this.deps.directory.partner(peek.partnerId);
    if (!entry) throw invalid();
    const ks = decodeKs(raw, entry.ksKeys);
    if (!ks || ks.partnerId !== entry.partner.id) throw invalid();
    return { ks, entry, privileges: parsePrivileges(ks.privileges), raw };
  }

  /**
   * Step 2: is this valid KS usable now, from here? Reasons land in KSID, as the server does.
   * Revocation reads the in-memory list; only `actionslimit` sessions touch the database.
   */
  async validate(c: KsCheck, meta: RequestMeta): Promise<void> {
    const now = nowSeconds(this.deps.clock);
    const reject = (reason: string) => fail(E.INVALID_KS, { KSID: reason, ERR_CODE: -1, ERR_DESC: 'INVALID_STR' });
    const st = checkKsStatic(c.ks, c.privileges, { nowSec: now, clientIp: meta.clientIp, uri: meta.uri });
    if (!st.ok) throw reject(st.reason);
    // The batch partner and widget sessions are never checked for invalidation (protocol §2.7).
    if (c.ks.partnerId !== SystemPartner.BATCH && !isWidgetSession(c.ks)) {
      if (this.deps.revocations.isRevoked(c.ks.hash, now)) throw reject('LOGOUT');
      const sid = privilegeValue(c.privileges, PRIV.sessionid);
      if (sid && this.deps.revocations.isRevoked(sessionIdHash(c.ks.partnerId, sid), now)) throw reject('LOGOUT');
    }
    const limit = actionsLimitOf(c.privileges);
    if (limit.kind === 'invalid') throw fail(E.INVALID_ACTIONS_LIMIT);
    if (limit.kind === 'limit' && !(await this.deps.sessions.consumeAction(c.ks.hash, limit.n, c.ks.validUntil))) {
      throw reject('EXCEEDED_ACTIONS_LIMIT');
    }
  }

  /** Step 3: partner and user status, then the effective permissions (protocol §2.8). */
  async principal(c: KsCheck | null, requestedPartnerId: number): Promise<Principal> {
    if (!c) return this.anonymous(requestedPartnerId);
    const { ks, entry } = c;
    let partner = entry.partner;
    if (!usable(partner.status)) throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
    // An operator (admin-console ADMIN session) may act on any partner by naming it.
    if (requestedPartnerId && requestedPartnerId !== partner.id) {
      if (partner.id !== SystemPartner.ADMIN_CONSOLE || ks.type < SessionType.ADMIN) {
        throw fail(E.PARTNER_ACCESS_FORBIDDEN, { ACCESSING_PID: partner.id, ACCESSED_PID: requestedPartnerId });
      }
      const target = await this.deps.directory.partner(requestedPartnerId);
      if (!target || !usable(target.partner.status)) throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
      partner = target.partner;
    }
    const user = ks.userId ? await this.deps.directory.user(ks.partnerId, ks.userId) : undefined;
    // A blocked or deleted user's sessions stop at once (ASVS 7.4.2), on every node via the change feed.
    if (user && user.status !== UserStatus.ACTIVE) throw fail(E.USER_BLOCKED);
    const widget = isWidgetSession(ks);
    let permissions = await this.rolePermissions(c, user?.roleIds ?? '', widget);
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
    let partner;
    if (requestedPartnerId) {
      const entry = await this.deps.directory.partner(requestedPartnerId);
      if (!entry || !usable(entry.partner.status)) throw fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
      partner = entry.partner;
    }
    return {
      partnerId: partner?.id ?? SystemPartner.GLOBAL,
      partner,
      ksString: '',
      ks: null,
      userId: '',
      user: undefined,
      sessionType: -1,
      privileges: new Map(),
      isWidget: false,
      permissions: defaultPermissions('NO_SESSION_ROLE'),
    };
  }

  private async rolePermissions(c: KsCheck, userRoleIds: string, widget: boolean): Promise<ReadonlySet<string> | '*'> {
    const setrole = privilegeValue(c.privileges, PRIV.setrole);
    if (setrole !== undefined && setrole !== '') {
      if (/^-\d+$/.test(setrole)) throw fail(E.INVALID_SET_ROLE);
      const role = await this.findRole(setrole, c.ks.partnerId);
      if (!role) throw fail(E.INVALID_OBJECT_ID, { ID: setrole });
      return parsePermissionNames(role.permissionNames);
    }
    if (userRoleIds) {
      const names: string[] = [];
      for (const id of userRoleIds.split(',')) {
        const role = await this.deps.directory.role(Number(id));
        if (!role || role.status !== 1) continue;
        const perms = parsePermissionNames(role.permissionNames);
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
      const role = await this.deps.directory.role(Number(idOrSystemName));
      return role && (role.partnerId === partnerId || role.partnerId === SystemPartner.GLOBAL) && role.status !== 3 ? role : undefined;
    }
    const found = await this.deps.roles.list([partnerId, SystemPartner.GLOBAL], { systemNameEqual: idOrSystemName }, { pageSize: 1, pageIndex: 1 });
    return found.objects[0];
  }
}

function usable(status: number): boolean {
  return status === PartnerStatus.ACTIVE || status === PartnerStatus.READ_ONLY;
}

function subtract(granted: ReadonlySet<string> | '*', remove: ReadonlySet<string> | '*'): ReadonlySet<string> | '*' {
  if (remove === '*') return new Set();
  // `*` is expanded to the whole catalogue so "everything but the restricting role" is exact.
  const base = granted === '*' ? PERMISSIONS.map((p) => p.name) : [...granted];
  return new Set(base.filter((n) => !remove.has(n)));
}
