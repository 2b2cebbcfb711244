// Renders a mail from templates/email/<locale>/<template>.{subject,text,html}.hbs, wrapped in the
// locale's _layout.{text,html}.hbs. HTML escapes by default; text and subject are not HTML, so they
// are compiled without escaping. A template missing in the wanted locale falls back to the desk's
// default locale, then English.
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALES, type Locale } from '../db/schema.ts';
import { PermanentSendError } from './types.ts';
import { loadLocale } from '../i18n/locales.ts';

export const EMAIL_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/email', import.meta.url));
// from src/outbox and from dist/outbox alike

export type RenderedEmail = { subject: string; text: string; html: string; locale: Locale };

export type EmailRenderer = {
  render(template: string, locale: Locale, data: Record<string, unknown>): RenderedEmail;
  /** the locales a template exists in */
  locales(template: string): Locale[];
};

type Parts = { subject: Handlebars.TemplateDelegate; text: Handlebars.TemplateDelegate; html: Handlebars.TemplateDelegate };
type Compiled = { parts: Map<string, Parts>; layouts: Map<Locale, { text: Handlebars.TemplateDelegate; html: Handlebars.TemplateDelegate }> };

type Labels = Record<string, unknown>;

function lookup(labels: Labels, key: string): string | undefined {
  let node: unknown = labels;
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

function helpers(hb: typeof Handlebars, html: boolean, timeZone: string): void {
  const loc = (options: Handlebars.HelperOptions) => (options.data.root as { _locale: Locale })._locale;
  const labels = new Map<Locale, Labels>();
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hb.registerHelper('join', (arr: unknown, sep: unknown) => (Array.isArray(arr) ? arr.join(typeof sep === 'string' ? sep : ', ') : ''));
  hb.registerHelper('date', function (ts: unknown, options: Handlebars.HelperOptions) {
    if (typeof ts !== 'number') return '';
    const tz = typeof (options.data.root as { timeZone?: unknown }).timeZone === 'string' ? (options.data.root as { timeZone: string }).timeZone : timeZone;
    return new Intl.DateTimeFormat(loc(options), { dateStyle: 'long', timeStyle: 'short', timeZone: tz }).format(ts);
  });
  // the label of a value in the recipient's language: (label "priority" ticket.priority)
  hb.registerHelper('label', function (prefix: string, value: unknown, options: Handlebars.HelperOptions) {
    if (value === null || value === undefined || value === '') return '';
    const l = loc(options);
    if (!labels.has(l)) labels.set(l, loadLocale(l));
    return lookup(labels.get(l)!, `${prefix}.${String(value)}`) ?? String(value);
  });
  // plain text quoted the way mail clients quote: "> " before every line
  hb.registerHelper('quoted', (text: unknown) =>
    typeof text === 'string' ? text.replace(/\s+$/, '').split('\n').map((l) => (l.startsWith('>') ? `>${l}` : `> ${l}`)).join('\n') : '');
  if (html) {
    // escaped text as paragraphs: blank lines separate paragraphs, single newlines become <br>
    hb.registerHelper('paragraphs', (text: unknown) => {
      if (typeof text !== 'string' || !text.trim()) return '';
      const paras = text.replace(/\r\n/g, '\n').trim().split(/\n\s*\n/);
      return new hb.SafeString(paras.map((p) => `<p>${p.split('\n').map((l) => hb.escapeExpression(l)).join('<br>\n')}</p>`).join('\n'));
    });
  }
}

export function createEmailRenderer(opts: { dir?: string; cache: boolean; defaultLocale: Locale; timeZone: string }): EmailRenderer {
  const dir = opts.dir ?? EMAIL_TEMPLATES_DIR;
  let cached: Compiled | undefined;

  const load = (): Compiled => {
    const text = Handlebars.create();
    const html = Handlebars.create();
    helpers(text, false, opts.timeZone);
    helpers(html, true, opts.timeZone);
    const plain = (src: string) => text.compile(src, { noEscape: true, strict: false });
    const escaped = (src: string) => html.compile(src, { strict: false });
    const parts = new Map<string, Parts>();
    const layouts: Compiled['layouts'] = new Map();
    for (const locale of LOCALES) {
      const ldir = path.join(dir, locale);
      if (!existsSync(ldir)) continue;
      const files = readdirSync(ldir);
      const read = (f: string) => readFileSync(path.join(ldir, f), 'utf8');
      if (files.includes('_layout.text.hbs') && files.includes('_layout.html.hbs')) {
        layouts.set(locale, { text: plain(read('_layout.text.hbs')), html: escaped(read('_layout.html.hbs')) });
      }
      const names = new Set(files.filter((f) => f.endsWith('.subject.hbs')).map((f) => f.slice(0, -'.subject.hbs'.length)));
      for (const name of names) {
        if (!files.includes(`${name}.text.hbs`) || !files.includes(`${name}.html.hbs`)) continue;
        parts.set(`${locale}/${name}`, { subject: plain(read(`${name}.subject.hbs`)), text: plain(read(`${name}.text.hbs`)), html: escaped(read(`${name}.html.hbs`)) });
      }
    }
    return { parts, layouts };
  };
  const compiled = () => (opts.cache ? (cached ??= load()) : load());

  return {
    locales(template) {
      const c = compiled();
      return LOCALES.filter((l) => c.parts.has(`${l}/${template}`));
    },
    render(template, locale, data) {
      if (!/^[a-z0-9_-]+$/i.test(template)) throw new PermanentSendError(`invalid template name ${JSON.stringify(template)}`);
      const c = compiled();
      const chosen = [locale, opts.defaultLocale, 'en' as Locale].find((l) => c.parts.has(`${l}/${template}`));
      if (!chosen) throw new PermanentSendError(`no mail template ${template} (looked in templates/email/${locale}/${template}.{subject,text,html}.hbs)`);
      const p = c.parts.get(`${chosen}/${template}`)!;
      const root = { ...data, _locale: chosen };
      const subject = p.subject(root).replace(/\s+/g, ' ').trim();
      const text = p.text(root).replace(/\n{3,}/g, '\n\n').trim();
      const html = p.html(root).trim();
      const layout = c.layouts.get(chosen);
      return {
        subject,
        locale: chosen,
        text: layout ? layout.text({ ...root, body: text }).replace(/\n{3,}/g, '\n\n').trim() + '\n' : `${text}\n`,
        html: layout ? layout.html({ ...root, body: new Handlebars.SafeString(html), subject }) : html,
      };
    },
  };
}
