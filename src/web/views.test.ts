import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TFunction } from 'i18next';
import { expect, it } from 'vitest';
import { compactIndentation, createViews } from './views.ts';

it('drops template indentation and empty lines but keeps preformatted text and line breaks', () => {
  const source = [
    '<ul>',
    '    <li>{{a}}</li>',
    '',
    '\t\t<li>two',
    '      words</li>',
    '  <pre class="x">line one',
    '    indented line</pre>',
    '  <textarea name="t">',
    '  kept  </textarea>',
    '</ul>',
  ].join('\n');
  expect(compactIndentation(source)).toBe(
    ['<ul>', '<li>{{a}}</li>', '<li>two', 'words</li>', '<pre class="x">line one', '    indented line</pre>', '<textarea name="t">', '  kept  </textarea>', '</ul>'].join('\n'),
  );
});

it('formats dates right in more spellings of zones than its formatter memo keeps (Intl takes any letter case)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'views-'));
  try {
    mkdirSync(path.join(dir, 'pages'));
    writeFileSync(path.join(dir, 'pages', 'when.hbs'), '{{date ts}} {{t "k"}}');
    const views = createViews({ dir, cache: true });
    const t = ((key: string) => `[${key}]`) as unknown as TFunction;
    const spell = (zone: string, i: number) => [...zone].map((c, k) => ((i >> k) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
    const ts = Date.UTC(2026, 6, 15, 12, 0);
    const want = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(ts);
    for (let i = 0; i < 600; i++) {
      expect(views.page('when', { ts }, { t, locale: 'en', timeZone: spell('Asia/Tokyo', i) }, '')).toBe(`${want} [k]`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('renders a page kept outside the views folder with the same helpers and partials, and refuses one named like a page inside', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'views-'));
  try {
    mkdirSync(path.join(dir, 'pages', 'reports'), { recursive: true });
    mkdirSync(path.join(dir, 'partials'));
    mkdirSync(path.join(dir, 'elsewhere'));
    writeFileSync(path.join(dir, 'partials', 'cell.hbs'), '<td>{{v}}</td>');
    writeFileSync(path.join(dir, 'pages', 'reports', 'taken.hbs'), 'inside');
    writeFileSync(path.join(dir, 'elsewhere', 'view.hbs'), '<h1>{{t "h"}}</h1>\n    {{> cell v=n}}');
    const t = ((key: string) => `[${key}]`) as unknown as TFunction;
    const globals = { t, locale: 'en', timeZone: 'UTC' };
    const views = createViews({ dir, cache: true, pages: { 'reports/out': path.join(dir, 'elsewhere', 'view.hbs') } });
    expect(views.page('reports/out', { n: 3 }, globals, '')).toBe('<h1>[h]</h1>\n<td>3</td>');
    const clash = createViews({ dir, cache: true, pages: { 'reports/taken': path.join(dir, 'elsewhere', 'view.hbs') } });
    expect(() => clash.page('reports/taken', {}, globals, '')).toThrow('view pages/reports/taken is defined twice');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('shortens a date by the day of the desk’s clock, not the machine’s', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'views-'));
  try {
    mkdirSync(path.join(dir, 'pages'));
    writeFileSync(path.join(dir, 'pages', 'short.hbs'), '{{shortDate ts}}');
    const views = createViews({ dir, cache: true });
    const t = ((key: string) => `[${key}]`) as unknown as TFunction;
    const ts = Date.UTC(2025, 11, 31, 21, 30);
    const at = (now: number, timeZone = 'UTC') => views.page('short', { ts }, { t, locale: 'en', timeZone, now }, '');
    const fmt = (o: Intl.DateTimeFormatOptions, timeZone = 'UTC') => new Intl.DateTimeFormat('en', { ...o, timeZone }).format(ts);
    // the same day: the time; the same year: the day; before: the whole date
    expect(at(Date.UTC(2025, 11, 31, 23, 0))).toBe(fmt({ timeStyle: 'short' }));
    expect(at(Date.UTC(2025, 5, 1))).not.toContain('2025');
    expect(at(Date.UTC(2025, 5, 1))).toContain('31');
    expect(at(Date.UTC(2026, 0, 1, 0, 30))).toContain('2025');
    // in Moscow 21:30 UTC on 31 December is already 1 January 2026
    expect(at(Date.UTC(2026, 0, 1, 0, 30), 'Europe/Moscow')).toBe(fmt({ timeStyle: 'short' }, 'Europe/Moscow'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
