// The strings of each locale: src/i18n/<locale>/<area>.json merged into one tree per locale (each
// area — core, intake, outbox… — keeps its own file; a key defined twice is an error).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Locale } from '../domain/vocabulary.ts';

// the same folder whether this runs from src/ or from the build in dist/
export const I18N_DIR = fileURLToPath(new URL('../../src/i18n', import.meta.url));

export type Tree = { [k: string]: string | Tree };

/** Adds `from`'s strings to `into` (which it changes and returns); a key in both is an error. */
export function mergeTrees(into: Tree, from: Tree, where: string): Tree {
  for (const [k, v] of Object.entries(from)) {
    const existing = into[k];
    if (typeof v === 'object' && typeof existing === 'object') mergeTrees(existing, v, `${where}.${k}`);
    else if (existing !== undefined) throw new Error(`i18n key ${where}.${k} is defined twice`);
    else into[k] = v;
  }
  return into;
}

export function loadLocale(locale: Locale, dir = I18N_DIR): Tree {
  const folder = path.join(dir, locale);
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .reduce<Tree>((acc, f) => mergeTrees(acc, JSON.parse(readFileSync(path.join(folder, f), 'utf8')) as Tree, locale), {});
}
