// Fixed-concurrency HTTP load with exact latency percentiles (every response time is kept).
import autocannon from 'autocannon';

export type LoadFigures = { requests: number; rps: number; p50_ms: number; p95_ms: number; p99_ms: number; errors: number; non2xx: number };

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export async function load(opts: {
  url: string;
  /** a new path (and optionally method/body/headers) for every request */
  next: () => { path: string; method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> };
  headers?: Record<string, string>;
  connections: number;
  seconds: number;
}): Promise<LoadFigures> {
  const times: number[] = [];
  const instance = autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    headers: opts.headers,
    requests: [
      {
        setupRequest: (req) => {
          const n = opts.next();
          return { ...req, path: n.path, method: n.method ?? 'GET', body: n.body, headers: { ...req.headers, ...(n.headers ?? {}) } };
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
  });
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance.on('done', resolve);
    instance.on('error', reject);
  });
  times.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    requests: times.length,
    rps: Math.round(times.length / opts.seconds),
    p50_ms: round(percentile(times, 50)),
    p95_ms: round(percentile(times, 95)),
    p99_ms: round(percentile(times, 99)),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}
