/**
 * `gatehouse_delivery_decisions_total{context,outcome}`: every delivery decision (redirect URLs and
 * forward-auth alike), by what was asked for and how it ended. Both label sets are closed lists, so
 * no request can create a new series.
 *
 * The hot path only adds 1 to a slot of a typed array: prom-client validates and hashes labels on
 * every `inc()`, which costs microseconds per request (see ops.ts). The counts are handed to
 * prom-client in the counter's `collect`, which runs before every scrape, so a scrape always sees
 * every decision made before it.
 */
import { Counter, type Registry } from 'prom-client';
import type { DenialReason } from '../../../services/delivery/delivery-service.js';

/** How a decision ended: granted in full or as a preview, or the reason it was refused. */
export type DeliveryOutcome = 'allowed' | 'preview' | DenialReason | 'bad_request';

const OUTCOMES: readonly DeliveryOutcome[] = ['allowed', 'preview', 'blocked', 'unscheduled', 'session_required', 'invalid_session', 'not_found', 'partner_blocked', 'bad_request'];
const OUTCOME_INDEX: Readonly<Record<DeliveryOutcome, number>> = Object.fromEntries(OUTCOMES.map((o, i) => [o, i])) as Record<DeliveryOutcome, number>;
/**
 * Label values indexed by KalturaContextType (PLAY=1, DOWNLOAD=2, THUMBNAIL=3); `unknown` (0) when
 * the request named none (it could not be parsed).
 */
const CONTEXT_LABELS = ['unknown', 'play', 'download', 'thumbnail'] as const;

const NAME = 'gatehouse_delivery_decisions_total';

/** Per registry, the flush of every door counting into it (one registry may serve several apps). */
const flushers = new WeakMap<Registry, Set<() => void>>();

export class DeliveryMetrics {
  /** Decisions not yet handed to prom-client, at `context * OUTCOMES.length + outcome`. */
  private readonly pending = new Float64Array(CONTEXT_LABELS.length * OUTCOMES.length);

  constructor(registry: Registry) {
    let set = flushers.get(registry);
    if (!set) {
      const mine = new Set<() => void>();
      flushers.set(registry, mine);
      set = mine;
    }
    const counter =
      (registry.getSingleMetric(NAME) as Counter<'context' | 'outcome'> | undefined) ??
      new Counter({
        name: NAME,
        help: 'Delivery decisions (redirect URLs and /authz/delivery), by context and outcome.',
        labelNames: ['context', 'outcome'] as const,
        registers: [registry],
        collect: () => {
          for (const flush of flushers.get(registry) ?? []) flush();
        },
      });
    const children = CONTEXT_LABELS.flatMap((context) => OUTCOMES.map((outcome) => counter.labels(context, outcome)));
    // Zero-valued series from the start, so rates and alerts work before the first denial.
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

  /** Counts one decision; `context` 0 for a request that named no context. */
  count(context: number, outcome: DeliveryOutcome): void {
    const c = context >= 1 && context <= 3 ? context : 0;
    const slot = c * OUTCOMES.length + OUTCOME_INDEX[outcome];
    this.pending[slot] = (this.pending[slot] as number) + 1;
  }
}
