// The HTML of stored mail as it may be shown: sanitised when it is read, with the sanitiser of this
// version, so a sanitiser fix also reaches mail stored before it (intake's sanitising is only a
// first pass). Results are kept in a small in-memory LRU keyed by message id and SANITIZER_VERSION.
//
// Why memory and not a column holding the sanitised HTML: showing a ticket stays a pure read (no
// writes from a GET, no migration rewriting every message when the version is bumped), the cache
// can never be stale across an upgrade because it does not survive one, and a miss costs one
// sanitize-html pass (about a millisecond for ordinary mail), paid once per message per process.
import { SANITIZER_VERSION, sanitizeMailHtml } from './sanitize.ts';

export type MailHtmlCache = {
  /** `stored` (a message's body_html) made safe to show; `messageId` only keys the cache */
  safeHtml(messageId: number, stored: string): string;
};

type Entry = { source: string; safe: string };

export function createMailHtmlCache(opts: { maxEntries?: number; maxChars?: number; version?: number; sanitize?: (html: string) => string } = {}): MailHtmlCache {
  const maxEntries = opts.maxEntries ?? 500;
  const maxChars = opts.maxChars ?? 16 * 1024 * 1024; // about 64 MB of UTF-16 at most
  const version = opts.version ?? SANITIZER_VERSION;
  const sanitize = opts.sanitize ?? sanitizeMailHtml;
  const entries = new Map<string, Entry>(); // in use order: the first is the least recently used
  let chars = 0;

  const evict = () => {
    for (const [key, e] of entries) {
      if (entries.size <= maxEntries && chars <= maxChars) return;
      entries.delete(key);
      chars -= e.source.length + e.safe.length;
    }
  };

  return {
    safeHtml(messageId, stored) {
      const key = `${version}:${messageId}`;
      const hit = entries.get(key);
      // the source is compared too: a message id can come back after its message was deleted
      if (hit && hit.source === stored) {
        entries.delete(key);
        entries.set(key, hit);
        return hit.safe;
      }
      if (hit) {
        entries.delete(key);
        chars -= hit.source.length + hit.safe.length;
      }
      const safe = sanitize(stored);
      entries.set(key, { source: stored, safe });
      chars += stored.length + safe.length;
      evict();
      return safe;
    },
  };
}
