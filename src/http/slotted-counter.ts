/**
 * A Prometheus counter the hot paths count into by slot (one slot per label combination, fixed at
 * start): adding 1 to a typed array instead of prom-client's `inc()`, which validates and hashes
 * labels on every call and costs microseconds per request (see ops.ts). The counts are handed to
 * prom-client in the counter's `collect`, which runs before every scrape, so a scrape sees every
 * decision made before it. Every series exists from the start at zero, so rates and alerts work
 * before the first event.
 */
import { Counter, type Registry } from 'prom-client';

/** Per registry, the flush of every SlottedCounter counting into it (one registry may serve several apps). */
const flushers = new WeakMap<Registry, Set<() => void>>();

export class SlottedCounter {
  private readonly pending: Float64Array;

  /** `series`: the label values of each slot, in slot order, as many as `labelNames`. */
  constructor(registry: Registry, opts: { name: string; help: string; labelNames: readonly string[]; series: ReadonlyArray<readonly string[]> }) {
    let set = flushers.get(registry);
    if (!set) flushers.set(registry, (set = new Set()));
    const counter =
      (registry.getSingleMetric(opts.name) as Counter<string> | undefined) ??
      new Counter({
        name: opts.name,
        help: opts.help,
        labelNames: opts.labelNames,
        registers: [registry],
        collect: () => {
          for (const flush of flushers.get(registry) ?? []) flush();
        },
      });
    const children = opts.series.map((values) => counter.labels(...values));
    for (const child of children) child.inc(0);
    const pending = (this.pending = new Float64Array(children.length));
    set.add(() => {
      for (let i = 0; i < pending.length; i++) {
        const n = pending[i] as number;
        if (n > 0) {
          (children[i] as { inc(n: number): void }).inc(n);
          pending[i] = 0;
        }
      }
    });
  }

  /** Counts one event in `slot` (an index into `series`). */
  add(slot: number): void {
    this.pending[slot] = (this.pending[slot] as number) + 1;
  }
}
