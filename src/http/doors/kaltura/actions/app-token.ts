/**
 * appToken.* (protocol §3.2). The token value is returned by add, and by get / list / update only to a
 * caller who could have created the token (services/grants.ts).
 */
import type { AppTokenInput } from '../../../../services/app-tokens/app-token-service.js';
import type { AppTokenHashType, AppTokenView } from '../../../../services/model.js';
import type { AppTokenFilter } from '../../../../services/ports.js';
import { SessionTypeEnum } from '../classes/enums.js';
import { csv, csvInts, given, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import type { KalturaServices } from './deps.js';

export function toKalturaAppToken(t: AppTokenView): KObject {
  return kobj('KalturaAppToken', {
    id: t.id,
    token: t.token ?? undefined,
    partnerId: t.partnerId,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    status: t.status,
    expiry: t.expiry ?? undefined,
    sessionType: t.sessionType ?? undefined,
    sessionUserId: t.sessionUserId ?? undefined,
    sessionDuration: t.sessionDuration,
    sessionPrivileges: t.sessionPrivileges ?? undefined,
    hashType: t.hashType,
    description: t.description ?? undefined,
  });
}

function tokenInput(o: KObject): AppTokenInput {
  const v = <T>(k: string) => o[k] as T | null | undefined;
  return {
    hashType: v<AppTokenHashType>('hashType'),
    sessionType: v<number>('sessionType'),
    sessionUserId: v<string>('sessionUserId'),
    sessionDuration: v<number>('sessionDuration'),
    sessionPrivileges: v<string>('sessionPrivileges'),
    expiry: v<number>('expiry'),
    description: v<string>('description'),
  };
}

function tokenFilter(f: KObject | null | undefined): AppTokenFilter {
  if (!f) return {};
  const out: AppTokenFilter = {};
  if (given(f.idEqual)) out.idEqual = String(f.idEqual);
  if (csv(f.idIn)) out.idIn = csv(f.idIn)!;
  if (given(f.statusEqual) && f.statusEqual !== 0) out.statusEqual = Number(f.statusEqual);
  if (csvInts(f.statusIn)) out.statusIn = csvInts(f.statusIn)!;
  if (given(f.sessionUserIdEqual)) out.sessionUserIdEqual = String(f.sessionUserIdEqual);
  if (given(f.orderBy)) out.orderBy = String(f.orderBy);
  for (const k of ['createdAtGreaterThanOrEqual', 'createdAtLessThanOrEqual', 'updatedAtGreaterThanOrEqual', 'updatedAtLessThanOrEqual'] as const) {
    if (given(f[k]) && f[k] !== 0) out[k] = Number(f[k]);
  }
  return out;
}

export function appTokenActions(s: Pick<KalturaServices, 'appTokens'>): ActionDef[] {
  const id = { name: 'id', type: T.string } as const;
  return [
    {
      service: 'apptoken',
      action: 'add',
      params: [{ name: 'appToken', type: T.object('KalturaAppToken') }],
      permissions: ['APP_TOKEN_ADD'],
      handler: async ({ args, principal, meta }) => {
        const o = args.appToken as KObject;
        assertWritable(o, 'insert');
        return toKalturaAppToken(await s.appTokens.add(principal, tokenInput(o), meta));
      },
    },
    {
      service: 'apptoken',
      action: 'get',
      params: [id],
      permissions: ['APP_TOKEN_BASE', 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => toKalturaAppToken(await s.appTokens.get(principal, String(args.id))),
    },
    {
      service: 'apptoken',
      action: 'list',
      params: [
        { name: 'filter', type: T.object('KalturaAppTokenFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['APP_TOKEN_BASE', 'KMC_READ_ONLY'],
      handler: async ({ args, principal }) => {
        const r = await s.appTokens.list(principal, tokenFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaAppTokenListResponse', { objects: r.objects.map(toKalturaAppToken), totalCount: r.totalCount });
      },
    },
    {
      service: 'apptoken',
      action: 'update',
      params: [id, { name: 'appToken', type: T.object('KalturaAppToken') }],
      permissions: ['APP_TOKEN_UPDATE'],
      handler: async ({ args, principal, meta }) => {
        const o = args.appToken as KObject;
        assertWritable(o, 'update', toKalturaAppToken(await s.appTokens.get(principal, String(args.id))));
        return toKalturaAppToken(await s.appTokens.update(principal, String(args.id), tokenInput(o), meta));
      },
    },
    {
      service: 'apptoken',
      action: 'delete',
      params: [id],
      permissions: ['APP_TOKEN_DELETE'],
      handler: async ({ args, principal, meta }) => {
        await s.appTokens.delete(principal, String(args.id), meta);
        return null;
      },
    },
    {
      service: 'apptoken',
      action: 'startSession',
      params: [
        id,
        { name: 'tokenHash', type: T.string },
        { name: 'userId', type: T.string, optional: true, default: null },
        { name: 'type', type: SessionTypeEnum, optional: true, default: null },
        { name: 'expiry', type: T.int, optional: true, default: null },
        { name: 'sessionPrivileges', type: T.string, optional: true, default: null },
      ],
      permissions: ['BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION'],
      handler: async ({ args, principal, meta }) => {
        const r = await s.appTokens.startSession(
          principal,
          String(args.id),
          { tokenHash: String(args.tokenHash), userId: String(args.userId ?? ''), type: Number(args.type), expiry: Number(args.expiry), sessionPrivileges: String(args.sessionPrivileges ?? '') },
          meta,
        );
        return kobj('KalturaSessionInfo', { ks: r.ks, sessionType: r.sessionType, partnerId: r.partnerId, userId: r.userId || undefined, expiry: r.expiry, privileges: r.privileges });
      },
    },
  ];
}
