/**
 * "Who am I" for the web console (`GET /api/me`): the signed-in user, their partner, what they
 * may do, whether the console is for them (with a sentence saying why not, so a viewer account
 * gets an explanation instead of a console full of 403s), and every partner the same login
 * identity belongs to (the "Change Account" list).
 */
import { PERMISSIONS, satisfiesAny, ALWAYS_ALLOWED } from '../../core/permissions/catalogue.js';
import type { Principal } from '../context.js';
import { PartnerStatus, SystemPartner, type Partner, type User } from '../model.js';
import type { Directory, UserRepo } from '../ports.js';
import { partnerUsable } from '../pipeline/steps/partner-usable.js';

export type PartnerKind = 'operator' | 'publisher';

/** Stable codes of `consoleAccess.reason`; the console may branch on them. */
export type ConsoleRefusal = 'NOT_ADMIN' | 'NOT_OPERATOR' | 'PARTNER_BLOCKED' | 'NO_USER';

export interface ConsoleAccess {
  allowed: boolean;
  reason: ConsoleRefusal | null;
  explanation: string | null;
}

export interface Membership {
  partner: Partner;
  kind: PartnerKind;
}

export interface ConsoleProfile {
  user: User;
  roleName: string | null;
  partner: Partner;
  kind: PartnerKind;
  /** Catalogue names the caller holds, `*` expanded. */
  permissions: string[];
  consoleAccess: ConsoleAccess;
  partners: Membership[];
}

export interface ConsoleIdentityDeps {
  directory: Directory;
  users: UserRepo;
}

/** What signs a publisher user in to the management console (Kaltura's KMC login permission). */
const CONSOLE_PERMISSION = 'KMC_ACCESS';
const OPERATOR_PERMISSION = 'SYSTEM_ADMIN_BASE';

export const kindOf = (partnerId: number): PartnerKind => (partnerId === SystemPartner.ADMIN_CONSOLE ? 'operator' : 'publisher');

export class ConsoleIdentity {
  constructor(private readonly d: ConsoleIdentityDeps) {}

  async me(p: Principal): Promise<ConsoleProfile | undefined> {
    const user = p.user;
    const partner = p.partner;
    if (!user || !partner) return undefined;
    const kind = kindOf(partner.id);
    const operator = kind === 'operator';
    const permissions = PERMISSIONS.filter((d) => d.name !== ALWAYS_ALLOWED && satisfiesAny(p.permissions, [d.name], operator)).map((d) => d.name);
    const roleId = user.roleIds.split(',')[0];
    const role = roleId ? await this.d.directory.role(Number(roleId)) : undefined;
    return {
      user,
      roleName: role?.name ?? null,
      partner,
      kind,
      permissions,
      consoleAccess: access(partner, kind, permissions),
      partners: await this.memberships(user),
    };
  }

  /** Every live partner where the user's login identity has a live user, by partner id. */
  private async memberships(user: User): Promise<Membership[]> {
    if (user.loginDataId === null) return [];
    const out: Membership[] = [];
    for (const u of await this.d.users.byLoginData(user.loginDataId)) {
      const partner = (await this.d.directory.partner(u.partnerId))?.partner;
      if (!partner || partner.status === PartnerStatus.DELETED) continue;
      out.push({ partner, kind: kindOf(partner.id) });
    }
    return out.sort((a, b) => a.partner.id - b.partner.id);
  }
}

function access(partner: Partner, kind: PartnerKind, permissions: readonly string[]): ConsoleAccess {
  const name = `'${partner.name}' (id ${partner.id})`;
  if (!partnerUsable(partner).ok) {
    return { allowed: false, reason: 'PARTNER_BLOCKED', explanation: `Partner ${name} is blocked: nobody can manage it until an operator unblocks it.` };
  }
  if (kind === 'operator') {
    if (permissions.includes(OPERATOR_PERMISSION)) return { allowed: true, reason: null, explanation: null };
    return { allowed: false, reason: 'NOT_OPERATOR', explanation: `This account of the operator partner (id ${partner.id}) has no operator console access (${OPERATOR_PERMISSION}). Ask another operator to give it the System Administrator role.` };
  }
  if (permissions.includes(CONSOLE_PERMISSION)) return { allowed: true, reason: null, explanation: null };
  const manages = permissions.some((n) => !VIEWER.has(n));
  const explanation = manages
    ? `This account of partner ${name} may use some APIs but not the management console (it lacks ${CONSOLE_PERMISSION}). Ask an admin of '${partner.name}' for a role with console access, or sign in with your admin login.`
    : `This is a viewer account of partner ${name}: it can sign in to players and apps but not manage anything. Ask an admin of '${partner.name}' to make you an admin, or sign in with your admin login.`;
  return { allowed: false, reason: 'NOT_ADMIN', explanation };
}

/** What any user (a viewer) holds: sessions and playback. */
const VIEWER: ReadonlySet<string> = new Set(['BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION', 'PLAYBACK_BASE_PERMISSION']);
