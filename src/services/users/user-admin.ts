/**
 * User management for callers whose permissions are arbitrary subsets (REST access tokens and API
 * keys holding "User Management"): the same records and rules as the Kaltura door's `user`
 * service, plus one rule against privilege escalation. A caller may not create or edit a user
 * into more power than it holds itself (an admin user, or a role with permissions it lacks), and
 * may not change or delete a user more powerful than itself; otherwise a key holding only
 * User Management could mint itself a full administrator.
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import { parsePermissionNames } from '../../core/permissions/catalogue.js';
import { isOperatorSession, type Principal, type RequestMeta } from '../context.js';
import type { ListResult, Page, User } from '../model.js';
import type { Auditor } from '../audit.js';
import type { PasswordService } from '../passwords.js';
import type { Directory, LoginDataRepo, UserFilter, UserRepo } from '../ports.js';
import { BASIC_USER_PERMISSIONS, holdsAll, userPermissions, type Permissions } from '../sessions/user-permissions.js';
import type { UserInput, UserService } from './user-service.js';

export interface UserAdministrationDeps {
  users: UserService;
  directory: Directory;
  /** For setPassword: the login identities, the users sharing one, the password rules. */
  logins: LoginDataRepo;
  userRepo: UserRepo;
  passwords: PasswordService;
  audit: Auditor;
  clock: Clock;
}

export class UserAdministration {
  constructor(private readonly d: UserAdministrationDeps) {}

  get(p: Principal, id: string): Promise<User> {
    return this.d.users.get(p, id);
  }

  list(p: Principal, filter: UserFilter, page: Page): Promise<ListResult<User>> {
    return this.d.users.list(p, filter, page);
  }

  async add(p: Principal, input: UserInput, meta: RequestMeta): Promise<User> {
    await this.assertMayGrant(p, input);
    return this.d.users.add(p, input, meta);
  }

  async update(p: Principal, id: string, input: UserInput, meta: RequestMeta): Promise<User> {
    await this.assertNotMorePowerful(p, await this.d.users.get(p, id));
    await this.assertMayGrant(p, input);
    return this.d.users.update(p, id, input, meta);
  }

  async delete(p: Principal, id: string, meta: RequestMeta): Promise<void> {
    await this.assertNotMorePowerful(p, await this.d.users.get(p, id));
    return this.d.users.delete(p, id, meta);
  }

  /**
   * An admin sets a new password for a user's login and clears its lockout (the console's "Set
   * password"). The same rules as a change of the user: not for users more powerful than the caller.
   *
   * Security: a login identity is shared by every partner it has a user in, with one password.
   * Setting it from partner A would take over the identity's accounts in partner B, so it is
   * refused unless every user of the identity belongs to the caller's partner.
   */
  async setPassword(p: Principal, id: string, password: string, meta: RequestMeta): Promise<void> {
    const user = await this.d.users.get(p, id);
    await this.assertNotMorePowerful(p, user);
    const login = user.loginDataId === null ? undefined : await this.d.logins.get(user.loginDataId);
    if (!login) throw fail(E.USER_LOGIN_NOT_ENABLED, { USER_ID: user.id });
    const shared = (await this.d.userRepo.byLoginData(login.id)).some((u) => u.partnerId !== p.partnerId);
    if (shared) throw fail(E.LOGIN_SHARED_WITH_OTHER_PARTNERS, { USER_ID: user.id });
    this.d.passwords.check(password, { firstName: user.firstName, lastName: user.lastName, email: login.loginEmail });
    const passwordHash = await this.d.passwords.hash(password);
    const now = nowSeconds(this.d.clock);
    await this.d.logins.update(login.id, { passwordHash, passwordChangedAt: now, loginAttempts: 0, blockedUntil: null, updatedAt: now });
    await this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action: 'user.setPassword', target: user.id, outcome: 'success', clientIp: meta.clientIp, detail: { lockoutCleared: login.blockedUntil !== null || login.loginAttempts > 0 } });
  }

  private async assertMayGrant(p: Principal, input: UserInput): Promise<void> {
    // An admin user without a role holds everything in the partner (and can start ADMIN sessions).
    if (input.isAdmin === true) this.require(p, '*');
    const roleId = (input.roleIds ?? '').split(',')[0]?.trim();
    if (roleId && /^\d+$/.test(roleId)) {
      const role = await this.d.directory.role(Number(roleId));
      // An unknown role is left to UserService, which answers USER_ROLE_NOT_FOUND.
      if (role) this.require(p, parsePermissionNames(role.permissionNames));
    }
  }

  private async assertNotMorePowerful(p: Principal, target: User): Promise<void> {
    this.require(p, target.isAdmin && !target.roleIds ? '*' : await userPermissions(this.d.directory, target));
  }

  private require(p: Principal, target: Permissions): void {
    // What every user holds anyway (playback, a user session) is no power over anyone.
    const basic = BASIC_USER_PERMISSIONS === '*' ? new Set<string>() : BASIC_USER_PERMISSIONS;
    const wanted: Permissions = target === '*' ? '*' : new Set([...target].filter((n) => !basic.has(n)));
    if (holdsAll(p.permissions, wanted, isOperatorSession(p))) return;
    const missing = wanted === '*' ? ['*'] : [...wanted].filter((n) => !holdsAll(p.permissions, new Set([n]), isOperatorSession(p)));
    throw fail(E.PERMISSION_NOT_HELD, { PERMISSIONS: missing.join(', ') });
  }
}
