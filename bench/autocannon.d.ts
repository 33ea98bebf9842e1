// autocannon ships no types; this declares the part of its programmatic API the bench uses.
declare module 'autocannon' {
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
    /** For `requests`: every completed request of the run. */
    total: number;
  }

  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    /** Stop after this many requests instead of after `duration`. */
    amount?: number;
    method?: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    /** A response whose body differs from this is counted in `mismatches`. */
    expectBody?: string;
    /** Called with every response body; false counts a mismatch (for answers that differ per request). */
    verifyBody?: (body: string) => boolean;
    pipelining?: number;
    timeout?: number;
    /** Per-request set-up (bench/gateway.ts rotates credentials through it); may replace headers. */
    requests?: Array<{ method?: 'GET' | 'POST'; path?: string; headers?: Record<string, string>; setupRequest?: (req: { headers?: Record<string, string> }) => { headers?: Record<string, string> } }>;
  }

  interface Result {
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    '2xx': number;
  }

  /** Without a callback it returns a thenable tracker (an EventEmitter with `then`). */
  function autocannon(opts: Options): PromiseLike<Result>;
  export default autocannon;
}
