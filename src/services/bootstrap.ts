/**
 * First start: the system partners (-2 admin console, -1 batch, 0 global, 99 template), the
 * built-in roles, the template's default access-control profile, and one operator login.
 * Idempotent: it runs inside one transaction that first checks for the admin-console partner, so
 * restarts (or two nodes starting together) never duplicate or reset anything.
 */
import { nowSeconds, type Clock } from '../core/clock.js';
import { generatePartnerSecret } from '../core/crypto/random.js';
import { GLOBAL_ROLES, OPERATOR_ROLES, TEMPLATE_ROLES, type BuiltinRole } from '../core/permissions/builtin-roles.js';
import { PartnerStatus, SystemPartner, UserStatus } from './model.js';
import type { PasswordService } from './passwords.js';
import { DuplicateKeyError, type Repos, type UnitOfWork } from './ports.js';
import { DEFAULT_KS_MAX_EXPIRY } from './sessions/issue.js';
import { DEFAULT_LOGIN_BLOCK_PERIOD, DEFAULT_MAX_LOGIN_ATTEMPTS } from './users/login.js';

export interface BootstrapInput {
  adminEmail: string;
  /** When absent a password is generated and returned (to be printed once). */
  adminPassword: string | undefined;
}

export interface BootstrapResult {
  created: boolean;
  generatedPassword?: string;
}

const SYSTEM_PARTNERS: Array<[id: number, name: string, description: string]> = [
  [SystemPartner.ADMIN_CONSOLE, 'Admin Console', 'Administration Console'],
  [SystemPartner.BATCH, 'Batch', 'Batch partner'],
  [SystemPartner.GLOBAL, 'Global', 'Global partner: owns the global roles'],
  [SystemPartner.TEMPLATE, 'Template KMC account', 'Template copied into every new partner'],
];

export async function bootstrap(deps: { uow: UnitOfWork; passwords: PasswordService; clock: Clock }, input: BootstrapInput): Promise<BootstrapResult> {
  const generatedPassword = input.adminPassword ? undefined : deps.passwords.generate();
  const passwordHash = await deps.passwords.hash(input.adminPassword ?? generatedPassword!);
  const now = nowSeconds(deps.clock);
  try {
    return await deps.uow.transaction(async (r) => {
      if (await r.partners.get(SystemPartner.ADMIN_CONSOLE)) return { created: false };
      for (const [id, name, description] of SYSTEM_PARTNERS) {
        await r.partners.insert({
          id,
          name,
          description,
          adminName: '',
          adminEmail: id === SystemPartner.ADMIN_CONSOLE ? input.adminEmail : '',
          status: PartnerStatus.ACTIVE,
          secret: generatePartnerSecret(),
          adminSecrets: [generatePartnerSecret()],
          ksMaxExpiry: DEFAULT_KS_MAX_EXPIRY,
          maxLoginAttempts: DEFAULT_MAX_LOGIN_ATTEMPTS,
          loginBlockPeriod: DEFAULT_LOGIN_BLOCK_PERIOD,
          defaultAccessControlId: null,
          partnerParentId: null,
          settings: {},
          createdAt: now,
          updatedAt: now,
        });
      }
      await addRoles(r, SystemPartner.GLOBAL, GLOBAL_ROLES, now);
      await addRoles(r, SystemPartner.TEMPLATE, TEMPLATE_ROLES, now);
      const [operatorRole] = await addRoles(r, SystemPartner.ADMIN_CONSOLE, OPERATOR_ROLES, now);
      const acp = await r.accessControl.insert({ partnerId: SystemPartner.TEMPLATE, name: 'Default', systemName: 'Default', description: 'Default access control profile: allows everything', isDefault: true, rules: [], createdAt: now, updatedAt: now });
      await r.partners.update(SystemPartner.TEMPLATE, { defaultAccessControlId: acp.id });
      const login = await r.logins.insert({ loginEmail: input.adminEmail, passwordHash, firstName: 'Gatehouse', lastName: 'Operator', loginAttempts: 0, blockedUntil: null, lastLoginPartnerId: SystemPartner.ADMIN_CONSOLE, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now });
      await r.users.insert({
        partnerId: SystemPartner.ADMIN_CONSOLE,
        id: input.adminEmail,
        loginDataId: login.id,
        status: UserStatus.ACTIVE,
        isAdmin: true,
        isAccountOwner: true,
        roleIds: String(operatorRole),
        email: input.adminEmail,
        firstName: 'Gatehouse',
        lastName: 'Operator',
        screenName: input.adminEmail,
        ksPrivileges: null,
        type: 0,
        externalId: null,
        data: {},
        createdAt: now,
        updatedAt: now,
        statusUpdatedAt: now,
        lastLoginAt: null,
        deletedAt: null,
      });
      return generatedPassword ? { created: true, generatedPassword } : { created: true };
    });
  } catch (e) {
    // Another node won the race to bootstrap: its transaction committed first, ours rolled back.
    if (e instanceof DuplicateKeyError) return { created: false };
    throw e;
  }
}

async function addRoles(r: Repos, partnerId: number, roles: readonly BuiltinRole[], now: number): Promise<number[]> {
  const ids: number[] = [];
  for (const role of roles) {
    const created = await r.roles.insert({ partnerId, name: role.name, systemName: role.systemName, description: role.description, status: 1, permissionNames: role.permissionNames, tags: role.tags ?? '', createdAt: now, updatedAt: now });
    ids.push(created.id);
  }
  return ids;
}
