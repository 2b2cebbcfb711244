import { expect, it } from 'vitest';
import { loadLocale } from './locales.ts';

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

it('has every console string in both English and Russian', () => {
  const en = keys(loadLocale('en')).sort();
  const ru = keys(loadLocale('ru')).sort();
  expect(en.filter((k) => !ru.includes(k)), 'missing in Russian').toEqual([]);
  expect(ru.filter((k) => !en.includes(k)), 'missing in English').toEqual([]);
});
