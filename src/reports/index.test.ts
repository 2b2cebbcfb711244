// What every registered report must bring along in its folder: a page at /reports/<id> of its
// own, its view, and its strings in every language — the same keys in each, a title for its menu
// link, and every key its view asks for.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../domain/vocabulary.ts';
import { loadLocale, mergeTrees, type Tree } from '../i18n/locales.ts';
import { REPORTS } from './index.ts';
import { loadReportStrings, reportTitleKey, reportView } from './report-files.ts';

const lookup = (tree: Tree, key: string): unknown => key.split('.').reduce<unknown>((t, k) => (t && typeof t === 'object' ? (t as Tree)[k] : undefined), tree);
const keys = (tree: Tree, prefix = ''): string[] => Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));

describe('the report registry', () => {
  it('gives each report its own page at /reports/<id>', () => {
    for (const r of REPORTS) expect(r.path, r.id).toBe(`/reports/${r.id}`);
    expect(new Set(REPORTS.map((r) => r.id)).size).toBe(REPORTS.length);
  });

  it('has a view in each report folder', () => {
    for (const r of REPORTS) expect(existsSync(reportView(r)), reportView(r)).toBe(true);
  });

  it('has the same strings in every language for each report, its menu title among them', () => {
    for (const r of REPORTS) {
      const [first, ...others] = LOCALES.map((l) => keys(loadReportStrings([r], l)).sort());
      for (const [i, other] of others.entries()) expect(other, `${r.id}: ${LOCALES[i + 1]} against ${LOCALES[0]}`).toEqual(first);
      expect(first, r.id).toContain(reportTitleKey(r));
    }
  });

  it('translates every key a report view asks for, in every language, beside the console strings', () => {
    for (const locale of LOCALES) {
      const strings = mergeTrees(loadLocale(locale), loadReportStrings(REPORTS, locale), locale);
      for (const r of REPORTS) {
        const asked = [...readFileSync(reportView(r), 'utf8').matchAll(/\{\{t "([^"]+)"/g)].map((m) => m[1]);
        expect(asked.length, r.id).toBeGreaterThan(0);
        for (const key of asked) expect(typeof lookup(strings, key), `${key} in ${locale}`).toBe('string');
      }
    }
  });
});
