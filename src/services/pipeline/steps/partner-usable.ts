// Step: the partner exists and may be used (ACTIVE or READ_ONLY); else `partner_blocked`.
import { PartnerStatus, type Partner } from '../../model.js';
import { PASS, refuse, type StepOutcome } from '../reasons.js';

/** Whether a partner status lets anyone use the partner (Kaltura: CONTENT_BLOCK and FULL_BLOCK stop it, and DELETED). */
export function isPartnerUsable(status: number): boolean {
  return status === PartnerStatus.ACTIVE || status === PartnerStatus.READ_ONLY;
}

export function partnerUsable(partner: Pick<Partner, 'status'> | undefined | null): StepOutcome {
  return partner && isPartnerUsable(partner.status) ? PASS : refuse('partner_blocked');
}
