// Durations and money as people type them in forms: "90", "1h30m", "1:30", "2 ч 30 мин";
// "1500", "1 500,50", "1500.5". Parsed to minutes and minor units (cents, kopecks).

/** Minutes from a duration; undefined when it cannot be read, null for an empty field. */
export function parseDurationMinutes(text: string | undefined | null): number | null | undefined {
  const s = (text ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (!s) return null;
  if (/^\d+$/.test(s)) return Number(s);
  const clock = /^(\d+):([0-5]\d)$/.exec(s);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  const re = /(\d+(?:[.,]\d+)?)\s*(d|дн|д|h|ч|min|m|мин|м)\.?(?=[\s\d]|$)/y;
  let total = 0;
  let matched = 0;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < s.length) {
    if (s[pos] === ' ') {
      pos++;
      continue;
    }
    re.lastIndex = pos;
    m = re.exec(s);
    if (!m) return undefined;
    const n = Number(m[1].replace(',', '.'));
    const unit = m[2];
    total += unit.startsWith('d') || unit.startsWith('д') ? n * 1440 : unit === 'h' || unit === 'ч' ? n * 60 : n;
    matched++;
    pos = re.lastIndex;
  }
  return matched ? Math.round(total) : undefined;
}

/** "1h 30m" for a form field (empty for null). */
export function formatDurationInput(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return `${m}m`;
  return m ? `${h}h ${m}m` : `${h}h`;
}

/** Minor units from an amount; undefined when it cannot be read, null for an empty field. */
export function parseMoneyCents(text: string | undefined | null): number | null | undefined {
  const s = (text ?? '').trim().replace(/[\s\u00a0\u202f']/g, '');
  if (!s) return null;
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * 100 + (m[2] ? Number(m[2].padEnd(2, '0')) : 0);
}

export function formatMoneyInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return cents % 100 ? (cents / 100).toFixed(2) : String(cents / 100);
}
