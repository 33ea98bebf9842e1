/** user.add / get / list / update / delete (protocol §4.3). */
import { nowSeconds, type Clock } from '../../core/clock.js';
import { E, fail } from '../../core/errors/index.js';
import type { Auditor } from '../audit.js';
import { assertMayGrantUser, assertMayManageUser, type FindRole } from '../grants.js';
import { isAdminSession, type Principal, type RequestMeta } from '../context.js';
import { RoleStatus, SystemPartner, UserStatus, type ListResult, type Page, type User, type UserData } from '../model.js';
import type { PasswordService } from '../passwords.js';
import { DuplicateKeyError, userKey, type Directory, type RoleRepo, type UnitOfWork, type UserFilter, type UserRepo } from '../ports.js';

import { isValidEmail, isValidUserId } from './validate.js';

export interface UserInput {
  id?: string | null;
  externalId?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  screenName?: string | null;
  status?: number | null;
  isAdmin?: boolean | null;
  roleIds?: string | null;
  password?: string | null;
  ksPrivileges?: string | null;
  type?: number | null;
  data?: Partial<UserData>;
}

export interface UserServiceDeps {
  uow: UnitOfWork;
  users: UserRepo;
  roles: RoleRepo;
  directory: Directory;
  passwords: PasswordService;
  audit: Auditor;
  clock: Clock;
  /** Resolves a `setrole` in a user's ksPrivileges (grants.ts). */
  findRole: FindRole;
}

export class UserService {
  constructor(private readonly d: UserServiceDeps) {}

  async add(p: Principal, input: UserInput, meta: RequestMeta): Promise<User> {
    const now = nowSeconds(this.d.clock);
    if (input.id && input.externalId) throw fail(E.ID_AND_EXTERNAL_ID_ARE_MUTUALLY_EXCLUSIVE);
    const id = input.id || input.externalId || '';
    if (!id) throw fail(E.PROPERTY_VALIDATION_CANNOT_BE_NULL, { PROP_NAME: 'user::id' });
    if (!isValidUserId(id)) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'id' });
    if (await this.d.users.byId(p.partnerId, id)) throw fail(E.DUPLICATE_USER_BY_ID, { UID: id });
    if (input.status != null && input.status !== UserStatus.ACTIVE && input.status !== UserStatus.BLOCKED) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'status' });
    const isAdmin = Boolean(input.isAdmin);
    const roleIds = await this.resolveRoleIds(p.partnerId, input.roleIds, isAdmin);
    // Every door creates users here, so the rule against escalation is here too (grants.ts).
    await assertMayGrantUser(p, this.d.directory, this.d.findRole, undefined, { isAdmin, roleIds, ksPrivileges: input.ksPrivileges });
    const email = input.email ?? '';
    const firstName = input.firstName ?? id;
    const lastName = input.lastName ?? '';
    const wantsLogin = Boolean(input.password) || isAdmin;
    if (wantsLogin && !isValidEmail(email)) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'email' });
    if (input.password) this.d.passwords.check(input.password, { firstName, lastName, email });
    const passwordHash = wantsLogin ? await this.d.passwords.hash(input.password || this.d.passwords.generate()) : '';

    try {
      const user = await this.d.uow.transaction(async (r) => {
        let loginDataId: number | null = null;
        if (wantsLogin) {
          const existing = await r.logins.byEmail(email);
          if (existing) {
            // An identity already known (from another partner) keeps its one password.
            if ((await r.users.byLoginData(existing.id)).some((u) => u.partnerId === p.partnerId)) throw fail(E.DUPLICATE_USER_BY_LOGIN_ID, { EMAIL: email });
            loginDataId = existing.id;
          } else {
            loginDataId = (await r.logins.insert({ loginEmail: email, passwordHash, firstName, lastName, loginAttempts: 0, blockedUntil: null, lastLoginPartnerId: p.partnerId, lastLoginAt: null, passwordChangedAt: now, createdAt: now, updatedAt: now })).id;
          }
          const quota = Number(p.partner?.settings.adminLoginUsersQuota ?? 0);
          if (isAdmin && quota > 0 && (await r.users.countLoginAdmins(p.partnerId)) >= quota) throw fail(E.ADMIN_LOGIN_USERS_QUOTA_EXCEEDED);
        }
        return r.users.insert({
          partnerId: p.partnerId,
          id,
          loginDataId,
          status: input.status ?? UserStatus.ACTIVE,
          isAdmin,
          isAccountOwner: false,
          roleIds,
          email,
          firstName,
          lastName,
          screenName: input.screenName ?? id,
          ksPrivileges: input.ksPrivileges ?? null,
          type: input.type ?? 0,
          externalId: input.externalId ?? null,
          data: clean(input.data ?? {}),
          createdAt: now,
          updatedAt: now,
          statusUpdatedAt: now,
          lastLoginAt: null,
          deletedAt: null,
        });
      });
      await this.d.directory.changed('user', userKey(p.partnerId, id));
      await this.audit(p, 'user.add', id, meta);
      return user;
    } catch (e) {
      if (e instanceof DuplicateKeyError) {
        throw e.constraint.startsWith('login') ? fail(E.DUPLICATE_USER_BY_LOGIN_ID, { EMAIL: email }) : fail(E.DUPLICATE_USER_BY_ID, { UID: id });
      }
      throw e;
    }
  }

  async get(p: Principal, userId: string): Promise<User> {
    const id = userId || p.userId;
    if (id !== p.userId && !isAdminSession(p)) throw fail(E.CANNOT_RETRIEVE_ANOTHER_USER_USING_NON_ADMIN_SESSION, { USER_ID: id });
    const user = id ? await this.d.users.byId(p.partnerId, id) : undefined;
    if (!user) throw fail(E.INVALID_USER_ID);
    return user;
  }

  list(p: Principal, filter: UserFilter, page: Page): Promise<ListResult<User>> {
    return this.d.users.list(p.partnerId, filter, page);
  }

  async update(p: Principal, userId: string, input: UserInput, meta: RequestMeta): Promise<User> {
    const user = await this.d.users.byId(p.partnerId, userId);
    if (!user) throw fail(E.INVALID_USER_ID);
    await assertMayManageUser(p, this.d.directory, user);
    if (user.isAccountOwner && input.status === UserStatus.BLOCKED) throw fail(E.CANNOT_DELETE_OR_BLOCK_ROOT_ADMIN_USER);
    if (user.isAccountOwner && input.isAdmin === false) throw fail(E.CANNOT_SET_ROOT_ADMIN_AS_NO_ADMIN);
    if (input.id && input.id !== user.id) {
      if (!isValidUserId(input.id)) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'id' });
      if (await this.d.users.byId(p.partnerId, input.id)) throw fail(E.DUPLICATE_USER_BY_ID, { UID: input.id });
    }
    const now = nowSeconds(this.d.clock);
    const isAdmin = input.isAdmin ?? user.isAdmin;
    const patch: Partial<User> = { updatedAt: now };
    if (input.roleIds !== undefined && input.roleIds !== null) patch.roleIds = await this.resolveRoleIds(p.partnerId, input.roleIds, isAdmin);
    await assertMayGrantUser(p, this.d.directory, this.d.findRole, user, { isAdmin: input.isAdmin, roleIds: patch.roleIds, ksPrivileges: input.ksPrivileges });
    if (input.id) patch.id = input.id;
    if (input.email != null) {
      if (input.email && user.loginDataId && !isValidEmail(input.email)) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'email' });
      patch.email = input.email;
    }
    if (input.firstName != null) patch.firstName = input.firstName;
    if (input.lastName != null) patch.lastName = input.lastName;
    if (input.screenName != null) patch.screenName = input.screenName;
    if (input.isAdmin != null) patch.isAdmin = input.isAdmin;
    if (input.ksPrivileges !== undefined) patch.ksPrivileges = input.ksPrivileges;
    if (input.type != null) patch.type = input.type;
    if (input.status != null && input.status !== user.status) {
      if (input.status !== UserStatus.ACTIVE && input.status !== UserStatus.BLOCKED) throw fail(E.INVALID_FIELD_VALUE, { FIELD_NAME: 'status' });
      patch.status = input.status;
      patch.statusUpdatedAt = now;
    }
    // fullName is first + last unless set on its own: a stored one follows a rename (as
    // user.updateLoginData's names do), except when this update sets it too.
    const renamed = (patch.firstName !== undefined && patch.firstName !== user.firstName) || (patch.lastName !== undefined && patch.lastName !== user.lastName);
    if (input.data || (renamed && user.data.fullName !== undefined)) {
      const data: User['data'] = { ...user.data, ...input.data };
      if (renamed && input.data?.fullName === undefined) delete data.fullName;
      patch.data = clean(data);
    }
    const updated = await this.d.users.update(user.kuserId, patch);
    await this.d.directory.changed('user', userKey(p.partnerId, user.id));
    if (patch.id) await this.d.directory.changed('user', userKey(p.partnerId, patch.id));
    await this.audit(p, 'user.update', user.id, meta, { fields: Object.keys(patch).filter((k) => k !== 'updatedAt') });
    return updated;
  }

  /** Marks the user deleted and answers it so (Kaltura's user.delete returns the deleted KalturaUser). */
  async delete(p: Principal, userId: string, meta: RequestMeta): Promise<User> {
    const user = await this.d.users.byId(p.partnerId, userId);
    if (!user) throw fail(E.INVALID_USER_ID);
    await assertMayManageUser(p, this.d.directory, user);
    if (user.isAccountOwner) throw fail(E.CANNOT_DELETE_OR_BLOCK_ROOT_ADMIN_USER);
    const now = nowSeconds(this.d.clock);
    const patch = { status: UserStatus.DELETED, statusUpdatedAt: now, deletedAt: now, updatedAt: now };
    await this.d.users.update(user.kuserId, patch);
    await this.d.directory.changed('user', userKey(p.partnerId, user.id));
    await this.audit(p, 'user.delete', user.id, meta);
    return { ...user, ...patch };
  }

  /** One role per user; it must be the partner's or a global one. Admins default to Publisher Administrator. */
  private async resolveRoleIds(partnerId: number, roleIds: string | null | undefined, isAdmin: boolean): Promise<string> {
    const ids = (roleIds ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (ids.length > 1) throw fail(E.ONLY_ONE_ROLE_PER_USER_ALLOWED);
    if (ids.length === 0) {
      if (!isAdmin) return '';
      const admin = await this.d.roles.list([SystemPartner.GLOBAL], { systemNameEqual: 'PARTNER_ADMIN_ROLE' }, { pageSize: 1, pageIndex: 1 });
      return admin.objects[0] ? String(admin.objects[0].id) : '';
    }
    const role = /^\d+$/.test(ids[0]!) ? await this.d.roles.get(Number(ids[0])) : undefined;
    if (!role || role.status !== RoleStatus.ACTIVE || (role.partnerId !== partnerId && role.partnerId !== SystemPartner.GLOBAL)) throw fail(E.USER_ROLE_NOT_FOUND);
    return String(role.id);
  }

  private audit(p: Principal, action: string, target: string, meta: RequestMeta, detail?: Record<string, unknown>): Promise<void> {
    return this.d.audit.record({ partnerId: p.partnerId, actor: p.userId, action, target, outcome: 'success', clientIp: meta.clientIp, ...(detail ? { detail } : {}) });
  }
}

function clean(data: Partial<UserData>): UserData {
  const out: UserData = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}
