import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createLocaleStrings } from './locale-strings.ts';
import { formatDuration, label, plural } from './labels.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'workflow-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (locale: string, workflow: object) => {
  mkdirSync(path.join(dir, locale), { recursive: true });
  writeFileSync(path.join(dir, locale, 'workflow.json'), JSON.stringify({ workflow }));
};

it('fills placeholders from the given strings, falls back to English, then to the key', () => {
  write('en', { note: 'Closed after {{ days }} days', onlyEn: 'English only', time: { d: '{{n}} d', h: '{{n}} h', m: '{{n}} min' } });
  write('ru', { note: 'Закрыта через {{days}} дн.', time: { d: '{{n}} д', h: '{{n}} ч', m: '{{n}} мин' }, plural: { days_one: '{{n}} день', days_few: '{{n}} дня', days_many: '{{n}} дней', days_other: '{{n}} дня' } });
  const locales = createLocaleStrings(dir);
  expect(label(locales, 'en', 'note', { days: 3 })).toBe('Closed after 3 days');
  expect(label(locales, 'ru', 'note', { days: 3 })).toBe('Закрыта через 3 дн.');
  expect(label(locales, 'ru', 'onlyEn')).toBe('English only');
  expect(label(locales, 'ru', 'missing.key')).toBe('missing.key');
  expect(formatDuration(locales, (26 * 60 + 5) * 60_000, 'ru')).toBe('1 д 2 ч 5 мин');
  expect(plural(locales, 'ru', 'plural.days', 5)).toBe('5 дней');
  expect(plural(locales, 'ru', 'plural.days', 2)).toBe('2 дня');
});

it('reads the strings of the desk it is given, so two desks in one process do not share them', () => {
  write('en', { greeting: 'Hello' });
  const first = createLocaleStrings(dir);
  expect(label(first, 'en', 'greeting')).toBe('Hello');
  write('en', { greeting: 'Good day' });
  expect(label(createLocaleStrings(dir), 'en', 'greeting')).toBe('Good day');
  expect(label(first, 'en', 'greeting')).toBe('Hello');
});
