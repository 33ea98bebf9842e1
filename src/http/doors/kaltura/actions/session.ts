/** session.* (protocol §2.9). */
import { SessionTypeEnum } from '../classes/enums.js';
import type { ActionDef } from '../registry.js';
import { kobj, T } from '../wire/types.js';
import { ALWAYS, type KalturaServices } from './deps.js';

const str = (v: unknown) => String(v ?? '');

export function sessionActions(s: Pick<KalturaServices, 'sessions'>): ActionDef[] {
  return [
    {
      service: 'session',
      action: 'start',
      params: [
        { name: 'secret', type: T.string },
        { name: 'userId', type: T.string, optional: true, default: '' },
        { name: 'type', type: SessionTypeEnum, optional: true, default: 0 },
        { name: 'partnerId', type: T.int, optional: true, default: null },
        { name: 'expiry', type: T.int, optional: true, default: 86400 },
        { name: 'privileges', type: T.string, optional: true, default: null },
      ],
      permissions: ALWAYS,
      handler: ({ args, meta }) =>
        s.sessions.start(
          { secret: str(args.secret), userId: str(args.userId), type: Number(args.type), partnerId: Number(args.partnerId), expiry: Number(args.expiry), privileges: str(args.privileges) },
          meta,
        ),
    },
    {
      service: 'session',
      action: 'startWidgetSession',
      params: [
        { name: 'widgetId', type: T.string },
        { name: 'expiry', type: T.int, optional: true, default: 86400 },
      ],
      permissions: ALWAYS,
      handler: async ({ args, meta }) => kobj('KalturaStartWidgetSessionResponse', await s.sessions.startWidgetSession(str(args.widgetId), Number(args.expiry), meta)),
    },
    {
      service: 'session',
      action: 'end',
      params: [],
      permissions: ALWAYS,
      handler: async ({ principal, meta }) => {
        await s.sessions.end(principal, meta);
        return null;
      },
    },
    {
      service: 'session',
      action: 'get',
      params: [{ name: 'session', type: T.string, optional: true, default: null }],
      permissions: ['SESSION_READ_PERMISSION', 'KMC_ACCESS', 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => {
        const info = await s.sessions.get(principal, str(args.session));
        // The server copies these from the parsed KS, so they are strings on the wire (protocol §2.9).
        return kobj('KalturaSessionInfo', {
          partnerId: String(info.partnerId),
          userId: info.userId,
          expiry: String(info.expiry),
          sessionType: String(info.sessionType),
          privileges: info.privileges,
        });
      },
    },
    {
      service: 'session',
      action: 'impersonate',
      params: [
        { name: 'secret', type: T.string },
        { name: 'impersonatedPartnerId', type: T.int },
        { name: 'userId', type: T.string, optional: true, default: '' },
        { name: 'type', type: SessionTypeEnum, optional: true, default: 0 },
        { name: 'partnerId', type: T.int, optional: true, default: null },
        { name: 'expiry', type: T.int, optional: true, default: 86400 },
        { name: 'privileges', type: T.string, optional: true, default: null },
      ],
      permissions: ALWAYS,
      handler: ({ args, meta }) =>
        s.sessions.impersonate(
          {
            secret: str(args.secret),
            impersonatedPartnerId: Number(args.impersonatedPartnerId),
            userId: str(args.userId),
            type: Number(args.type),
            partnerId: Number(args.partnerId),
            expiry: Number(args.expiry),
            privileges: str(args.privileges),
          },
          meta,
        ),
    },
    {
      service: 'session',
      action: 'impersonateByKs',
      params: [
        { name: 'session', type: T.string },
        { name: 'type', type: SessionTypeEnum, optional: true, default: null },
        { name: 'expiry', type: T.int, optional: true, default: null },
        { name: 'privileges', type: T.string, optional: true, default: null },
      ],
      permissions: ['SYSTEM_ADMIN_PUBLISHER_KMC_ACCESS'],
      handler: async ({ args, principal, meta }) => {
        const info = await s.sessions.impersonateByKs(principal, str(args.session), Number(args.type), Number(args.expiry), str(args.privileges), meta);
        return kobj('KalturaSessionInfo', { ...info });
      },
    },
  ];
}
