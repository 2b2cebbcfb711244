// Reading console forms: urlencoded bodies into the typed values the actions take. Lenient about
// shape (a missing field is empty), strict about meaning (the actions validate).
import { parseDurationMinutes } from '../domain/quantities.ts';
import { parseLocalDateTime } from '../domain/zoned-time.ts';
import { AppError } from '../domain/errors.ts';

export type Body = Record<string, unknown>;

export function str(body: Body, key: string): string {
  const v = body[key];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/** Repeated fields, or one field with values separated by commas or new lines. */
export function list(body: Body, key: string): string[] {
  const v = body[key];
  const raw = Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
  return raw.flatMap((s) => s.split(/[\n,;]+/)).map((s) => s.trim()).filter(Boolean);
}

export function ids(body: Body, key: string): number[] {
  return list(body, key).filter((s) => /^\d{1,12}$/.test(s)).map(Number);
}

/** A positive id, or null for an empty choice ("none"). */
export function idOrNull(body: Body, key: string): number | null {
  const s = str(body, key).trim();
  return /^\d{1,12}$/.test(s) ? Number(s) : null;
}

/** Whole number, null when empty, NaN when it is not a number (the action's schema reports it). */
export function intOrNull(body: Body, key: string): number | null {
  const s = str(body, key).trim().replace(/\s/g, '');
  if (s === '') return null;
  return /^-?\d+$/.test(s) ? Number(s) : Number.NaN;
}

/** "1 500,50" or "1500.5" in major units → minor units (cents); null when empty. */
export function moneyToCents(body: Body, key: string): number | null {
  const s = str(body, key).trim().replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (s === '') return null;
  return /^\d+(\.\d{1,2})?$/.test(s) ? Math.round(Number(s) * 100) : Number.NaN;
}

export function centsToMoney(cents: number | null): string {
  return cents === null ? '' : (cents / 100).toFixed(2).replace(/\.00$/, '');
}

/** Logged time and estimates: "90", "1:30", "1h 30m", "1,5 ч" → minutes; null when empty; NaN when unreadable. */
export function minutes(body: Body, key: string): number | null {
  return parseDurationMinutes(str(body, key), { days: false }) ?? Number.NaN;
}

/** A date and a time field (`<key>Date`, `<key>Time`) in the person's time zone → an instant; null when both are empty; NaN when unreadable. */
export function zonedInstant(body: Body, key: string, timeZone: string): number | null {
  const date = str(body, `${key}Date`).trim();
  const time = str(body, `${key}Time`).trim();
  if (date === '' && time === '') return null;
  return parseLocalDateTime(date, time, timeZone) ?? Number.NaN;
}

export function checkbox(body: Body, key: string): boolean {
  const v = str(body, key);
  return v === 'on' || v === '1' || v === 'true';
}

/** Errors a form shows next to its fields (422) rather than as an error page. */
export function formError(err: unknown): { message: string; fields: Record<string, string> } | null {
  if (err instanceof AppError && (err.code === 'validation' || err.code === 'transition_refused' || err.code === 'conflict')) {
    return { message: err.message, fields: (err.details.fields as Record<string, string> | undefined) ?? {} };
  }
  return null;
}
