/**
 * sso.login (the sso plugin: service id `sso_sso`): the URL where a user's browser starts signing
 * in through its partner's identity provider. Needs no session, and answers from the user id's
 * e-mail domain alone (or the partner's only enabled provider), never from whether the user exists.
 */
import type { SsoSignIn } from '../../../../services/sso/sign-in.js';
import type { ActionDef } from '../registry.js';
import { T } from '../wire/types.js';
import { ALWAYS } from './deps.js';

export function ssoActions(d: { sso: Pick<SsoSignIn, 'loginUrl'> }): ActionDef[] {
  return [
    {
      service: 'sso_sso',
      action: 'login',
      params: [
        { name: 'userId', type: T.string, optional: true, default: null },
        { name: 'applicationType', type: T.string },
        { name: 'partnerId', type: T.int, optional: true, default: null },
      ],
      permissions: ALWAYS,
      // applicationType names the Kaltura application (kmc, ep, …); every application here signs in
      // through the same provider, so it only has to be given.
      handler: async ({ args }) => {
        // A client configured without a partner sends 0 (or nothing): then the domain alone decides.
        const partnerId = typeof args.partnerId === 'number' && args.partnerId > 0 ? args.partnerId : null;
        return d.sso.loginUrl((args.userId as string | null) || null, partnerId);
      },
    },
  ];
}
