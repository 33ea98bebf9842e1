// Step: the partner a request acts on is the credential's own, unless an operator (an ADMIN KS of the admin-console partner) names another; else `partner_mismatch`.
import { SessionType, SystemPartner, type Partner } from '../../model.js';
import { PASS, type StepOutcome } from '../reasons.js';

export interface ActingPartnerInput {
  /** The credential's own partner (already found usable). */
  own: Pick<Partner, 'id'>;
  /** The KS's type; -1 for credentials that are not a KS (they act on their own partner only). */
  sessionType: number;
  /** The partner the request names (Kaltura's `partnerId` parameter); 0 or the own id: none other. */
  requestedPartnerId: number;
}

/** Whether the request names another partner than the credential's own. */
export function namesOtherPartner(i: ActingPartnerInput): boolean {
  return i.requestedPartnerId !== 0 && i.requestedPartnerId !== i.own.id;
}

/**
 * Kaltura lets only admin-console ADMIN sessions act on another partner by naming it (protocol
 * §1.3); the caller then reads the named partner, which must be usable (partner-usable.ts).
 */
export function mayNameOtherPartner(i: ActingPartnerInput): StepOutcome {
  if (!namesOtherPartner(i)) return PASS;
  if (i.own.id === SystemPartner.ADMIN_CONSOLE && i.sessionType >= SessionType.ADMIN) return PASS;
  return Object.freeze({ ok: false, reason: 'partner_mismatch', args: Object.freeze({ ACCESSING_PID: i.own.id, ACCESSED_PID: i.requestedPartnerId }) });
}
