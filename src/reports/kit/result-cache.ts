// Report results kept for a minute: a report aggregates a period's tickets, which at a million
// tickets costs from milliseconds to seconds, while managers and their dashboards open the same few
// reports again and again. A result is kept per report, filters and language; requests for one that is
// being computed wait for it instead of computing it again. A result says when it was computed, and
// the page offers to compute it afresh.
//
// A change to a ticket in this process (the ticketChanged hook) makes every kept result out of date.
// One that was cheap to count (under `slowMs`, REPORT_SLOW_MS; 0 makes none slow) is dropped, also
// one still being computed, so the next request counts it again and sees the change. One that was
// slow to count is not counted again until ten times as long as it took has passed since it was
// counted (at most `staleMaxMs`): on a desk where tickets change every second, counting every slow
// report again after every change would keep the process busy counting reports that change by a
// ticket. So under a stream of changes a slow report is at most a few seconds behind (its page says
// when it was counted), and keeping one report current takes about a tenth of the time it would.
export type Kept<T> = { at: number; value: T };

export type ResultCache = {
  /** the kept result for the key while it is fresh, else compute's (kept); `fresh` always computes */
  get<T>(key: string, compute: () => Promise<T>, fresh?: boolean): Promise<Kept<T>>;
  /** a ticket changed: every kept result is out of date (see above) */
  changed(): void;
};

type Entry = {
  /** the desk's time when it was computed: what the page shows, and what the minute is counted from */
  at: number;
  value: Promise<unknown>;
  /** real time (ms) when the computation started, and how long it took once done */
  started: number;
  tookMs?: number;
  /** real time when it was done */
  done?: number;
  /** a change came after the computation started */
  outdated: boolean;
};

export type ResultCacheOptions = {
  /** the desk's clock */
  now: () => number;
  freshMs: number;
  max: number;
  /** a result that took at least this long to count is kept for a while after a change; 0: none */
  slowMs: number;
  /** the longest a slow result is served after a change */
  staleMaxMs?: number;
  /** real time in ms (performance.now) */
  realMs?: () => number;
};

const STALE_FACTOR = 10;

export function resultCache(opts: ResultCacheOptions): ResultCache {
  const { slowMs } = opts;
  const staleMaxMs = opts.staleMaxMs ?? 30_000;
  const realMs = opts.realMs ?? (() => performance.now());
  const kept = new Map<string, Entry>();

  const slow = (e: Entry) => slowMs > 0 && (e.tookMs ?? realMs() - e.started) >= slowMs;
  /** an entry a request may be given: fresh, and either current or slow and not behind for long */
  const usable = (e: Entry, now: number) => {
    if (now - e.at >= opts.freshMs) return false;
    if (!e.outdated) return true;
    if (e.done === undefined) return slow(e); // a slow computation still running is waited for
    return slow(e) && realMs() - e.done < Math.min(staleMaxMs, STALE_FACTOR * e.tookMs!);
  };

  return {
    get<T>(key: string, compute: () => Promise<T>, fresh = false): Promise<Kept<T>> {
      const now = opts.now();
      const hit = kept.get(key);
      if (!fresh && hit && usable(hit, now)) return (hit.value as Promise<T>).then((value) => ({ at: hit.at, value }));
      // the clock is read first: on SQLite a computation's first queries run before compute() returns
      const started = realMs();
      const value = compute();
      const entry: Entry = { at: now, value, started, outdated: false };
      kept.delete(key);
      if (opts.freshMs > 0) {
        if (kept.size >= opts.max) kept.delete(kept.keys().next().value!); // the oldest first
        kept.set(key, entry);
        value.then(
          () => {
            entry.done = realMs();
            entry.tookMs = entry.done - entry.started;
            // counted across a change and cheap to count again: not kept
            if (entry.outdated && !slow(entry) && kept.get(key) === entry) kept.delete(key);
          },
          () => kept.get(key) === entry && kept.delete(key),
        );
      }
      return value.then((v) => ({ at: now, value: v }));
    },
    changed() {
      for (const [key, e] of kept) {
        if (e.done !== undefined && !slow(e)) kept.delete(key);
        else e.outdated = true;
      }
    },
  };
}
