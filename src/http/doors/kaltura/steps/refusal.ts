// The Kaltura door's wording of the pipeline's refusals (services/pipeline/reasons.ts): each reason as the KalturaAPIException the server answers.
import { E, fail, type GatehouseError } from '../../../../core/errors/index.js';
import type { Refusal } from '../../../../services/pipeline/reasons.js';
import { sessionRefusalError } from '../../../../services/pipeline/steps/session-usable.js';
import type { ActionDef } from '../registry.js';

export function kalturaRefusal(r: Refusal, def: Pick<ActionDef, 'service' | 'action'>, ks: string): GatehouseError {
  switch (r.reason) {
    case 'invalid_session':
      return sessionRefusalError({ ok: false, reason: 'invalid_session', detail: r.detail ?? 'INVALID_STR' }, ks);
    case 'partner_mismatch':
      return fail(E.PARTNER_ACCESS_FORBIDDEN, r.args ?? {});
    case 'user_blocked':
      return fail(E.USER_BLOCKED);
    case 'invalid_role':
      return r.detail === 'negative' ? fail(E.INVALID_SET_ROLE) : fail(E.INVALID_OBJECT_ID, r.args ?? {});
    case 'permission_missing':
      return fail(E.SERVICE_FORBIDDEN, { SERVICE: `${def.service}->${def.action}` });
    default:
      // partner_blocked, and any reason a later step adds before the door words it.
      return fail(E.SERVICE_FORBIDDEN_CONTENT_BLOCKED);
  }
}
