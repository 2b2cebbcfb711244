// Memos of pure functions whose keys come from data (time zones, locales, message keys) are plain
// Maps that start over when full, so odd keys cannot grow them without end; only a miss pays for it.

/** Keeps `value` under `key` in `memo` (emptied first when it already holds `max` entries); returns `value`. */
export function keepBounded<K, V>(memo: Map<K, V>, key: K, value: V, max: number): V {
  if (memo.size >= max && !memo.has(key)) memo.clear();
  memo.set(key, value);
  return value;
}
