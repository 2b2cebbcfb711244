// The part of autocannon's API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    type Options = {
      url: string;
      connections?: number;
      duration?: number;
      headers?: Record<string, string>;
      requests?: { setupRequest?: (req: Record<string, unknown>) => Record<string, unknown> }[];
    };
    type Result = { errors: number; timeouts: number; non2xx: number; requests: { total: number } };
    type Instance = {
      on(event: 'response', fn: (client: unknown, status: number, bytes: number, responseTime: number) => void): void;
      on(event: 'done', fn: (r: Result) => void): void;
      on(event: 'error', fn: (err: Error) => void): void;
      stop(): void;
    };
  }
  function autocannon(opts: autocannon.Options): autocannon.Instance;
  export default autocannon;
}
