// Report results kept for a minute: a report aggregates a period's tickets, which at a million
// tickets costs seconds, while managers and their dashboards open the same few reports again and
// again. A result is kept per report, filters and language; requests for one that is being
// computed wait for it instead of computing it again. Any change to a ticket in this process
// (the ticketChanged hook) drops every kept result, also one still being computed, so a result
// computed across a change is not kept. A result says when it was computed, and the page offers
// to compute it afresh.
export type Kept<T> = { at: number; value: T };

export type ResultCache = {
  /** the kept result for the key while it is fresh, else compute's (kept); `fresh` always computes */
  get<T>(key: string, compute: () => Promise<T>, fresh?: boolean): Promise<Kept<T>>;
  /** drops every kept result */
  forgetAll(): void;
};

export function resultCache(opts: { now: () => number; freshMs: number; max: number }): ResultCache {
  const kept = new Map<string, { at: number; value: Promise<unknown> }>();
  return {
    get<T>(key: string, compute: () => Promise<T>, fresh = false): Promise<Kept<T>> {
      const now = opts.now();
      const hit = kept.get(key);
      if (!fresh && hit && now - hit.at < opts.freshMs) return (hit.value as Promise<T>).then((value) => ({ at: hit.at, value }));
      const value = compute();
      const entry = { at: now, value };
      kept.delete(key);
      if (opts.freshMs > 0) {
        if (kept.size >= opts.max) kept.delete(kept.keys().next().value!); // the oldest first
        kept.set(key, entry);
        value.catch(() => kept.get(key) === entry && kept.delete(key));
      }
      return value.then((v) => ({ at: now, value: v }));
    },
    forgetAll() {
      kept.clear();
    },
  };
}
