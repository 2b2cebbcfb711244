// What every registered report must bring along: a page at /reports/<id> of its own, its view
// and its menu label in every language.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../domain/vocabulary.ts';
import { loadLocale, type Tree } from '../i18n/locales.ts';
import { VIEWS_DIR } from '../web/views.ts';
import { REPORTS } from './index.ts';

const lookup = (tree: Tree, key: string): unknown => key.split('.').reduce<unknown>((t, k) => (t && typeof t === 'object' ? (t as Tree)[k] : undefined), tree);

describe('the report registry', () => {
  it('gives each report its own page at /reports/<id>', () => {
    for (const r of REPORTS) expect(r.path, r.id).toBe(`/reports/${r.id}`);
    expect(new Set(REPORTS.map((r) => r.id)).size).toBe(REPORTS.length);
  });

  it('has a view and a translated menu label for each report', () => {
    for (const r of REPORTS) {
      expect(existsSync(path.join(VIEWS_DIR, 'pages', `${r.template}.hbs`)), r.template).toBe(true);
      for (const locale of LOCALES) expect(typeof lookup(loadLocale(locale), r.navLabelKey), `${r.navLabelKey} in ${locale}`).toBe('string');
    }
  });
});
