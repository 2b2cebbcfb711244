// The console's translator takes the strings a desk's parts bring along (a report's) beside its
// own; one that would redefine a console string is refused when the translator is built.
import { expect, it } from 'vitest';
import { createTranslator } from './i18n.ts';

it('adds strings per language beside the console strings, which still resolve', async () => {
  const tr = await createTranslator({ en: { reports: { x: { title: 'X sums' } } }, ru: { reports: { x: { title: 'Суммы X' } } } });
  expect(tr.t('en')('reports.x.title')).toBe('X sums');
  expect(tr.t('ru')('reports.x.title')).toBe('Суммы X');
  expect(tr.t('en')('app.skip')).toBe('Skip to content');
});

it('refuses added strings that redefine a console string', async () => {
  await expect(createTranslator({ ru: { app: { skip: 'Дальше' } } })).rejects.toThrow('i18n key ru.app.skip is defined twice');
});
