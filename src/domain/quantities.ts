// Durations and money as people type them in forms: "90", "1h30m", "1:30", "2 ч 30 мин";
// "1500", "1 500,50", "1500.5". Parsed to minutes and minor units (cents, kopecks).

const DAYS = new Set(['d', 'day', 'days', 'д', 'дн', 'день', 'дня', 'дней']);
const HOURS = new Set(['h', 'hr', 'hrs', 'hour', 'hours', 'ч', 'час', 'часа', 'часов']);
const MINUTES = new Set(['m', 'min', 'mins', 'minute', 'minutes', 'м', 'мин', 'минут', 'минуты', 'минута']);

/**
 * Minutes from a duration: "90", "1:30", "1h 30m", "1h30m", "1,5 ч", "2 часа", "45 мин", and with
 * `days` (SLA targets, calendars) "1д", "2d 4h" as 24-hour days. Logged time and estimates leave
 * days out: a "day" of work is not 24 hours. Undefined when it cannot be read, null when empty.
 */
export function parseDurationMinutes(text: string | undefined | null, opts: { days?: boolean } = {}): number | null | undefined {
  const s = (text ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
  if (!s) return null;
  if (/^\d+$/.test(s)) return Number(s);
  const clock = /^(\d+):([0-5]\d)$/.exec(s);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  const part = /(\d+(?:[.,]\d+)?)\s*([a-zа-яё]+)\.?\s*/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    part.lastIndex = pos;
    const m = part.exec(s);
    if (!m) return undefined;
    const n = Number(m[1].replace(',', '.'));
    const unit = m[2];
    if (HOURS.has(unit)) total += n * 60;
    else if (MINUTES.has(unit)) total += n;
    else if (opts.days !== false && DAYS.has(unit)) total += n * 1440;
    else return undefined;
    pos = part.lastIndex;
  }
  return Math.round(total);
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
