/**
 * baseEntry.getContextData (protocol §5.5): the scope comes from the request and any parameter
 * overrides it; the answer carries the fulfilled rules' messages and actions (twice: the
 * deprecated `accessControl*` copies too) and the `X-Kaltura-ACP` header names the profile and the
 * fulfilled rule indexes.
 */
import type { ScopeOverrides } from '../../../../services/access-control/context-data.js';
import { actionToKaltura } from '../access/to-kaltura.js';
import type { ActionDef } from '../registry.js';
import { kobj, T, type KObject } from '../wire/types.js';
import type { KalturaServices } from './deps.js';

/** Who may read entries (and ask for their context data): protocol §4.5. */
export const ENTRY_READ = ['CONTENT_MANAGE_BASE', 'KMC_READ_ONLY', 'BASE_USER_SESSION_PERMISSION', 'WIDGET_SESSION_PERMISSION', 'PLAYBACK_BASE_PERMISSION'] as const;

function overrides(o: KObject | null | undefined): ScopeOverrides {
  if (!o) return {};
  const text = (k: string) => (typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : null);
  const hashes: Record<string, string> = {};
  for (const kv of (o.hashes as KObject[] | undefined) ?? []) if (typeof kv.key === 'string') hashes[kv.key] = String(kv.value ?? '');
  return {
    ip: text('ip'),
    referrer: text('referrer'),
    userAgent: text('userAgent'),
    ks: text('ks'),
    time: typeof o.time === 'number' && o.time > 0 ? o.time : null,
    contexts: Array.isArray(o.contexts) ? (o.contexts as KObject[]).filter((h) => h.type != null).map((h) => Number(h.type)) : null,
    hashes,
  };
}

export function getContextDataAction(s: Pick<KalturaServices, 'contextData'>): ActionDef {
  return {
    service: 'baseentry',
    action: 'getContextData',
    params: [
      { name: 'entryId', type: T.string },
      { name: 'contextDataParams', type: T.object('KalturaEntryContextDataParams') },
    ],
    permissions: ENTRY_READ,
    handler: async ({ args, principal, meta, responseHeaders }) => {
      const r = await s.contextData.getContextData(principal, String(args.entryId), overrides(args.contextDataParams as KObject | null), meta);
      if (r.profileId !== null && responseHeaders) responseHeaders['x-kaltura-acp'] = `${r.profileId} ${r.decision.fulfilled.join(',')}`;
      const messages = r.decision.messages.map((value) => kobj('KalturaString', { value }));
      const actions = r.decision.actions.map(actionToKaltura);
      return kobj('KalturaEntryContextDataResult', {
        messages,
        actions,
        // New-style rules never set the legacy restriction flags or previewLength (protocol §5.5).
        isSiteRestricted: false,
        isCountryRestricted: false,
        isSessionRestricted: false,
        isIpAddressRestricted: false,
        isUserAgentRestricted: false,
        previewLength: -1,
        isScheduledNow: r.isScheduledNow,
        isAdmin: r.isAdmin,
        accessControlMessages: messages,
        accessControlActions: actions,
      });
    },
  };
}
