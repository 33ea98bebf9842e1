/**
 * User management for the REST door and the console: the Kaltura door's `user` service (whose
 * rules against escalation, in grants.ts, hold for every door) plus the console's "Set password".
 */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import type { Principal, RequestMeta } from '../context.js';
import { assertMayManageUser } from '../grants.js';
import type { ListResult, Page, User } from '../model.js';
import type { Auditor } from '../audit.js';
import type { PasswordService } from '../passwords.js';
import type { Directory, LoginDataRepo, UserFilter, UserRepo } from '../ports.js';
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

  add(p: Principal, input: UserInput, meta: RequestMeta): Promise<User> {
    return this.d.users.add(p, input, meta);
  }

  update(p: Principal, id: string, input: UserInput, meta: RequestMeta): Promise<User> {
    return this.d.users.update(p, id, input, meta);
  }

  async delete(p: Principal, id: string, meta: RequestMeta): Promise<void> {
    await this.d.users.delete(p, id, meta);
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
    await assertMayManageUser(p, this.d.directory, user);
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
}
