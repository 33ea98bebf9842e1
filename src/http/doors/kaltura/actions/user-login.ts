/**
 * Kaltura's login calls beyond loginByLoginId (issue 18; protocol §4.3): user.getByLoginId,
 * loginByKs, updateLoginData, enableLogin, disableLogin, resetPassword and
 * partner.listPartnersForUser, over services/users/login-data.ts.
 */
import { E, fail, isGatehouseError } from '../../../../core/errors/index.js';
import { pageOf } from '../classes/common.js';
import type { ActionDef, Call } from '../registry.js';
import { defineClass, kobj, T, type KObject } from '../wire/types.js';
import { ALWAYS, type KalturaServices } from './deps.js';
import { partnerFilter, toKalturaPartner } from './partner.js';
import { toKalturaUser } from './user.js';

defineClass({
  name: 'KalturaSessionResponse',
  parent: 'KalturaObjectBase',
  props: [
    { name: 'ks', type: T.string, readonly: true },
    { name: 'userId', type: T.string, readonly: true },
    { name: 'partnerId', type: T.int, readonly: true },
  ],
});

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
/** `otp` as sent; null when absent (checked by the login's second factor, see verify-login.ts). */
export const otpOf = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));

/**
 * Runs a password-proving handler; the per-address throttle's answer carries Retry-After for
 * HTTP-aware clients (the answer itself is an exception with HTTP 200), as user.loginByLoginId's.
 */
export async function withRetryAfter<T>(call: Call, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isGatehouseError(e) && e.code === 'LOGIN_THROTTLED' && call.responseHeaders) call.responseHeaders['retry-after'] = e.args.RETRY_AFTER ?? '60';
    throw e;
  }
}

export function userLoginActions(s: Pick<KalturaServices, 'loginData'>): ActionDef[] {
  return [
    {
      service: 'user',
      action: 'getByLoginId',
      params: [{ name: 'loginId', type: T.string }],
      permissions: ['ADMIN_BASE', 'KMC_READ_ONLY', 'SYSTEM_ADMIN_BASE'],
      handler: async ({ args, principal }) => toKalturaUser(await s.loginData.getByLoginId(principal, str(args.loginId))),
    },
    {
      service: 'user',
      action: 'loginByKs',
      params: [{ name: 'requestedPartnerId', type: T.int }],
      permissions: ['ADMIN_BASE', 'KMC_ACCESS'],
      handler: async ({ args, principal, meta }) => {
        try {
          const r = await s.loginData.loginByKs(principal, Number(args.requestedPartnerId), meta);
          return kobj('KalturaSessionResponse', { ks: r.ks, userId: r.userId, partnerId: r.partnerId });
        } catch (e) {
          // The Kaltura server's one answer for "no admin user of this login there".
          if (isGatehouseError(e) && e.code === 'PARTNER_ACCESS_FORBIDDEN') throw fail(E.ADMIN_KUSER_NOT_FOUND);
          throw e;
        }
      },
    },
    {
      service: 'user',
      action: 'updateLoginData',
      params: [
        { name: 'oldLoginId', type: T.string },
        { name: 'password', type: T.string },
        { name: 'newLoginId', type: T.string, optional: true, default: '' },
        { name: 'newPassword', type: T.string, optional: true, default: '' },
        { name: 'newFirstName', type: T.string, optional: true, default: null },
        { name: 'newLastName', type: T.string, optional: true, default: null },
        { name: 'otp', type: T.string, optional: true, default: null },
      ],
      permissions: ALWAYS,
      handler: async (call) => {
        const { args, meta } = call;
        await withRetryAfter(call, () =>
          s.loginData.change(
            { loginId: str(args.oldLoginId), password: str(args.password), newLoginId: str(args.newLoginId), newPassword: str(args.newPassword), newFirstName: str(args.newFirstName), newLastName: str(args.newLastName), otp: otpOf(args.otp) },
            meta,
            'user.updateLoginData',
          ),
        );
        return null;
      },
    },
    {
      service: 'user',
      action: 'enableLogin',
      params: [
        { name: 'userId', type: T.string },
        { name: 'loginId', type: T.string },
        { name: 'password', type: T.string, optional: true, default: null },
      ],
      permissions: ['ADMIN_USER_UPDATE'],
      handler: async ({ args, principal, meta }) => toKalturaUser(await s.loginData.enableLogin(principal, str(args.userId), str(args.loginId), str(args.password), meta)),
    },
    {
      service: 'user',
      action: 'disableLogin',
      params: [
        { name: 'userId', type: T.string, optional: true, default: null },
        { name: 'loginId', type: T.string, optional: true, default: null },
      ],
      permissions: ['ADMIN_USER_UPDATE'],
      handler: async ({ args, principal, meta }) => toKalturaUser(await s.loginData.disableLogin(principal, str(args.userId), str(args.loginId), meta)),
    },
    {
      service: 'user',
      action: 'resetPassword',
      params: [
        { name: 'email', type: T.string },
        { name: 'linkType', type: T.stringEnum('KalturaResetPassLinkType', ['1', '2']), optional: true, default: '1' },
      ],
      permissions: ALWAYS,
      // As the Kaltura server's strict error map: the answer is always null, known login or not.
      handler: async ({ args, meta }) => {
        await s.loginData.resetPassword(str(args.email), meta, 'user.resetPassword');
        return null;
      },
    },
    {
      service: 'partner',
      action: 'listPartnersForUser',
      params: [
        { name: 'partnerFilter', type: T.object('KalturaPartnerFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['ADMIN_PUBLISHER_MANAGE', 'BASE_USER_SESSION_PERMISSION', 'KMC_ACCESS'],
      handler: async ({ args, principal }) => {
        const r = await s.loginData.partnersOfLogin(principal, partnerFilter(args.partnerFilter as KObject | null), pageOf(args.pager));
        return kobj('KalturaPartnerListResponse', { objects: r.objects.map((p) => toKalturaPartner(p)), totalCount: r.totalCount });
      },
    },
  ];
}
