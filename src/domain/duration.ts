// Reads the durations people type into the worklog and estimate fields: "90", "1:30", "1h 30m",
// "1.5h", "1,5 ч", "45 мин", "2 часа". Returns whole minutes, or null when it is not a duration.

const HOURS = /^(h|hr|hrs|hour|hours|ч|час|часа|часов)$/;
const MINUTES = /^(m|min|mins|minute|minutes|м|мин|минут|минуты|минута)$/;

export function parseDuration(input: string): number | null {
  const s = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (s === '') return null;
  if (/^\d{1,5}$/.test(s)) return Number(s);
  const clock = /^(\d{1,3}):([0-5]\d)$/.exec(s);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  let total = 0;
  let rest = s;
  const part = /^(\d+(?:[.,]\d+)?)\s*([a-zа-яё]+)\.?\s*/;
  let matched = false;
  while (rest.length) {
    const m = part.exec(rest);
    if (!m) return null;
    const n = Number(m[1].replace(',', '.'));
    if (HOURS.test(m[2])) total += n * 60;
    else if (MINUTES.test(m[2])) total += n;
    else return null;
    matched = true;
    rest = rest.slice(m[0].length);
  }
  return matched ? Math.round(total) : null;
}
