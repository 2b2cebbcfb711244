// Reads a year of holidays and working-day exceptions from text, in two formats:
//  - one date per line: `2026-01-01,holiday,,New Year` / `2026-11-07;short` / `07.11.2026 workday 09:00-15:00`
//    (kinds: holiday|off, workday|work, short — a pre-holiday day one hour shorter; Russian words too);
//  - the Russian open-data production calendar (data.gov.ru, xmlcalendar.ru): a "Год/Месяц" header and
//    one row per year listing the days off of each month; `*` marks a shortened pre-holiday working
//    day, `+` a transferred day off.
import { parseHours, shortenedHours, standardHours, type CalendarException, type WeeklyHours } from './business-calendar.ts';
import { addDays, dateKey, parseDateKey, weekdayOf, type LocalDate } from './zoned-time.ts';

export type CalendarImport = {
  format: 'lines' | 'production-calendar';
  exceptions: CalendarException[];
  /** years the file describes completely (production calendar): their old exceptions are replaced */
  years: number[];
  errors: string[];
};

const KINDS: Record<string, 'holiday' | 'workday' | 'short'> = {
  holiday: 'holiday', off: 'holiday', dayoff: 'holiday', closed: 'holiday',
  праздник: 'holiday', выходной: 'holiday', нерабочий: 'holiday',
  workday: 'workday', work: 'workday', working: 'workday', open: 'workday', рабочий: 'workday',
  short: 'short', shortened: 'short', сокращённый: 'short', сокращенный: 'short', предпраздничный: 'short',
};

/** Splits one CSV-ish line on commas, semicolons or tabs, honouring double quotes. */
export function splitFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (!quoted && (c === ',' || c === ';' || c === '\t')) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

function parseDate(s: string): LocalDate | undefined {
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s.trim());
  if (ru) return parseDateKey(`${ru[3]}-${ru[2].padStart(2, '0')}-${ru[1].padStart(2, '0')}`);
  return parseDateKey(s);
}

export function parseCalendarImport(text: string, weekly: WeeklyHours): CalendarImport {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((l) => l.trim() && !l.trim().startsWith('#')) ?? '';
  if (/^"?(год\s*\/\s*месяц|year\s*\/\s*month)/i.test(first.trim())) return parseProductionCalendar(lines, weekly);
  return parseLines(lines, weekly);
}

function parseLines(lines: string[], weekly: WeeklyHours): CalendarImport {
  const exceptions = new Map<string, CalendarException>();
  const errors: string[] = [];
  let first = true;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const isFirst = first;
    first = false;
    // "2026-01-01 holiday New Year" works as well as CSV
    const fields = /[,;\t"]/.test(line) ? splitFields(line) : line.split(/\s+/);
    const [dateText, kindText = '', ...rest] = fields;
    const date = parseDate(dateText);
    if (!date) {
      if (isFirst && /date|дата/i.test(dateText)) return; // a header line
      errors.push(`line ${i + 1}: “${dateText}” is not a date (YYYY-MM-DD or DD.MM.YYYY)`);
      return;
    }
    const kind = KINDS[kindText.toLowerCase()];
    if (!kind) {
      errors.push(`line ${i + 1}: “${kindText}” is not one of holiday, workday, short`);
      return;
    }
    const key = dateKey(date);
    const isRange = (t: string) => /\d{1,2}:\d{2}/.test(t);
    const csv = /[,;\t"]/.test(line);
    const hoursText = csv ? (rest[0] && isRange(rest[0]) ? rest[0] : '') : rest.filter(isRange).join(' ');
    const noteText = csv ? rest.filter((r, j) => !(j === 0 && (r === '' || isRange(r)))).join(', ') : rest.filter((r) => !isRange(r)).join(' ');
    let hours: CalendarException['hours'] = null;
    if (hoursText) {
      try {
        hours = parseHours(hoursText);
      } catch (err) {
        errors.push(`line ${i + 1}: ${(err as Error).message}`);
        return;
      }
    }
    const note = noteText.trim() || null;
    if (kind === 'holiday') exceptions.set(key, { date: key, kind: 'holiday', hours: null, note });
    else if (kind === 'short') {
      const usual = weekly[weekdayOf(date)].length ? weekly[weekdayOf(date)] : standardHours(weekly);
      exceptions.set(key, { date: key, kind: 'workday', hours: hours ?? shortenedHours(usual), note: note ?? 'pre-holiday' });
    } else exceptions.set(key, { date: key, kind: 'workday', hours, note });
  });
  return { format: 'lines', exceptions: [...exceptions.values()].sort((a, b) => a.date.localeCompare(b.date)), years: [], errors };
}

function parseProductionCalendar(lines: string[], weekly: WeeklyHours): CalendarImport {
  const exceptions: CalendarException[] = [];
  const errors: string[] = [];
  const years: number[] = [];
  const rows = lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  rows.slice(1).forEach((row, idx) => {
    const cells = splitFields(row);
    const year = Number(cells[0]);
    if (!Number.isInteger(year) || year < 1990 || year > 2200) {
      errors.push(`row ${idx + 2}: “${cells[0]}” is not a year`);
      return;
    }
    if (cells.length < 13) {
      errors.push(`row ${idx + 2}: expected twelve months after the year`);
      return;
    }
    const off = new Set<string>();
    const short = new Set<string>();
    for (let month = 1; month <= 12; month++) {
      for (const token of cells[month].split(',').map((t) => t.trim()).filter(Boolean)) {
        const m = /^(\d{1,2})([*+]?)$/.exec(token);
        const date = m ? parseDateKey(`${year}-${String(month).padStart(2, '0')}-${m[1].padStart(2, '0')}`) : undefined;
        if (!m || !date) {
          errors.push(`row ${idx + 2}, month ${month}: “${token}” is not a day of the month`);
          continue;
        }
        if (m[2] === '*') short.add(dateKey(date));
        else off.add(dateKey(date));
      }
    }
    years.push(year);
    const std = standardHours(weekly);
    for (let date: LocalDate = { y: year, m: 1, d: 1 }; date.y === year; date = addDays(date, 1)) {
      const key = dateKey(date);
      const usual = weekly[weekdayOf(date)];
      if (short.has(key)) {
        exceptions.push({ date: key, kind: 'workday', hours: shortenedHours(usual.length ? usual : std), note: 'pre-holiday' });
      } else if (off.has(key)) {
        if (usual.length) exceptions.push({ date: key, kind: 'holiday', hours: null, note: null });
      } else if (!usual.length) {
        exceptions.push({ date: key, kind: 'workday', hours: null, note: 'transferred working day' });
      }
    }
  });
  if (!years.length && !errors.length) errors.push('no year rows under the “Год/Месяц” header');
  return { format: 'production-calendar', exceptions, years, errors };
}
