/** adminUser.updatePassword (issue 18): kmc-ng's "change password", over services/users/login-data.ts. */
import { E, fail, isGatehouseError } from '../../../../core/errors/index.js';
import type { ActionDef } from '../registry.js';
import { kobj, T } from '../wire/types.js';
import { ALWAYS, type KalturaServices } from './deps.js';
import { otpOf, withRetryAfter } from './user-login.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export function adminUserActions(s: Pick<KalturaServices, 'loginData'>): ActionDef[] {
  return [
    {
      service: 'adminUser',
      action: 'updatePassword',
      params: [
        { name: 'email', type: T.string },
        { name: 'password', type: T.string },
        { name: 'newEmail', type: T.string, optional: true, default: '' },
        { name: 'newPassword', type: T.string, optional: true, default: '' },
        { name: 'otp', type: T.string, optional: true, default: null },
      ],
      permissions: ALWAYS,
      handler: async (call) => {
        const { args, meta } = call;
        const email = str(args.email);
        const input = { loginId: email, password: str(args.password), newLoginId: str(args.newEmail), newPassword: str(args.newPassword), otp: otpOf(args.otp) };
        try {
          await withRetryAfter(call, () => s.loginData.change(input, meta, 'adminUser.updatePassword'));
        } catch (e) {
          // adminUser's own wording of a wrong current password (an unknown or locked login reads the same).
          if (isGatehouseError(e) && e.code === 'WRONG_OLD_PASSWORD') throw fail(E.ADMIN_KUSER_WRONG_OLD_PASSWORD);
          throw e;
        }
        // As the Kaltura server: the login as it now is, which kmc-ng signs in with right away.
        // The password is the caller's own, sent back over the same connection; it is never logged.
        return kobj('KalturaAdminUser', { email: input.newLoginId || email, password: input.newPassword || input.password });
      },
    },
  ];
}
