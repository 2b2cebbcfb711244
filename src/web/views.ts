// Handlebars views: pages render inside a layout; a partial is named after the DOM id it renders
// and can be sent alone to htmx. One Handlebars instance per app, templates escape by default.
import Handlebars from 'handlebars';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TFunction } from 'i18next';
import { keepBounded } from '../domain/bounded-memo.ts';
import { registerWorkflowHelpers } from './features/helpers.ts';

export const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

export type ViewGlobals = { t: TFunction; locale: string; timeZone: string; /** the desk clock, for "time left" */ now?: number };

export type Views = {
  page(name: string, data: Record<string, unknown>, globals: ViewGlobals, layout?: string): string;
  partial(name: string, data: Record<string, unknown>, globals: ViewGlobals): string;
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? walk(full) : full.endsWith('.hbs') ? [full] : [];
  });
}

type Root = { _g: ViewGlobals };

// i18next's t() costs tens of microseconds and a queue page asks for hundreds of strings; the
// ones without values are the same every time, so they are looked up once per language.
// A pure memo per translation function (so per app and language); keys can carry data (an SMS
// error code, an event's value), so each is bounded.
const plain = new WeakMap<TFunction, Map<string, string>>();
function tr(t: TFunction, key: string): string {
  let m = plain.get(t);
  if (!m) plain.set(t, (m = new Map()));
  const v = m.get(key);
  return v === undefined ? keepBounded(m, key, t(key), 20_000) : v;
}

// Intl.DateTimeFormat is slow to build and fast to use: one per locale, zone and style. No style
// shows seconds, so each formatter also keeps what it wrote per minute (a queue page formats a few
// hundred times, mostly the same minutes; bounded, cleared when full).
// A pure memo; the zone is a user's setting and Intl takes any spelling of it, so it is bounded too.
type DateFormat = { format(ts: number): string };
const formats = new Map<string, DateFormat>();
function minuteMemo(f: Intl.DateTimeFormat): DateFormat {
  const seen = new Map<number, string>();
  return {
    format(ts) {
      const minute = Math.floor(ts / 60_000);
      let s = seen.get(minute);
      if (s === undefined) {
        if (seen.size >= 10_000) seen.clear();
        seen.set(minute, (s = f.format(minute * 60_000)));
      }
      return s;
    },
  };
}
function dateFormat(locale: string, timeZone: string, style: 'full' | 'time' | 'dayMonth' | 'date' | 'key'): DateFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let f = formats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      style === 'full' ? { dateStyle: 'medium', timeStyle: 'short' }
      : style === 'time' ? { timeStyle: 'short' }
      : style === 'dayMonth' ? { day: 'numeric', month: 'short' }
      : style === 'date' ? { dateStyle: 'medium' }
      : { year: 'numeric', month: '2-digit', day: '2-digit' };
    f = keepBounded(formats, key, minuteMemo(new Intl.DateTimeFormat(style === 'key' ? 'en-CA' : locale, { ...opts, timeZone })), 256);
  }
  return f;
}
const g = (options: Handlebars.HelperOptions): ViewGlobals => (options.data.root as Root)._g;

export function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('t', function (key: string, options: Handlebars.HelperOptions) {
    const { t } = g(options);
    return Object.keys(options.hash).length ? t(key, options.hash) : tr(t, key);
  });
  // translate "<prefix>.<value>", e.g. (tp "status" ticket.status)
  hb.registerHelper('tp', function (prefix: string, value: unknown, options: Handlebars.HelperOptions) {
    return value === null || value === undefined || value === '' ? '' : tr(g(options).t, `${prefix}.${String(value)}`);
  });
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hb.registerHelper('selected', (a: unknown, b: unknown) => (String(a) === String(b) ? 'selected' : ''));
  hb.registerHelper('checked', (a: unknown) => (a ? 'checked' : ''));
  hb.registerHelper('date', function (ts: number | null | undefined, options: Handlebars.HelperOptions) {
    if (ts === null || ts === undefined) return '';
    const { locale, timeZone } = g(options);
    return dateFormat(locale, timeZone, 'full').format(ts);
  });
  // compact: the time today, the day this year, the date before
  hb.registerHelper('shortDate', function (ts: number | null | undefined, options: Handlebars.HelperOptions) {
    if (ts === null || ts === undefined) return '';
    const { locale, timeZone, now } = g(options);
    const dayKey = dateFormat(locale, timeZone, 'key');
    const day = dayKey.format(ts);
    // today by the desk's clock, as the rest of the page
    const today = dayKey.format(now ?? Date.now());
    if (day === today) return dateFormat(locale, timeZone, 'time').format(ts);
    return dateFormat(locale, timeZone, day.slice(0, 4) === today.slice(0, 4) ? 'dayMonth' : 'date').format(ts);
  });
  hb.registerHelper('isoDate', (ts: number | null | undefined) => (ts ? new Date(ts).toISOString() : ''));
  hb.registerHelper('minutes', function (m: number | null | undefined, options: Handlebars.HelperOptions) {
    if (m === null || m === undefined) return '';
    return formatMinutes(g(options).t, m);
  });
  hb.registerHelper('join', (arr: unknown, sep: unknown) => (Array.isArray(arr) ? arr.join(typeof sep === 'string' ? sep : ', ') : ''));
  // a ticket field's value in words: (fieldValue "priority" "high") → "High"
  hb.registerHelper('fieldValue', function (field: string, value: unknown, label: unknown, options: Handlebars.HelperOptions) {
    const { t } = g(options);
    if (typeof label === 'string' && label) return label;
    if (value === null || value === undefined || value === '') return '—';
    if (['priority', 'type', 'category', 'status'].includes(field)) return tr(t, `${field}.${String(value)}`);
    if (field === 'estimateMinutes' && typeof value === 'number') return formatMinutes(t, value);
    if ((field === 'dueAt' || field === 'plannedAt') && typeof value === 'number') return dateFormat(g(options).locale, g(options).timeZone, 'full').format(value);
    return String(value);
  });
  // one line of the audit history
  hb.registerHelper('historyLine', function (type: string, data: Record<string, unknown>, options: Handlebars.HelperOptions) {
    const { t } = g(options);
    const d = data ?? {};
    switch (type) {
      case 'ticket.status':
        return t('history.status', { from: t(`status.${String(d.from)}`), to: t(`status.${String(d.to)}`) });
      case 'ticket.assigned':
        return d.toName ? t('history.assigned', { to: d.toName }) : t('history.unassigned');
      case 'ticket.updated':
        return t('history.updated', { fields: (Array.isArray(d.fields) ? d.fields : []).map((f) => t(`field.${String(f)}`)).join(', ') });
      case 'ticket.worklog':
        return t('history.worklog', { time: formatMinutes(t, Number(d.minutes)) });
      case 'ticket.worklog_removed':
        return t('history.worklogRemoved', { time: formatMinutes(t, Number(d.minutes)) });
      default:
        return t(`history.types.${type.replace(/\./g, '_')}`, { ...d, defaultValue: type });
    }
  });
}

function formatMinutes(t: TFunction, m: number): string {
  const h = Math.floor(Math.abs(m) / 60);
  const min = Math.abs(m) % 60;
  const s = h ? (min ? t('time.hm', { h, m: min }) : t('time.h', { h })) : t('time.m', { m: min });
  return m < 0 ? `−${s}` : s;
}

/**
 * Drops the indentation of template lines (and empty lines): a queue page is about a third
 * indentation otherwise, and every byte is encoded and written per request. Text inside <pre> and
 * <textarea> keeps its spaces; line breaks stay, so words on separate lines stay apart.
 */
export function compactIndentation(source: string): string {
  return source
    .split(/(<(pre|textarea)\b[\s\S]*?<\/\2>)/i)
    .map((part, i) => (i % 3 === 0 ? part.replace(/\n[ \t]+/g, '\n').replace(/\n{2,}/g, '\n') : i % 3 === 1 ? part : ''))
    .join('');
}

/**
 * `pages` are pages kept outside views/ (a report's, in its folder): page name → .hbs file. They
 * are read and compiled with the others, so they may use every helper and partial.
 */
export function createViews(opts: { dir?: string; cache: boolean; pages?: Readonly<Record<string, string>> }): Views {
  const dir = opts.dir ?? VIEWS_DIR;
  let compiled: { hb: typeof Handlebars; templates: Map<string, Handlebars.TemplateDelegate> } | undefined;

  const load = () => {
    const hb = Handlebars.create();
    registerHelpers(hb);
    registerWorkflowHelpers(hb);
    const templates = new Map<string, Handlebars.TemplateDelegate>();
    // helpers known when compiling are called directly, not looked up and checked per use
    const options: CompileOptions = { strict: false, preventIndent: true, knownHelpers: Object.fromEntries(Object.keys(hb.helpers).map((h) => [h, true])) };
    const compile = (file: string) => hb.compile(compactIndentation(readFileSync(file, 'utf8')), options);
    for (const file of walk(dir)) {
      const rel = path.relative(dir, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
      const template = compile(file);
      if (rel.startsWith('partials/')) hb.registerPartial(rel.slice('partials/'.length), template);
      templates.set(rel, template);
    }
    for (const [name, file] of Object.entries(opts.pages ?? {})) {
      if (templates.has(`pages/${name}`)) throw new Error(`view pages/${name} is defined twice (${file})`);
      templates.set(`pages/${name}`, compile(file));
    }
    return { hb, templates };
  };
  const get = (name: string) => {
    const c = opts.cache ? (compiled ??= load()) : load();
    const tpl = c.templates.get(name);
    if (!tpl) throw new Error(`no view ${name}`);
    return tpl;
  };

  return {
    page(name, data, globals, layout = 'layouts/main') {
      const root = { ...data, _g: globals };
      const body = get(`pages/${name}`)(root);
      return layout ? get(layout)({ ...root, body }) : body;
    },
    partial(name, data, globals) {
      return get(`partials/${name}`)({ ...data, _g: globals });
    },
  };
}
