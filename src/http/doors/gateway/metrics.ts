/**
 * `gatehouse_gateway_decisions_total{outcome}`: every `/authz/api` decision, by how it ended —
 * `granted`, or the check that refused it. The label set is closed (the maps below are checked
 * against the verifiers' failure types by the compiler), so no request can create a new series.
 *
 * Refusals are the cheapest requests to send: an anonymous flood must cost a counter increment,
 * not a log line (the door logs each one at `debug` only); the increment is one typed-array slot
 * (slotted-counter.ts).
 */
import type { Registry } from 'prom-client';
import { SlottedCounter } from '../../slotted-counter.js';
import type { ApiKeyFailure } from '../../../services/api-keys/verify-api-key.js';
import type { TokenFailure } from '../../../services/consumers/verify-consumer-token.js';
import type { Refusal } from '../../../services/gateway/gateway-service.js';

/** Refusals the door makes itself, before asking the service. */
export type DoorRefusal = 'bad_request' | 'no_credential' | 'multiple_credentials';

/** The label of every way a consumer JWT fails: snake case. */
const TOKEN_OUTCOME: Readonly<Record<TokenFailure, string>> = {
  malformed: 'malformed',
  'unsupported header': 'unsupported_header',
  'no key claim': 'no_key_claim',
  'unknown key': 'unknown_key',
  algorithm: 'algorithm',
  signature: 'signature',
  'bad claim': 'bad_claim',
  expired: 'expired',
  'not yet valid': 'not_yet_valid',
  'exp required': 'exp_required',
  'exceeds max lifetime': 'exceeds_max_lifetime',
  deprecated: 'deprecated',
  'credential expired': 'credential_expired',
  'partner not active': 'partner_not_active',
};
/** The label of every way an API key fails: snake case, prefixed. */
const KEY_OUTCOME: Readonly<Record<ApiKeyFailure, string>> = {
  malformed: 'api_key_malformed',
  unknown: 'api_key_unknown',
  revoked: 'api_key_revoked',
  'not yet valid': 'api_key_not_yet_valid',
  expired: 'api_key_expired',
};
/** The label of the other reasons: the reason itself, or for not_allowed the check that failed. */
const OTHER_OUTCOMES = ['partner_mismatch', 'partner_blocked', 'no_service', 'groups', 'services', 'permissions', 'rate_limited'] as const;
const DOOR_OUTCOMES: readonly DoorRefusal[] = ['bad_request', 'no_credential', 'multiple_credentials'];

/** Every label value, `granted` first; `other` catches a reason added without a label here. */
export const GATEWAY_OUTCOMES: readonly string[] = ['granted', ...new Set([...Object.values(TOKEN_OUTCOME), ...Object.values(KEY_OUTCOME), ...OTHER_OUTCOMES]), ...DOOR_OUTCOMES, 'other'];
const GRANTED = 0;
const OTHER = GATEWAY_OUTCOMES.length - 1;
/** Slot of each label, looked up without building a string. */
const SLOT: ReadonlyMap<string, number> = new Map(GATEWAY_OUTCOMES.map((label, i): [string, number] => [label, i]));

/** The label of a refusal: which check failed (the reason, refined by its detail). */
function outcomeOf(r: Refusal): string {
  if (r.reason === 'invalid_credential') return r.credential === 'jwt' ? TOKEN_OUTCOME[r.detail] : KEY_OUTCOME[r.detail];
  if (r.reason === 'not_allowed') return r.detail;
  return r.reason;
}

const NAME = 'gatehouse_gateway_decisions_total';

export class GatewayMetrics {
  private readonly counter: SlottedCounter;

  constructor(registry: Registry) {
    this.counter = new SlottedCounter(registry, {
      name: NAME,
      help: 'API gateway decisions (/authz/api): granted, or the reason of the refusal.',
      labelNames: ['outcome'],
      series: GATEWAY_OUTCOMES.map((outcome) => [outcome]),
    });
  }

  granted(): void {
    this.counter.add(GRANTED);
  }

  /** Counts one refusal: the service's, or the door's own. */
  refused(r: Refusal | DoorRefusal): void {
    this.counter.add(SLOT.get(typeof r === 'string' ? r : outcomeOf(r)) ?? OTHER);
  }
}
