/**
 * `gatehouse_delivery_decisions_total{context,outcome}`: every delivery decision (redirect URLs and
 * forward-auth alike), by what was asked for and how it ended. Both label sets are closed lists, so
 * no request can create a new series; the hot path adds 1 to a slot (slotted-counter.ts).
 */
import type { Registry } from 'prom-client';
import { SlottedCounter } from '../../slotted-counter.js';
import type { DenialReason } from '../../../services/delivery/delivery-service.js';

/** How a decision ended: granted in full or as a preview, or the reason it was refused. */
export type DeliveryOutcome = 'allowed' | 'preview' | DenialReason | 'bad_request';

const OUTCOMES: readonly DeliveryOutcome[] = ['allowed', 'preview', 'blocked', 'unscheduled', 'session_required', 'invalid_session', 'not_found', 'partner_blocked', 'entitlement', 'bad_request'];
const OUTCOME_INDEX: Readonly<Record<DeliveryOutcome, number>> = Object.fromEntries(OUTCOMES.map((o, i) => [o, i])) as Record<DeliveryOutcome, number>;
/**
 * Label values indexed by KalturaContextType (PLAY=1, DOWNLOAD=2, THUMBNAIL=3); `unknown` (0) when
 * the request named none (it could not be parsed).
 */
const CONTEXT_LABELS = ['unknown', 'play', 'download', 'thumbnail'] as const;

const NAME = 'gatehouse_delivery_decisions_total';

export class DeliveryMetrics {
  /** Slots at `context * OUTCOMES.length + outcome`. */
  private readonly counter: SlottedCounter;

  constructor(registry: Registry) {
    this.counter = new SlottedCounter(registry, {
      name: NAME,
      help: 'Delivery decisions (redirect URLs and /authz/delivery), by context and outcome.',
      labelNames: ['context', 'outcome'],
      series: CONTEXT_LABELS.flatMap((context) => OUTCOMES.map((outcome) => [context, outcome])),
    });
  }

  /** Counts one decision; `context` 0 for a request that named no context. */
  count(context: number, outcome: DeliveryOutcome): void {
    const c = context >= 1 && context <= 3 ? context : 0;
    this.counter.add(c * OUTCOMES.length + OUTCOME_INDEX[outcome]);
  }
}
