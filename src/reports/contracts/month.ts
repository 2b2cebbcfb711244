// The month a contract page or report shows: the one the query names ("2026-11"), else the current
// one in the desk's time zone, with its bounds and its neighbours for the prev/next links.
import { monthStart, zonedParts } from '../../domain/zoned-time.ts';

export type Month = { key: string; from: number; to: number; prev: string; next: string };

export function monthOf(query: unknown, now: number, timeZone: string): Month {
  const m = typeof query === 'string' ? /^(\d{4})-(\d{2})$/.exec(query) : null;
  let y: number;
  let mo: number;
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    y = Number(m[1]);
    mo = Number(m[2]);
  } else {
    const p = zonedParts(now, timeZone);
    y = p.y;
    mo = p.m;
  }
  const key = (yy: number, mm: number) => {
    const d = new Date(Date.UTC(yy, mm - 1, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  };
  return { key: key(y, mo), from: monthStart(y, mo, timeZone), to: monthStart(y, mo + 1, timeZone), prev: key(y, mo - 1), next: key(y, mo + 1) };
}
