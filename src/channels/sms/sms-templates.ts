// The texts we send by SMS: templates/sms/<locale>/<name>.hbs, plain text (nothing escaped).
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locale } from '../../db/schema.ts';

export const SMS_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/sms', import.meta.url));

export type SmsTemplates = { render(name: string, locale: Locale, vars: Record<string, unknown>): string };

export function createSmsTemplates(dir = SMS_TEMPLATES_DIR): SmsTemplates {
  const hb = Handlebars.create();
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  return {
    render(name, locale, vars) {
      if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`bad SMS template name ${name}`);
      const key = `${locale}/${name}`;
      let tpl = cache.get(key);
      if (!tpl) {
        tpl = hb.compile(readFileSync(path.join(dir, locale, `${name}.hbs`), 'utf8'), { noEscape: true, strict: true });
        cache.set(key, tpl);
      }
      return tpl(vars).trim();
    },
  };
}

/** The language to text someone in: theirs if known, else the language they wrote in. */
export function smsLocale(contactLocale: Locale | null | undefined, sample: string, fallback: Locale): Locale {
  if (contactLocale) return contactLocale;
  if (/[а-яё]/i.test(sample)) return 'ru';
  if (/[a-z]/i.test(sample)) return 'en';
  return fallback;
}
