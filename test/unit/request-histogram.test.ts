import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestHistogram } from '../../src/http/request-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
// On a bound, below the first, between, above the last (only +Inf), and zero.
const SAMPLES: Array<[string, string, number]> = [
  ['GET', '/authz/delivery', 0.001],
  ['GET', '/authz/delivery', 0.0004],
  ['GET', '/authz/delivery', 0.05],
  ['GET', '/authz/delivery', 3],
  ['POST', '/api_v3/*', 0],
  ['POST', '/api_v3/*', 0.25],
];

describe('RequestHistogram', () => {
  it('exposes exactly what prom-client’s Histogram exposes for the same observations', async () => {
    const theirs = new Registry();
    const reference = new Histogram({ name: 'h_seconds', help: 'help text', labelNames: ['method', 'route'], buckets: BUCKETS, registers: [theirs] });
    const ours = new Registry();
    const histogram = new RequestHistogram('h_seconds', 'help text', ['method', 'route'], BUCKETS, ours);
    for (const [method, route, v] of SAMPLES) {
      reference.labels(method, route).observe(v);
      histogram.series(method, route).observe(v);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('h_seconds_bucket{le="0.001",method="GET",route="/authz/delivery"} 2');
    expect(text).toContain('h_seconds_bucket{le="+Inf",method="GET",route="/authz/delivery"} 4');
    expect(text).toContain('h_seconds_count{method="POST",route="/api_v3/*"} 2');
  });

  it('hands out one series per label set and starts again on reset', async () => {
    const registry = new Registry();
    const histogram = new RequestHistogram('h_seconds', 'help', ['method', 'route'], BUCKETS, registry);
    expect(histogram.series('GET', '/a')).toBe(histogram.series('GET', '/a'));
    expect(histogram.series('GET', '/a')).not.toBe(histogram.series('GET', '/b'));
    histogram.series('GET', '/a').observe(0.5);
    registry.resetMetrics();
    histogram.series('GET', '/a').observe(0.005);
    const text = await registry.metrics();
    expect(text).toContain('h_seconds_count{method="GET",route="/a"} 1');
    expect(text).toContain('h_seconds_sum{method="GET",route="/a"} 0.005');
    expect(registry.getSingleMetric('h_seconds')).toBe(histogram);
  });
});
