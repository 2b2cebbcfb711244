// Words the workflow puts into mail and thread notes, in the recipient's language, read from
// the workflow's own strings (src/i18n/<locale>/workflow.json), plus date and duration formats.
import type { Locale } from '../db/schema.ts';
import { loadLocale, type Tree } from '../i18n/locales.ts';

const cache = new Map<Locale, Tree>();

function strings(locale: Locale): Tree {
  let t = cache.get(locale);
  if (!t) {
    const workflow = loadLocale(locale).workflow;
    t = typeof workflow === 'object' ? workflow : {};
    cache.set(locale, t);
  }
  return t;
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** A workflow string ("mail.target.resolution") with {{name}} placeholders filled. */
export function label(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  const s = lookup(strings(locale), key) ?? lookup(strings('en'), key) ?? key;
  return s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(vars[k] ?? ''));
}

export function formatDateTime(ms: number, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(ms);
}

/** "2 h 30 min" / "2 ч 30 мин" (whole minutes, rounded up). */
export function formatDuration(ms: number, locale: Locale): string {
  const total = Math.max(0, Math.ceil(Math.abs(ms) / 60_000));
  const days = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  const parts: string[] = [];
  if (days) parts.push(label(locale, 'time.d', { n: days }));
  if (h) parts.push(label(locale, 'time.h', { n: h }));
  if (m || !parts.length) parts.push(label(locale, 'time.m', { n: m }));
  return parts.join(' ');
}

export function formatMoney(cents: number, currency: string, locale: Locale): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

/** A counted phrase: "plural.days" with {{n}}, in the language's plural form (_one, _few, _many, _other). */
export function plural(locale: Locale, key: string, n: number): string {
  const form = new Intl.PluralRules(locale).select(n);
  const s = lookup(strings(locale), `${key}_${form}`) ?? lookup(strings(locale), `${key}_other`) ?? key;
  return s.replace(/\{\{\s*n\s*\}\}/g, String(n));
}
