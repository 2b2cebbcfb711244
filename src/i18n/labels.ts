// Words the workflow puts into mail and thread notes, in the recipient's language, read from
// the workflow's own strings (src/i18n/<locale>/workflow.json), plus date and duration formats.
// The strings come from the desk's LocaleStrings (ctx.locales), which keeps what it has read.
import type { Locale } from '../domain/vocabulary.ts';
import type { LocaleStrings } from './locale-strings.ts';
import type { Tree } from './locales.ts';

function workflowStrings(locales: LocaleStrings, locale: Locale): Tree {
  const workflow = locales.tree(locale).workflow;
  return typeof workflow === 'object' ? workflow : {};
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
}

/** A workflow string ("mail.target.resolution") with {{name}} placeholders filled. */
export function label(locales: LocaleStrings, locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  const s = lookup(workflowStrings(locales, locale), key) ?? lookup(workflowStrings(locales, 'en'), key) ?? key;
  return s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(vars[k] ?? ''));
}

export function formatDateTime(ms: number, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(ms);
}

/** "2 h 30 min" / "2 ч 30 мин" (whole minutes, rounded up). */
export function formatDuration(locales: LocaleStrings, ms: number, locale: Locale): string {
  const total = Math.max(0, Math.ceil(Math.abs(ms) / 60_000));
  const days = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  const parts: string[] = [];
  if (days) parts.push(label(locales, locale, 'time.d', { n: days }));
  if (h) parts.push(label(locales, locale, 'time.h', { n: h }));
  if (m || !parts.length) parts.push(label(locales, locale, 'time.m', { n: m }));
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
export function plural(locales: LocaleStrings, locale: Locale, key: string, n: number): string {
  const form = new Intl.PluralRules(locale).select(n);
  const strings = workflowStrings(locales, locale);
  const s = lookup(strings, `${key}_${form}`) ?? lookup(strings, `${key}_other`) ?? key;
  return s.replace(/\{\{\s*n\s*\}\}/g, String(n));
}
