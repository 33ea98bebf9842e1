/**
 * A Prometheus histogram kept in plain typed arrays, for the one histogram observed on every
 * request (`gatehouse_http_request_duration_seconds`).
 *
 * prom-client's Histogram hashes its label object on every `observe()`, even on a labelled child;
 * on the forward-auth hot path that was about 0.5 µs of CPU per request, more than some whole
 * decisions. Here a caller looks its series up once (by label values) and keeps it, and an
 * observation is a bucket search and three additions. The metric is registered in a prom-client
 * Registry like any other (the registry only asks metrics for `get()`), and exposes exactly what
 * prom-client's Histogram would: cumulative `_bucket{le}` lines with `+Inf`, `_sum` and `_count`.
 */
import type { Registry } from 'prom-client';

export interface HistogramSeries {
  observe(seconds: number): void;
}

class Series implements HistogramSeries {
  /** Non-cumulative counts per bucket; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Readonly<Record<string, string>>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(v: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > (b[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += v;
    this.count++;
  }
}

interface MetricValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

export class RequestHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly byKey = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** The series of these label values (in `labelNames` order); created on first use. */
  series(...values: string[]): HistogramSeries {
    const key = values.join('\u0000');
    let s = this.byKey.get(key);
    if (!s) {
      s = new Series(Object.fromEntries(this.labelNames.map((n, i) => [n, values[i] ?? ''])), this.buckets);
      this.byKey.set(key, s);
    }
    return s;
  }

  /** What prom-client's Registry reads at a scrape. */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: MetricValue[] }> {
    const values: MetricValue[] = [];
    for (const s of this.byKey.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i] as number;
        values.push({ metricName: `${this.name}_bucket`, labels: { le, ...s.labels }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { le: '+Inf', ...s.labels }, value: s.count });
      values.push({ metricName: `${this.name}_sum`, labels: { ...s.labels }, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: { ...s.labels }, value: s.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Registry.resetMetrics(): series stay (callers hold them), their counts start again. */
  reset(): void {
    for (const s of this.byKey.values()) {
      s.counts.fill(0);
      s.sum = 0;
      s.count = 0;
    }
  }
}
