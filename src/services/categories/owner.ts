/** A category's owner: a user of the partner (created when missing, as the server does) and its MANAGER. */
import { E, fail } from '../../core/errors/index.js';
import { UserStatus } from '../model.js';
import { DuplicateKeyError, type Repos, type UserRepo } from '../ports.js';
import { isValidUserId } from '../users/validate.js';
import { MembershipStatus, PermissionLevel, permissionNamesOf, UpdateMethod, type Category } from './model.js';

/** Returns the user id, creating a plain user when the partner has none of that id. */
export async function ensureUser(users: UserRepo, partnerId: number, userId: string, now: number, invalid = () => fail(E.CANNOT_SET_OWNER_FIELD_WITH_USER_ID, { ID: userId })): Promise<string> {
  if (!isValidUserId(userId) || userId === '0') throw invalid();
  if (await users.byId(partnerId, userId)) return userId;
  try {
    await users.insert({ partnerId, id: userId, loginDataId: null, status: UserStatus.ACTIVE, isAdmin: false, isAccountOwner: false, roleIds: '', email: '', firstName: '', lastName: '', screenName: userId, ksPrivileges: null, type: 0, externalId: null, data: {}, createdAt: now, updatedAt: now, statusUpdatedAt: now, lastLoginAt: null, deletedAt: null });
  } catch (e) {
    if (!(e instanceof DuplicateKeyError)) throw e;
  }
  return userId;
}

/** Creates or raises the owner's membership to an ACTIVE, MANUAL MANAGER (category.php save), keeping the counters exact. */
export async function ownerMembership(r: Repos, c: Category, owner: string, now: number): Promise<void> {
  const manager = { permissionLevel: PermissionLevel.MANAGER, permissionNames: permissionNamesOf(PermissionLevel.MANAGER), updateMethod: UpdateMethod.MANUAL, status: MembershipStatus.ACTIVE, updatedAt: now };
  const existing = await r.memberships.get(c.id, owner);
  if (!existing) {
    await r.memberships.insert({ partnerId: c.partnerId, categoryId: c.id, userId: owner, ...manager, createdAt: now });
    await r.categories.bump([c.id], 'members', 1);
    return;
  }
  await r.memberships.update(existing.id, manager);
  if (existing.status !== MembershipStatus.ACTIVE) {
    await r.categories.bump([c.id], 'members', 1);
    if (existing.status === MembershipStatus.PENDING) await r.categories.bump([c.id], 'pendingMembers', -1);
  }
}
