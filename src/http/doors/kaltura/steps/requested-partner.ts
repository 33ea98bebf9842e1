// Step: the "requested" partner of a call: `partnerId` (or `p`), used when non-zero or a KS is present (protocol §1.3).
import { phpInt } from '../wire/deserialize.js';

export function requestedPartner(raw: Record<string, unknown>): number {
  const v = raw.partnerId ?? raw.p;
  if (v === undefined || v === null || v === '' || typeof v === 'object') return 0;
  return phpInt(v);
}
