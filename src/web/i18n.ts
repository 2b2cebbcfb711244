// Console strings in English and Russian (i18next); one instance per app, no globals.
// Strings live in src/i18n/<locale>/<area>.json; the files of a locale are merged, so each area
// (core, intake, outbox…) keeps its own file. The desk adds what its parts bring along (each
// report's strings, under reports.<id>); a key defined twice is an error.
import i18next, { type TFunction } from 'i18next';
import type { Locale } from '../domain/vocabulary.ts';
import { loadLocale, mergeTrees, type Tree } from '../i18n/locales.ts';

export type Translator = { t(locale: Locale): TFunction; locales: readonly Locale[] };

export async function createTranslator(more: Partial<Record<Locale, Tree>> = {}): Promise<Translator> {
  const strings = (locale: Locale): Tree => mergeTrees(loadLocale(locale), more[locale] ?? {}, locale);
  const instance = i18next.createInstance();
  await instance.init({
    resources: { en: { translation: strings('en') }, ru: { translation: strings('ru') } },
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // handlebars escapes
    returnNull: false,
  });
  const fixed = { en: instance.getFixedT('en'), ru: instance.getFixedT('ru') };
  return { t: (locale) => fixed[locale] ?? fixed.en, locales: ['en', 'ru'] };
}

/** The best of our locales for an Accept-Language header. */
export function pickLocale(acceptLanguage: string | undefined, fallback: Locale): Locale {
  if (!acceptLanguage) return fallback;
  const langs = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { lang: tag.toLowerCase().slice(0, 2), q: q ? Number(q) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { lang } of langs) if (lang === 'en' || lang === 'ru') return lang;
  return fallback;
}
