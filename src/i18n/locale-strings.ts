// The strings of each locale as one tree for the code that writes text outside the console (the
// workflow's notes and mail): read on first use and kept by the object, which buildServices makes
// once per desk, so two desks in one process never share what they read.
import type { Locale } from '../domain/vocabulary.ts';
import { I18N_DIR, loadLocale, type Tree } from './locales.ts';

export type LocaleStrings = { tree(locale: Locale): Tree };

export function createLocaleStrings(dir = I18N_DIR): LocaleStrings {
  const trees = new Map<Locale, Tree>();
  return {
    tree(locale) {
      let t = trees.get(locale);
      if (!t) trees.set(locale, (t = loadLocale(locale, dir)));
      return t;
    },
  };
}
