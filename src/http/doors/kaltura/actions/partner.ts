/** partner.* (protocol §4.2). Secrets are returned only by register and getSecrets. */
import type { Partner, PartnerSettings } from '../../../../services/model.js';
import { partnerDefaultEnforced } from '../../../../services/pipeline/steps/entitlement.js';
import type { PartnerFilter } from '../../../../services/ports.js';
import { csvInts, given, pageOf } from '../classes/common.js';
import type { ActionDef } from '../registry.js';
import { assertWritable } from '../wire/deserialize.js';
import { kobj, T, type KObject } from '../wire/types.js';
import { ALWAYS, type KalturaServices } from './deps.js';

const SETTINGS = ['website', 'notificationUrl', 'appearInSearch', 'type', 'phone', 'describeYourself', 'adminUserId', 'firstName', 'lastName', 'country', 'state', 'referenceId'] as const;

export function toKalturaPartner(p: Partner, secrets?: { cmsPassword?: string | undefined }): KObject {
  const settings: Record<string, unknown> = {};
  for (const k of SETTINGS) if (p.settings[k] !== undefined) settings[k] = p.settings[k];
  return kobj('KalturaPartner', {
    id: p.id,
    name: p.name,
    ...settings,
    createdAt: p.createdAt,
    adminName: p.adminName,
    adminEmail: p.adminEmail,
    description: p.description,
    status: p.status,
    ...(secrets ? { secret: p.secret, adminSecret: p.adminSecrets[0], cmsPassword: secrets.cmsPassword } : {}),
    partnerParentId: p.partnerParentId ?? undefined,
    maxLoginAttempts: p.maxLoginAttempts,
    loginBlockPeriod: p.loginBlockPeriod,
    defaultAccessControlId: p.defaultAccessControlId ?? undefined,
    ksMaxExpiryInSeconds: p.ksMaxExpiry,
    // Readonly in Kaltura's API (its admin console sets it, here the operator): kmc-ng's Settings ›
    // Integration › Entitlement shows it as the "API Default".
    defaultEntitlementEnforcement: partnerDefaultEnforced(p),
  });
}

export function partnerFilter(f: KObject | null | undefined): PartnerFilter {
  if (!f) return {};
  const out: PartnerFilter = {};
  if (given(f.idEqual) && f.idEqual !== 0) out.idEqual = Number(f.idEqual);
  if (csvInts(f.idIn)) out.idIn = csvInts(f.idIn)!;
  if (given(f.nameLike)) out.nameLike = String(f.nameLike);
  if (given(f.statusEqual) && f.statusEqual !== 0) out.statusEqual = Number(f.statusEqual);
  if (csvInts(f.statusIn)) out.statusIn = csvInts(f.statusIn)!;
  if (given(f.partnerParentIdEqual) && f.partnerParentIdEqual !== 0) out.partnerParentIdEqual = Number(f.partnerParentIdEqual);
  return out;
}

export function partnerActions(s: Pick<KalturaServices, 'partners'>): ActionDef[] {
  const readers = ['ADMIN_BASE', 'ACCOUNT_BASE', 'KMC_READ_ONLY', 'INTEGRATION_BASE', 'SYSTEM_ADMIN_PUBLISHER_BASE'];
  return [
    {
      service: 'partner',
      action: 'register',
      params: [
        { name: 'partner', type: T.object('KalturaPartner') },
        { name: 'cmsPassword', type: T.string, optional: true, default: '' },
        { name: 'templatePartnerId', type: T.int, optional: true, default: null },
        { name: 'silent', type: T.bool, optional: true, default: false },
      ],
      permissions: ALWAYS,
      handler: async ({ args, principal, meta }) => {
        const o = args.partner as KObject;
        assertWritable(o, 'insert');
        const settings: PartnerSettings = {};
        for (const k of SETTINGS) if (o[k] !== undefined && o[k] !== null) (settings as Record<string, unknown>)[k] = o[k];
        const r = await s.partners.register(
          principal,
          { name: o.name as string, description: o.description as string, adminName: o.adminName as string, adminEmail: o.adminEmail as string, settings },
          String(args.cmsPassword ?? ''),
          Number(args.templatePartnerId),
          meta,
        );
        return toKalturaPartner(r.partner, { cmsPassword: r.cmsPassword });
      },
    },
    {
      service: 'partner',
      action: 'get',
      params: [{ name: 'id', type: T.int, optional: true, default: null }],
      permissions: readers,
      handler: async ({ args, principal }) => toKalturaPartner(await s.partners.get(principal, Number(args.id))),
    },
    {
      service: 'partner',
      action: 'getInfo',
      params: [],
      permissions: readers,
      handler: async ({ principal }) => toKalturaPartner(await s.partners.get(principal, principal.partnerId)),
    },
    {
      service: 'partner',
      action: 'list',
      params: [
        { name: 'filter', type: T.object('KalturaPartnerFilter'), optional: true, default: null },
        { name: 'pager', type: T.object('KalturaFilterPager'), optional: true, default: null },
      ],
      permissions: ['SYSTEM_ADMIN_PUBLISHER_BASE', 'ADMIN_BASE'],
      handler: async ({ args, principal }) => {
        const r = await s.partners.list(principal, partnerFilter(args.filter as KObject | null), pageOf(args.pager));
        return kobj('KalturaPartnerListResponse', { objects: r.objects.map((p) => toKalturaPartner(p)), totalCount: r.totalCount });
      },
    },
    {
      service: 'partner',
      action: 'getSecrets',
      params: [
        { name: 'partnerId', type: T.int },
        { name: 'adminEmail', type: T.string },
        { name: 'cmsPassword', type: T.string },
        { name: 'otp', type: T.string, optional: true, default: null },
      ],
      permissions: ALWAYS,
      handler: async ({ args, meta }) => {
        const otp = args.otp === null || args.otp === undefined ? null : String(args.otp);
        return toKalturaPartner(await s.partners.getSecrets(Number(args.partnerId), String(args.adminEmail), String(args.cmsPassword), meta, otp), {});
      },
    },
  ];
}
