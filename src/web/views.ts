// Handlebars views: pages render inside a layout; a partial is named after the DOM id it renders
// and can be sent alone to htmx. One Handlebars instance per app, templates escape by default.
import Handlebars from 'handlebars';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TFunction } from 'i18next';
import { registerWorkflowHelpers } from './workflow/helpers.ts';

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
const g = (options: Handlebars.HelperOptions): ViewGlobals => (options.data.root as Root)._g;

export function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper('t', function (key: string, options: Handlebars.HelperOptions) {
    return g(options).t(key, options.hash);
  });
  // translate "<prefix>.<value>", e.g. (tp "status" ticket.status)
  hb.registerHelper('tp', function (prefix: string, value: unknown, options: Handlebars.HelperOptions) {
    return value === null || value === undefined || value === '' ? '' : g(options).t(`${prefix}.${String(value)}`);
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
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(ts);
  });
  hb.registerHelper('isoDate', (ts: number | null | undefined) => (ts ? new Date(ts).toISOString() : ''));
  hb.registerHelper('minutes', function (m: number | null | undefined, options: Handlebars.HelperOptions) {
    if (m === null || m === undefined) return '';
    const t = g(options).t;
    const h = Math.floor(Math.abs(m) / 60);
    const min = Math.abs(m) % 60;
    const s = h ? (min ? t('time.hm', { h, m: min }) : t('time.h', { h })) : t('time.m', { m: min });
    return m < 0 ? `−${s}` : s;
  });
  hb.registerHelper('join', (arr: unknown, sep: unknown) => (Array.isArray(arr) ? arr.join(typeof sep === 'string' ? sep : ', ') : ''));
}

export function createViews(opts: { dir?: string; cache: boolean }): Views {
  const dir = opts.dir ?? VIEWS_DIR;
  let compiled: { hb: typeof Handlebars; templates: Map<string, Handlebars.TemplateDelegate> } | undefined;

  const load = () => {
    const hb = Handlebars.create();
    registerHelpers(hb);
    registerWorkflowHelpers(hb);
    const templates = new Map<string, Handlebars.TemplateDelegate>();
    for (const file of walk(dir)) {
      const rel = path.relative(dir, file).replace(/\\/g, '/').replace(/\.hbs$/, '');
      const source = readFileSync(file, 'utf8');
      if (rel.startsWith('partials/')) hb.registerPartial(rel.slice('partials/'.length), source);
      templates.set(rel, hb.compile(source, { strict: false, preventIndent: true }));
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
