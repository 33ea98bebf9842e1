/** user.* (protocol §4.3). */
import { isGatehouseError } from '../../../../core/errors/index.js';
import type { Principal } from '../../../../services/context.js';
import type { User } from '../../../../services/model.js';
import type { UserFilter } from '../../../../services/ports.js';
import type { UserInput } from '../../../../services/users/user-service.js';
import { csv, given, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import { ALWAYS, type KalturaServices } from './deps.js';

/**
 * The error codes user.loginByLoginId lets through; everything else reads "wrong password" — a
 * locked login included, so a guesser cannot tell it from a wrong password. LOGIN_THROTTLED (the
 * per-address throttle, on the wire as LOGIN_BLOCKED) passes: it is about the caller's address,
 * not the account, and a client must learn to slow down rather than to try other passwords.
 */
const LOGIN_STRICT = ['USER_WRONG_PASSWORD', 'PASSWORD_EXPIRED', 'MISSING_OTP', 'INVALID_OTP', 'DIRECT_LOGIN_BLOCKED', 'SYSTEM_PARTNER_LOGIN', 'LOGIN_THROTTLED'];

const DATA_FIELDS = ['fullName', 'country', 'state', 'city', 'zip', 'thumbnailUrl', 'description', 'tags', 'adminTags', 'partnerData', 'language', 'title', 'company', 'dateOfBirth', 'gender', 'indexedPartnerDataInt', 'indexedPartnerDataString', 'registrationInfo', 'attendanceInfo', 'allowedPartnerIds', 'allowedPartnerPackages', 'userMode', 'isSsoExcluded'] as const;

export function toKalturaUser(u: User, roleNames?: string): KObject {
  const data: Record<string, unknown> = {};
  for (const f of DATA_FIELDS) if (u.data[f] !== undefined) data[f] = u.data[f];
  return kobj('KalturaUser', {
    id: u.id,
    partnerId: u.partnerId,
    screenName: u.screenName,
    fullName: u.data.fullName ?? [u.firstName, u.lastName].filter(Boolean).join(' '),
    email: u.email,
    ...data,
    status: u.status,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    lastLoginTime: u.lastLoginAt ?? undefined,
    statusUpdatedAt: u.statusUpdatedAt,
    deletedAt: u.deletedAt ?? undefined,
    type: u.type,
    isAdmin: u.isAdmin,
    isGuest: false,
    roleIds: u.roleIds,
    roleNames,
    isAccountOwner: u.isAccountOwner,
    firstName: u.firstName,
    lastName: u.lastName,
    loginEnabled: u.loginDataId !== null,
    ksPrivileges: u.ksPrivileges ?? undefined,
    externalId: u.externalId ?? undefined,
  });
}

function userInput(o: KObject): UserInput {
  const data: Record<string, unknown> = {};
  for (const f of DATA_FIELDS) if (o[f] !== undefined) data[f] = o[f];
  const pick = <T>(k: string) => o[k] as T | null | undefined;
  return {
    id: pick<string>('id'),
    externalId: pick<string>('externalId'),
    email: pick<string>('email'),
    firstName: pick<string>('firstName'),
    lastName: pick<string>('lastName'),
    screenName: pick<string>('screenName'),
    status: pick<number>('status'),
    isAdmin: pick<boolean>('isAdmin'),
    roleIds: pick<string>('roleIds'),
    password: pick<string>('password'),
    ksPrivileges: pick<string>('ksPrivileges'),
    type: pick<number>('type'),
    data,
  };
}

function userFilter(f: KObject | null | undefined): UserFilter {
  if (!f) return {};
  const out: UserFilter = {};
  const s = (k: string) => (given(f[k]) ? String(f[k]) : undefined);
  const n = (k: string) => (given(f[k]) && Number(f[k]) !== 0 ? Number(f[k]) : undefined);
  if (s('idEqual') !== undefined) out.idEqual = s('idEqual')!;
  if (csv(f.idIn)) out.idIn = csv(f.idIn)!;
  if (given(f.typeEqual)) out.typeEqual = Number(f.typeEqual);
  if (csv(f.typeIn)) out.typeIn = csv(f.typeIn)!.map(Number);
  // KalturaNullableBoolean: 1 true, 0 false, -1 / absent "don't care".
  if (f.isAdminEqual === 1 || f.isAdminEqual === 0) out.isAdminEqual = f.isAdminEqual === 1;
  if (f.loginEnabledEqual === 1 || f.loginEnabledEqual === 0) out.loginEnabledEqual = f.loginEnabledEqual === 1;
  if (s('roleIdEqual') ?? s('roleIdsEqual')) out.roleIdEqual = (s('roleIdEqual') ?? s('roleIdsEqual'))!;
  if (csv(f.roleIdsIn)) out.roleIdsIn = csv(f.roleIdsIn)!;
  if (given(f.statusEqual)) out.statusEqual = Number(f.statusEqual);
  if (csv(f.statusIn)) out.statusIn = csv(f.statusIn)!.map(Number);
  for (const k of ['firstNameStartsWith', 'lastNameStartsWith', 'firstNameOrLastNameStartsWith', 'idOrScreenNameStartsWith', 'screenNameLike', 'screenNameStartsWith', 'emailLike', 'emailStartsWith', 'orderBy'] as const) {
    if (s(k) !== undefined) out[k] = s(k)!;
  }
  for (const k of ['createdAtGreaterThanOrEqual', 'createdAtLessThanOrEqual', 'updatedAtGreaterThanOrEqual', 'updatedAtLessThanOrEqual'] as const) {
    if (n(k) !== undefined) out[k] = n(k)!;
  }
  return out;
}

/**
 * Users as KalturaUser with `roleNames`, the names of their roles, as Kaltura's server answers:
 * kmc-ng's Users page shows them and lets a user be edited only when they name the role it knows.
 * One role query for the whole page.
 */
export async function withRoleNames(s: Pick<KalturaServices, 'roles'>, p: Principal, users: User[]): Promise<KObject[]> {
  const ids = [...new Set(users.flatMap((u) => roleIdsOf(u)))];
  const names = new Map<number, string>();
  if (ids.length) for (const r of (await s.roles.list(p, { idIn: ids }, { pageSize: 500, pageIndex: 1 })).objects) names.set(r.id, r.name);
  return users.map((u) => toKalturaUser(u, roleIdsOf(u).flatMap((id) => names.get(id) ?? []).join(',')));
}

function roleIdsOf(u: User): number[] {
  return (u.roleIds ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

export function userActions(s: Pick<KalturaServices, 'logins' | 'users' | 'roles'>): ActionDef[] {
  const one = async (p: Principal, u: User) => (await withRoleNames(s, p, [u]))[0];
  return [
    {
      service: 'user',
      action: 'add',
      params: [{ name: 'user', type: T.object('KalturaUser') }],
      permissions: ['ADMIN_USER_ADD'],
      handler: async ({ args, principal, meta }) => {
        const o = args.user as KObject;
        assertWritable(o, 'insert');
        return one(principal, await s.users.add(principal, userInput(o), meta));
      },
    },
    {
      service: 'user',
      action: 'get',
      params: [{ name: 'userId', type: T.string, optional: true, default: null }],
      permissions: ['ADMIN_BASE', 'KMC_READ_ONLY', 'BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION'],
      handler: async ({ args, principal }) => one(principal, await s.users.get(principal, String(args.userId ?? ''))),
    },
    {
      service: 'user',
      action: 'list',
      params: [
        { name: 'filter', type: T.object('KalturaUserFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['ADMIN_BASE', 'ACCOUNT_BASE', 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => {
        const r = await s.users.list(principal, userFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaUserListResponse', { objects: await withRoleNames(s, principal, r.objects), totalCount: r.totalCount });
      },
    },
    {
      service: 'user',
      action: 'update',
      params: [
        { name: 'userId', type: T.string },
        { name: 'user', type: T.object('KalturaUser') },
      ],
      permissions: ['ADMIN_USER_UPDATE'],
      handler: async ({ args, principal, meta }) => {
        const o = args.user as KObject;
        const current = toKalturaUser(await s.users.get(principal, String(args.userId)));
        assertWritable(o, 'update', current);
        return one(principal, await s.users.update(principal, String(args.userId), userInput(o), meta));
      },
    },
    {
      service: 'user',
      action: 'delete',
      params: [{ name: 'userId', type: T.string }],
      permissions: ['ADMIN_USER_DELETE'],
      // The deleted user, as Kaltura answers (kmc-ng's client refuses an empty answer).
      handler: async ({ args, principal, meta }) => one(principal, await s.users.delete(principal, String(args.userId), meta)),
    },
    {
      service: 'user',
      action: 'loginByLoginId',
      params: [
        { name: 'loginId', type: T.string },
        { name: 'password', type: T.string },
        { name: 'partnerId', type: T.int, optional: true, default: null },
        { name: 'expiry', type: T.int, optional: true, default: 86400 },
        { name: 'privileges', type: T.string, optional: true, default: '*' },
        { name: 'otp', type: T.string, optional: true, default: null },
      ],
      permissions: ALWAYS,
      strictErrors: LOGIN_STRICT,
      handler: async ({ args, meta, responseHeaders }) => {
        try {
          const r = await s.logins.loginByLoginId(
            { loginId: String(args.loginId), password: String(args.password), partnerId: Number(args.partnerId), expiry: Number(args.expiry), privileges: String(args.privileges ?? '*'), otp: args.otp === null || args.otp === undefined ? null : String(args.otp) },
            meta,
          );
          return r.ks;
        } catch (e) {
          // The answer is still an exception with HTTP 200; the header tells HTTP-aware clients when to retry.
          if (isGatehouseError(e) && e.code === 'LOGIN_THROTTLED' && responseHeaders) responseHeaders['retry-after'] = e.args.RETRY_AFTER ?? '60';
          throw e;
        }
      },
    },
  ];
}
