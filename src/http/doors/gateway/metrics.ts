/**
 * `gatehouse_gateway_decisions_total{outcome}`: every `/authz/api` decision, by how it ended —
 * `granted`, or the refusal's reason. The label set is closed (OUTCOME below is checked against
 * the service's refusal reasons by the compiler), so no request can create a new series.
 *
 * Refusals are the cheapest requests to send: an anonymous flood must cost a counter increment,
 * not a log line (the door logs each one at `debug` only). As in delivery/metrics.ts, the hot path
 * adds 1 to a slot of a typed array (prom-client hashes labels on every `inc()`); the counts are
 * handed over in the counter's `collect`, before every scrape, so a scrape sees every decision.
 */
import { Counter, type Registry } from 'prom-client';
import type { Refusal } from '../../../services/gateway/gateway-service.js';

/** Refusals the door makes itself, before asking the service. */
export type DoorRefusal = 'bad_request' | 'no_credential' | 'multiple_credentials';

/** The label of every refusal reason of the service: snake case, API-key failures prefixed. */
const OUTCOME: Readonly<Record<Refusal['reason'], string>> = {
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
  'api key malformed': 'api_key_malformed',
  'api key unknown': 'api_key_unknown',
  'api key revoked': 'api_key_revoked',
  'api key not yet valid': 'api_key_not_yet_valid',
  'api key expired': 'api_key_expired',
  'partner mismatch': 'partner_mismatch',
  'partner blocked': 'partner_blocked',
  'no service': 'no_service',
  groups: 'groups',
  services: 'services',
  permissions: 'permissions',
  'rate limited': 'rate_limited',
};
const DOOR_OUTCOMES: readonly DoorRefusal[] = ['bad_request', 'no_credential', 'multiple_credentials'];

/** Every label value, `granted` first; `other` catches a reason added without a label here. */
export const GATEWAY_OUTCOMES: readonly string[] = ['granted', ...new Set(Object.values(OUTCOME)), ...DOOR_OUTCOMES, 'other'];
const GRANTED = 0;
const OTHER = GATEWAY_OUTCOMES.length - 1;
/** Slot of each service reason and door refusal, looked up without building a string. */
const SLOT: ReadonlyMap<string, number> = new Map([
  ...Object.entries(OUTCOME).map(([reason, label]): [string, number] => [reason, GATEWAY_OUTCOMES.indexOf(label)]),
  ...DOOR_OUTCOMES.map((o): [string, number] => [o, GATEWAY_OUTCOMES.indexOf(o)]),
]);

const NAME = 'gatehouse_gateway_decisions_total';

/** Per registry, the flush of every door counting into it (one registry may serve several apps). */
const flushers = new WeakMap<Registry, Set<() => void>>();

export class GatewayMetrics {
  /** Decisions not yet handed to prom-client, by outcome slot. */
  private readonly pending = new Float64Array(GATEWAY_OUTCOMES.length);

  constructor(registry: Registry) {
    let set = flushers.get(registry);
    if (!set) flushers.set(registry, (set = new Set()));
    const counter =
      (registry.getSingleMetric(NAME) as Counter<'outcome'> | undefined) ??
      new Counter({
        name: NAME,
        help: 'API gateway decisions (/authz/api): granted, or the reason of the refusal.',
        labelNames: ['outcome'] as const,
        registers: [registry],
        collect: () => {
          for (const flush of flushers.get(registry) ?? []) flush();
        },
      });
    const children = GATEWAY_OUTCOMES.map((outcome) => counter.labels(outcome));
    // Zero-valued series from the start, so rates and alerts work before the first refusal.
    for (const child of children) child.inc(0);
    set.add(() => {
      for (let i = 0; i < this.pending.length; i++) {
        const n = this.pending[i] as number;
        if (n > 0) {
          (children[i] as { inc(n: number): void }).inc(n);
          this.pending[i] = 0;
        }
      }
    });
  }

  granted(): void {
    this.pending[GRANTED] = (this.pending[GRANTED] as number) + 1;
  }

  /** Counts one refusal: the service's reason, or the door's own. */
  refused(reason: Refusal['reason'] | DoorRefusal): void {
    const slot = SLOT.get(reason) ?? OTHER;
    this.pending[slot] = (this.pending[slot] as number) + 1;
  }
}
