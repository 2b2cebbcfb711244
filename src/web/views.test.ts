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
