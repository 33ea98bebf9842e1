/**
 * The operator's view of publishers (the console's "Publishers" page): search, read with the
 * admin user, "Add New Publisher" (the same registration as Kaltura's partner.register) and
 * block / unblock / rename. Operators only: the REST guard asks for the SYSTEM_ADMIN_PUBLISHER_*
 * permissions, and every method checks again that the caller acts from the admin-console partner.
 * One exception, `update` of the partner's own `settings` by its administrator (see
 * `assertMayUpdate`).
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { allowedOriginsOf, checkAllowedOrigins, DELIVERY_ALLOWED_ORIGINS, MAX_DELIVERY_ORIGINS } from '../../core/delivery/allowed-origins.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import type { Principal, RequestMeta } from '../context.js';
import { FIRST_PUBLISHER_ID, PartnerStatus, SystemPartner, type ListResult, type Page, type Partner, type User } from '../model.js';
import type { Directory, PartnerFilter, PartnerRepo, UserRepo } from '../ports.js';
import type { PartnerService } from './partner-service.js';
import { permissionHeld } from '../pipeline/steps/permission-held.js';
import { DEFAULT_TEMPLATE } from './provision.js';
import { TWO_FACTOR_SETTING, twoFactorModeOf, type TwoFactorMode } from '../two-factor/policy.js';
import { BLOCK_DIRECT_LOGIN, blocksDirectLogin } from '../sso/direct-login.js';

export interface PublisherInput {
  name: string;
  adminName: string;
  adminEmail: string;
  /** Absent: a password is generated and returned once. */
  adminPassword?: string | undefined;
  description?: string | undefined;
}

/**
 * Per-partner limits, kept in the partner's settings: each replaces (API key validity and consumer
 * JWT lifetime: can only shorten) an installation-wide setting for this partner.
 */
export const PARTNER_LIMITS = ['apiKeyMaxValidity', 'consumerJwtMaxLifetime', 'gatewayRateLimit', 'accessControlProfileLimit'] as const;
export type PartnerLimit = (typeof PARTNER_LIMITS)[number];
export type PartnerLimits = Record<PartnerLimit, number | null>;

/** The partner's settings shown with it: `deliveryAllowedOrigins` and `twoFactor` its own administrator may change too, the rest the operator only. */
export interface PartnerOwnSettings {
  /** Origins whose scripts may read the partner's delivery answers (CORS); [] = any origin. */
  deliveryAllowedOrigins: string[];
  /**
   * Entitlement applies to every session that does not say `disableentitlement` (Kaltura's
   * account-level setting, kept in its admin console: the operator's to set).
   */
  defaultEntitlementEnforcement: boolean;
  /** Which users must sign in with two-factor codes (services/two-factor/policy.ts). */
  twoFactor: TwoFactorMode;
  /** Kaltura's blockDirectLogin: users sign in through single sign-on only, unless isSsoExcluded (operators set it). */
  blockDirectLogin: boolean;
}

const DEFAULT_ENTITLEMENT = 'defaultEntitlementEnforcement';

export interface PublisherPatch {
  /** true blocks the partner (every session and token of it stops), false unblocks it. */
  blocked?: boolean | undefined;
  name?: string | undefined;
  description?: string | undefined;
  /** A number sets a limit, null removes it (the installation's setting applies again). */
  limits?: Partial<PartnerLimits> | undefined;
  /** Each given setting replaces the stored one ([] restores the default). */
  settings?: { deliveryAllowedOrigins?: readonly string[] | undefined; defaultEntitlementEnforcement?: boolean | undefined; twoFactor?: TwoFactorMode | undefined; blockDirectLogin?: boolean | undefined } | undefined;
}

/** The partner's limits, null where the installation's setting applies. */
export function partnerLimits(partner: Partner): PartnerLimits {
  const out = {} as PartnerLimits;
  for (const k of PARTNER_LIMITS) {
    const v = partner.settings[k];
    out[k] = typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
  }
  return out;
}

/** The partner's own settings as stored, defaults filled in. */
export function partnerOwnSettings(partner: Partner): PartnerOwnSettings {
  return { deliveryAllowedOrigins: allowedOriginsOf(partner.settings), defaultEntitlementEnforcement: partner.settings[DEFAULT_ENTITLEMENT] === true, twoFactor: twoFactorModeOf(partner), blockDirectLogin: blocksDirectLogin(partner) };
}

export interface Publisher {
  partner: Partner;
  /** The account owner (the admin created with the partner), when it still exists. */
  admin: User | undefined;
}

export interface CreatedPublisher extends Publisher {
  /** The generated admin password, when none was given (shown once). */
  adminPassword: string | undefined;
}

export interface PartnerAdministrationDeps {
  partners: PartnerService;
  repo: PartnerRepo;
  users: UserRepo;
  directory: Directory;
  audit: Auditor;
  clock: Clock;
}

export class PartnerAdministration {
  constructor(private readonly d: PartnerAdministrationDeps) {}

  list(p: Principal, filter: { search?: string | undefined; blocked?: boolean | undefined }, page: Page): Promise<ListResult<Partner>> {
    assertOperator(p);
    const f: PartnerFilter = {};
    if (filter.search) f.search = filter.search;
    if (filter.blocked !== undefined) f.statusIn = filter.blocked ? [PartnerStatus.CONTENT_BLOCK, PartnerStatus.FULL_BLOCK] : [PartnerStatus.ACTIVE, PartnerStatus.READ_ONLY];
    else f.statusIn = [PartnerStatus.ACTIVE, PartnerStatus.READ_ONLY, PartnerStatus.CONTENT_BLOCK, PartnerStatus.FULL_BLOCK];
    return this.d.partners.list(p, f, page);
  }

  async get(p: Principal, id: number): Promise<Publisher> {
    const partner = await this.publisher(p, id);
    return { partner, admin: await this.adminOf(partner) };
  }

  async create(p: Principal, input: PublisherInput, meta: RequestMeta): Promise<CreatedPublisher> {
    assertOperator(p);
    const r = await this.d.partners.register(
      p,
      // partner.register insists on a description; the console's form makes it optional.
      { name: input.name, adminName: input.adminName, adminEmail: input.adminEmail, description: input.description || input.name },
      input.adminPassword ?? '',
      DEFAULT_TEMPLATE,
      meta,
    );
    return { partner: r.partner, admin: await this.adminOf(r.partner), adminPassword: r.cmsPassword };
  }

  async update(p: Principal, id: number, patch: PublisherPatch, meta: RequestMeta): Promise<Publisher> {
    assertMayUpdate(p, id, patch);
    const current = await this.load(id);
    const now = nowSeconds(this.d.clock);
    const change: Partial<Partner> = { updatedAt: now };
    if (patch.name !== undefined) {
      if (patch.name.trim() === '') throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'name' });
      change.name = patch.name;
    }
    if (patch.description !== undefined) change.description = patch.description;
    if (patch.blocked !== undefined) change.status = patch.blocked ? PartnerStatus.FULL_BLOCK : PartnerStatus.ACTIVE;
    const limits = patch.limits ? Object.entries(patch.limits).filter(([, v]) => v !== undefined) : [];
    const origins = patch.settings?.deliveryAllowedOrigins === undefined ? undefined : checkedOrigins(patch.settings.deliveryAllowedOrigins);
    const entitlement = patch.settings?.defaultEntitlementEnforcement;
    const twoFactor = patch.settings?.twoFactor;
    const blockDirect = patch.settings?.blockDirectLogin;
    if (limits.length > 0 || origins !== undefined || entitlement !== undefined || twoFactor !== undefined || blockDirect !== undefined) {
      const settings = { ...current.settings };
      for (const [k, v] of limits) {
        if (v === null) delete settings[k];
        else settings[k] = v;
      }
      // Unset rather than []: the delivery door's common path then sees no setting at all.
      if (origins?.length) settings[DELIVERY_ALLOWED_ORIGINS] = origins;
      else if (origins) delete settings[DELIVERY_ALLOWED_ORIGINS];
      if (entitlement === true) settings[DEFAULT_ENTITLEMENT] = true;
      else if (entitlement === false) delete settings[DEFAULT_ENTITLEMENT];
      if (twoFactor === 'off') delete settings[TWO_FACTOR_SETTING];
      else if (twoFactor !== undefined) settings[TWO_FACTOR_SETTING] = twoFactor;
      if (blockDirect === true) settings[BLOCK_DIRECT_LOGIN] = true;
      else if (blockDirect === false) delete settings[BLOCK_DIRECT_LOGIN];
      change.settings = settings;
    }
    const updated = (await this.d.repo.update(id, change)) ?? current;
    // Blocking must reach every node's cached partner at once: its tokens and sessions stop there.
    await this.d.directory.changed('partner', String(id));
    const fields = Object.keys(change).filter((k) => k !== 'updatedAt');
    const action = patch.blocked === undefined || (patch.blocked ? current.status === PartnerStatus.FULL_BLOCK : current.status === PartnerStatus.ACTIVE) ? 'partner.update' : patch.blocked ? 'partner.block' : 'partner.unblock';
    const limitDetail = limits.length ? { limits: Object.fromEntries(limits) } : {};
    const settingsDetail =
      origins || entitlement !== undefined || twoFactor !== undefined || blockDirect !== undefined
        ? { settings: { ...(origins ? { [DELIVERY_ALLOWED_ORIGINS]: origins } : {}), ...(entitlement !== undefined ? { [DEFAULT_ENTITLEMENT]: entitlement } : {}), ...(twoFactor !== undefined ? { [TWO_FACTOR_SETTING]: twoFactor } : {}), ...(blockDirect !== undefined ? { [BLOCK_DIRECT_LOGIN]: blockDirect } : {}) } }
        : {};
    await this.d.audit.record({ partnerId: id, actor: p.userId, action, target: String(id), outcome: 'success', clientIp: meta.clientIp, detail: { fields, byPartnerId: p.partnerId, ...limitDetail, ...settingsDetail } });
    return { partner: updated, admin: await this.adminOf(updated) };
  }

  /** A publisher by id; system partners (the operator's own, the template, ...) are not publishers. */
  private publisher(p: Principal, id: number): Promise<Partner> {
    assertOperator(p);
    return this.load(id);
  }

  private async load(id: number): Promise<Partner> {
    const partner = id >= FIRST_PUBLISHER_ID ? await this.d.repo.get(id) : undefined;
    if (!partner || partner.status === PartnerStatus.DELETED) throw fail(E.INVALID_PARTNER_ID, { PID: id });
    return partner;
  }

  private adminOf(partner: Partner): Promise<User | undefined> {
    const id = typeof partner.settings.adminUserId === 'string' && partner.settings.adminUserId ? partner.settings.adminUserId : partner.adminEmail;
    return this.d.users.byId(partner.id, id);
  }
}

function assertOperator(p: Principal): void {
  if (p.partnerId !== SystemPartner.ADMIN_CONSOLE) throw fail(E.SERVICE_FORBIDDEN, { SERVICE: 'partners' });
}

/**
 * The operator may change any publisher. A partner's own administrator — a caller of that partner
 * holding ACCOUNT_UPDATE_SETTINGS ("Change partner account settings", in role `*` and no built-in
 * publisher role) — may change only that partner's `settings`: never its status, name or limits,
 * which the operator sets for it, nor `defaultEntitlementEnforcement` and `blockDirectLogin`
 * (account-level settings Kaltura keeps in its admin console: a partner's administrator who could
 * lift blockDirectLogin could undo the operator's "single sign-on only"), and never another partner (refused alike, so the answer does not
 * say whether that partner exists).
 */
// `twoFactor` is among the settings the partner's administrator may set: requiring codes of its own
// users only tightens sign-in, and Kaltura lets the account's administrator require them too.
function assertMayUpdate(p: Principal, id: number, patch: PublisherPatch): void {
  if (p.partnerId === SystemPartner.ADMIN_CONSOLE) return;
  const ownSettingsOnly = id === p.partnerId && patch.blocked === undefined && patch.name === undefined && patch.description === undefined && patch.limits === undefined && patch.settings?.defaultEntitlementEnforcement === undefined && patch.settings?.blockDirectLogin === undefined;
  if (!ownSettingsOnly || !permissionHeld(p, ['ACCOUNT_UPDATE_SETTINGS']).ok) throw fail(E.PERMISSION_REQUIRED, { PERMISSIONS: 'SYSTEM_ADMIN_PUBLISHER_CONFIG' });
}

/** The origins as they will be stored; a list that is not one of origins is the caller's error. */
function checkedOrigins(values: readonly string[]): string[] {
  const r = checkAllowedOrigins(values);
  if (r.ok) return r.origins;
  if (r.problem === 'too_many') throw fail(E.INVALID_REQUEST, { DETAIL: `${DELIVERY_ALLOWED_ORIGINS} holds at most ${MAX_DELIVERY_ORIGINS} origins` });
  throw fail(E.PROPERTY_VALIDATION_WRONG_FORMAT, { PROP_NAME: `${DELIVERY_ALLOWED_ORIGINS}[${r.index}]`, FORMAT: 'scheme://host[:port] (http or https, no path, no wildcard; an empty list allows any origin)' });
}
