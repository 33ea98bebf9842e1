/** Mints KS v2 strings for a partner (protocol §2.4): always signed with an admin secret. */
import { encodeKsV2, type KsFields } from '../../core/ks/index.js';
import type { PartnerEntry } from '../ports.js';

export const DEFAULT_KS_MAX_EXPIRY = 86400;

/** The partner's cap on session lifetime; 0 or unset means the default of 24 hours. */
export function ksMaxExpiry(entry: PartnerEntry): number {
  return entry.partner.ksMaxExpiry > 0 ? entry.partner.ksMaxExpiry : DEFAULT_KS_MAX_EXPIRY;
}

/**
 * `secretIndex` selects the admin secret to sign with: an ADMIN session started with an additional
 * admin secret is signed with that one (so rotating it out ends those sessions), everything else
 * with the main secret.
 */
export function issueKs(entry: PartnerEntry, fields: Omit<KsFields, 'partnerId'>, secretIndex = 0): string {
  const key = entry.ksKeys[secretIndex] ?? entry.ksKeys[0];
  if (!key) throw new Error(`partner ${entry.partner.id} has no admin secret`);
  return encodeKsV2({ ...fields, partnerId: entry.partner.id }, key);
}
