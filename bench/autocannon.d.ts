// The part of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    type Req = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer };
    type Options = {
      url: string;
      connections?: number;
      duration?: number;
      amount?: number;
      pipelining?: number;
      timeout?: number;
      headers?: Record<string, string>;
      requests?: (Req & { setupRequest?: (req: Req, context: Record<string, unknown>) => Req | undefined })[];
    };
    type Histogram = { average: number; mean: number; p50: number; p90: number; p97_5: number; p99: number; max: number; total: number };
    type Result = {
      requests: Histogram;
      latency: Histogram;
      throughput: Histogram;
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
      duration: number;
    };
    /** the running load: an event emitter that also resolves to the result */
    type Instance = PromiseLike<Result> & {
      on(event: 'response', fn: (client: unknown, status: number, bytes: number, responseTime: number) => void): void;
      on(event: 'done', fn: (r: Result) => void): void;
      on(event: 'error', fn: (err: Error) => void): void;
      stop(): void;
    };
  }
  function autocannon(opts: autocannon.Options): autocannon.Instance;
  export default autocannon;
}
