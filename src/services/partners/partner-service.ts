/** partner.register / get / getInfo / list / getSecrets (protocol §4.2). */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { generatePartnerSecret } from '../../core/crypto/random.js';
import { E, fail, GatehouseError, isGatehouseError } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import { mayReadPartnerSecrets } from '../grants.js';
import { isAdminSession, type Principal, type RequestMeta } from '../context.js';
import { PartnerStatus, SystemPartner, UserStatus, type ListResult, type LoginData, type Page, type Partner, type PartnerSettings, type User } from '../model.js';
import type { PasswordService } from '../passwords.js';
import { DuplicateKeyError, type Directory, type LoginDataRepo, type PartnerFilter, type PartnerRepo, type RoleRepo, type UnitOfWork, type UserRepo } from '../ports.js';
import { DEFAULT_KS_MAX_EXPIRY } from '../sessions/issue.js';
import { DEFAULT_LOGIN_BLOCK_PERIOD, DEFAULT_MAX_LOGIN_ATTEMPTS } from '../users/login.js';
import type { LoginAttempts } from '../users/login-attempts.js';
import { checkPassword, type PasswordCheck } from '../users/verify-login.js';
import type { SecondFactorGate } from '../two-factor/second-factor.js';
import { isValidEmail } from '../users/validate.js';
import { copyTemplate, DEFAULT_TEMPLATE } from './provision.js';

export interface PartnerInput {
  name?: string | null;
  description?: string | null;
  adminName?: string | null;
  adminEmail?: string | null;
  settings?: PartnerSettings;
}

export interface RegisteredPartner {
  partner: Partner;
  /** Set only when Gatehouse generated the admin's password (shown once). */
  cmsPassword: string | undefined;
}

export interface PartnerServiceDeps {
  uow: UnitOfWork;
  partners: PartnerRepo;
  logins: LoginDataRepo;
  users: UserRepo;
  roles: RoleRepo;
  directory: Directory;
  passwords: PasswordService;
  attempts: LoginAttempts;
  audit: Auditor;
  clock: Clock;
  openRegistration: boolean;
  twoFactor: SecondFactorGate;
}

export class PartnerService {
  constructor(private readonly d: PartnerServiceDeps) {}

  /**
   * Creates a publisher with its admin login, default widget and copies of the template's roles
   * and default access-control profile. Only operators may register partners, unless the
   * installation opted into open registration.
   */
  async register(p: Principal, input: PartnerInput, cmsPassword: string, templatePartnerId: number, meta: RequestMeta): Promise<RegisteredPartner> {
    if (!this.d.openRegistration && !(p.partnerId === SystemPartner.ADMIN_CONSOLE && isAdminSession(p))) {
      throw fail(E.SERVICE_FORBIDDEN, { SERVICE: 'partner->register' });
    }
    for (const prop of ['name', 'adminName', 'adminEmail', 'description'] as const) {
      if (!input[prop]) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: `partner::${prop}` });
    }
    const adminEmail = input.adminEmail!;
    if (!isValidEmail(adminEmail)) throw fail(E.PARTNER_REGISTRATION_ERROR, { MESSAGE: 'adminEmail is not a valid email address' });
    for (const f of ['country', 'state'] as const) {
      const v = input.settings?.[f];
      if (typeof v === 'string' && v.length > 2) throw fail(E.PROPERTY_VALIDATION_MAX_LENGTH, { PROP_NAME: `partner::${f}`, MAX_LEN: 2 });
    }
    // Only the template partner is a template: copying another partner would hand its roles and
    // access-control profiles (hash-condition secrets included) to whoever registers.
    if (templatePartnerId && templatePartnerId !== DEFAULT_TEMPLATE) {
      throw fail(E.PARTNER_REGISTRATION_ERROR, { MESSAGE: `partner ${templatePartnerId} is not a template partner` });
    }
    const [firstName, ...rest] = input.adminName!.trim().split(/\s+/);
    const lastName = rest.join(' ');
    const existingLogin = await this.d.logins.byEmail(adminEmail);
    let generated: string | undefined;
    let passwordHash = '';
    if (!existingLogin) {
      if (cmsPassword) {
        try {
          this.d.passwords.check(cmsPassword, { firstName: firstName ?? '', lastName, email: adminEmail });
        } catch (e) {
          if (e instanceof GatehouseError) throw fail(E.PARTNER_REGISTRATION_ERROR, { MESSAGE: e.message });
          throw e;
        }
      } else generated = this.d.passwords.generate();
      passwordHash = await this.d.passwords.hash(cmsPassword || generated!);
    }
    const template = DEFAULT_TEMPLATE;
    const now = nowSeconds(this.d.clock);

    // Ids are allocated as max + 1: two registrations racing on PostgreSQL can pick the same id.
    // The loser's transaction is aborted by the conflict, so the whole transaction is retried.
    const partner = await withRetry(() => this.d.uow.transaction(async (r) => {
      const partner = await r.partners.insert({
        name: input.name!,
        description: input.description!,
        adminName: input.adminName!,
        adminEmail,
        status: PartnerStatus.ACTIVE,
        secret: generatePartnerSecret(),
        adminSecrets: [generatePartnerSecret()],
        ksMaxExpiry: DEFAULT_KS_MAX_EXPIRY,
        maxLoginAttempts: DEFAULT_MAX_LOGIN_ATTEMPTS,
        loginBlockPeriod: DEFAULT_LOGIN_BLOCK_PERIOD,
        defaultAccessControlId: null,
        partnerParentId: null,
        settings: { ...(input.settings ?? {}), adminUserId: adminEmail },
        createdAt: now,
        updatedAt: now,
      });
      const login = existingLogin ?? (await r.logins.byEmail(adminEmail)) ?? (await r.logins.insert({ loginEmail: adminEmail, passwordHash, firstName: firstName ?? '', lastName, loginAttempts: 0, blockedUntil: null, lastLoginPartnerId: partner.id, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now }));
      const adminRole = await r.roles.list([SystemPartner.GLOBAL], { systemNameEqual: 'PARTNER_ADMIN_ROLE' }, { pageSize: 1, pageIndex: 1 });
      await r.users.insert({
        partnerId: partner.id,
        id: adminEmail,
        loginDataId: login.id,
        status: UserStatus.ACTIVE,
        isAdmin: true,
        isAccountOwner: true,
        roleIds: adminRole.objects[0] ? String(adminRole.objects[0].id) : '',
        email: adminEmail,
        firstName: firstName ?? '',
        lastName,
        screenName: input.adminName!,
        ksPrivileges: null,
        type: 0,
        externalId: null,
        data: { fullName: input.adminName! },
        createdAt: now,
        updatedAt: now,
        statusUpdatedAt: now,
        lastLoginAt: null,
        deletedAt: null,
      });
      const defaultAcp = await copyTemplate(r, partner.id, template, now);
      return (await r.partners.update(partner.id, { defaultAccessControlId: defaultAcp }))!;
    }));
    await this.d.audit.record({ partnerId: partner.id, actor: p.userId || adminEmail, action: 'partner.register', target: String(partner.id), outcome: 'success', clientIp: meta.clientIp, detail: { byPartnerId: p.partnerId } });
    return { partner, cmsPassword: generated };
  }

  /** A partner the caller may see: its own, or any for an operator. */
  async get(p: Principal, id: number): Promise<Partner> {
    const target = id || p.partnerId;
    if (target !== p.partnerId && p.partnerId !== SystemPartner.ADMIN_CONSOLE) throw fail(E.INVALID_OBJECT_ID, { ID: target });
    const entry = await this.d.directory.partner(target);
    if (!entry) throw fail(E.INVALID_OBJECT_ID, { ID: target });
    return entry.partner;
  }

  /**
   * Operators list every publisher (system partners are not publishers); anyone else sees only
   * their own partner. The caller's filter still applies on top of that scope, so a publisher
   * asking for another partner's id gets an empty list, not its own partner.
   */
  list(p: Principal, filter: PartnerFilter, page: Page): Promise<ListResult<Partner>> {
    const scoped: PartnerFilter =
      p.partnerId === SystemPartner.ADMIN_CONSOLE
        ? { ...filter, publishersOnly: true }
        : { ...filter, idIn: (filter.idIn ?? [p.partnerId]).filter((id) => id === p.partnerId) };
    return this.d.partners.list(scoped, page);
  }

  /**
   * Secrets for a partner admin who proves their password (protocol §4.2). This is a password
   * check like a login, so it is the sign-in's own check (verify-login.ts): the same per-address
   * throttle (LOGIN_THROTTLED passes through), lockout and ceiling, counted on the same budgets,
   * and the same second factor: where codes are needed, MISSING_OTP / INVALID_OTP after the right
   * password (as the Kaltura server answers), each a failed attempt.
   */
  async getSecrets(partnerId: number, adminEmail: string, cmsPassword: string, meta: RequestMeta, otp: string | null = null): Promise<Partner> {
    const audit = (outcome: 'success' | 'failure', detail: Record<string, unknown>) =>
      this.d.audit.record({ partnerId, actor: adminEmail, action: 'partner.getSecrets', target: String(partnerId), outcome, clientIp: meta.clientIp, detail });
    let check: PasswordCheck;
    try {
      const second = (login: LoginData, memberships: User[]) => this.d.twoFactor.atSignIn(login, memberships.find((u) => u.partnerId === partnerId), otp, { enrolment: false });
      check = await checkPassword(this.d, { loginId: adminEmail, password: cmsPassword, partnerId, otp }, meta, second);
    } catch (e) {
      if (isGatehouseError(e) && e.code === 'LOGIN_THROTTLED') await audit('failure', { reason: 'throttled' });
      throw e;
    }
    if (!check.ok && (check.reason === 'code missing' || check.reason === 'wrong code')) {
      await audit('failure', { reason: check.reason });
      throw fail(check.reason === 'code missing' ? E.MISSING_OTP : E.INVALID_OTP);
    }
    const user = check.ok ? check.memberships.find((u) => u.partnerId === partnerId) : undefined;
    // The secrets mint sessions with every permission: only for a partner administrator (grants.ts).
    const allowed = user && user.status === UserStatus.ACTIVE && (await mayReadPartnerSecrets(this.d.directory, user));
    // The code is spent only when the secrets are given out (a guarded write: sent twice at once, it works once).
    if (allowed && check.ok && !(await this.d.twoFactor.spend(check.factor))) {
      await audit('failure', { reason: 'wrong code' });
      throw fail(E.INVALID_OTP);
    }
    const entry = allowed ? await this.d.directory.partner(partnerId) : undefined;
    await audit(entry ? 'success' : 'failure', check.ok ? {} : { reason: check.reason });
    if (!entry) throw fail(E.USER_DATA_ERROR);
    return entry.partner;
  }
}

/** Retries a unit of work that lost a race for a unique key (partner id, admin login). */
async function withRetry<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof DuplicateKeyError) || i >= attempts) throw e;
    }
  }
}
