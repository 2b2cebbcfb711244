// How far each queue download has got, for the page that asks while the browser saves the file
// itself. Kept in this process's memory, per person and the id their page made up for the
// download; an entry is forgotten some minutes after its last news, and only so many are kept (the
// longest silent dropped first), so downloads nobody asks about cannot fill the memory.
export type ExportState = 'running' | 'done' | 'failed';

/** What the page is told: rows sent so far, of how many (null: not known, as for a text search). */
export type ExportProgress = { rows: number; total: number | null; state: ExportState };

/** The download's side: its news, each one keeping its entry fresh; the first done or failed is final. */
export type ExportTracker = {
  total(total: number | null): void;
  rows(sent: number): void;
  done(): void;
  failed(): void;
};

export type ExportProgressRegistry = {
  /** a new entry for the person's download (one with the same id is replaced) */
  start(userId: number, id: string): ExportTracker;
  /** the person's own entry, undefined when unknown, another person's or forgotten */
  find(userId: number, id: string): ExportProgress | undefined;
};

/** The ids a page may choose: long enough not to be guessed, short enough to keep. */
export const EXPORT_PROGRESS_ID = /^[A-Za-z0-9-]{8,64}$/;

type Entry = ExportProgress & { at: number };

export function exportProgressRegistry(opts: { now: () => number; keepMs: number; max: number }): ExportProgressRegistry {
  // in order of last news, the longest silent first (news moves an entry to the end)
  const entries = new Map<string, Entry>();
  const keyOf = (userId: number, id: string) => `${userId}:${id}`;
  const forgetSilent = (now: number) => {
    for (const [key, e] of entries) {
      if (now - e.at < opts.keepMs) break;
      entries.delete(key);
    }
  };
  return {
    start(userId, id) {
      const key = keyOf(userId, id);
      const entry: Entry = { rows: 0, total: null, state: 'running', at: opts.now() };
      forgetSilent(entry.at);
      entries.delete(key);
      while (entries.size >= opts.max) entries.delete(entries.keys().next().value!);
      entries.set(key, entry);
      const news = (change: (e: Entry) => void) => {
        if (entry.state !== 'running') return;
        change(entry);
        entry.at = opts.now();
        // a dropped entry stays dropped; a kept one moves to the end
        if (entries.get(key) === entry) {
          entries.delete(key);
          entries.set(key, entry);
        }
      };
      return {
        total: (total) => news((e) => (e.total = total)),
        rows: (sent) => news((e) => (e.rows = sent)),
        done: () => news((e) => (e.state = 'done')),
        failed: () => news((e) => (e.state = 'failed')),
      };
    },
    find(userId, id) {
      forgetSilent(opts.now());
      const e = entries.get(keyOf(userId, id));
      return e && { rows: e.rows, total: e.total, state: e.state };
    },
  };
}
