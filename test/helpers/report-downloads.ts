// The check that a report's downloads say what its API says: the JSON at /api/v1/reports/<id>
// turned by hand into what a spreadsheet should show (labels in English, money in whole units,
// minutes as hours, a "Total" row) must equal the parsed CSV and every sheet of the XLSX, parts too.
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { loadLocale, type Tree } from '../../src/i18n/locales.ts';
import { REPORTS } from '../../src/reports/index.ts';
import { loadReportStrings } from '../../src/reports/report-files.ts';
import type { Browser } from './web.ts';
import { readXlsxSheets } from './xlsx.ts';

type Cell = string | number | null;
type ApiTable = { columns: { key: string; kind: string; labels?: string }[]; rows: Record<string, Cell>[]; totals: Record<string, Cell> | null };
export type ApiReport = ApiTable & { report: string; parts: (ApiTable & { key: string })[] };

const english: Tree[] = [loadLocale('en'), loadReportStrings(REPORTS, 'en')];

/** A key's English words, or undefined when it names no string. */
function words(key: string): string | undefined {
  for (const tree of english) {
    let node: Tree | string | undefined = tree;
    for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    if (typeof node === 'string') return node;
  }
  return undefined;
}

/** The API's cell as the English spreadsheet shows it (the API gives a translated text as its key, a list of them joined). */
function exported(col: ApiTable['columns'][number], v: Cell, worded: boolean): Cell {
  if (v === null) return null;
  if (typeof v === 'string') {
    const text = col.labels && !worded ? (words(`${col.labels}.${v}`) ?? v) : v.split(', ').map((p) => words(p) ?? p).join(', ');
    return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  }
  if (col.kind === 'money') return v / 100;
  if (col.kind === 'minutes') return Math.round((v / 60) * 100) / 100;
  return v;
}

function expectedRows(t: ApiTable): Cell[][] {
  const first = t.columns[0];
  const totals = t.totals && first?.kind === 'text' && t.totals[first.key] === null ? { ...t.totals, [first.key]: words('reportKit.total')! } : t.totals;
  return [...t.rows.map((r) => ({ r, worded: false })), ...(totals ? [{ r: totals, worded: totals !== t.totals }] : [])]
    .map(({ r, worded }) => t.columns.map((c) => exported(c, r[c.key] ?? null, worded)));
}

/**
 * Asks the API for the report with `query` ("?from=…" or ""), downloads its CSV (and each part's)
 * and its XLSX as `browser` (an English-speaking user), and expects the same rows in all of them.
 * Returns the API's answer; a report without rows fails, as it would prove nothing.
 */
export async function expectDownloadsMatchApi(o: { url: string; token: string; browser: Browser; report: string; query: string }): Promise<ApiReport> {
  const res = await fetch(`${o.url}/api/v1/reports/${o.report}${o.query}`, { headers: { authorization: `Bearer ${o.token}` } });
  expect(res.status).toBe(200);
  const api = (await res.json()) as ApiReport;
  expect(api.rows.length, 'the API gives rows to compare').toBeGreaterThan(0);
  const tables = [{ key: null as string | null, table: api as ApiTable }, ...api.parts.map((p) => ({ key: p.key, table: p }))];
  const sheets = await readXlsxSheets((await o.browser.getBytes(`/reports/${o.report}.xlsx${o.query}`)).body);
  expect(sheets.map((sh) => sh.rows.length - 1), `${o.report}${o.query}: rows per sheet`).toEqual(tables.map(({ table }) => expectedRows(table).length));
  for (const [i, { key, table }] of tables.entries()) {
    const want = expectedRows(table);
    const where = `${o.report}${o.query}${key ? ` part ${key}` : ''}`;
    const xlsx = sheets[i].rows.slice(1).map((r) => table.columns.map((_, j) => r[j] ?? null));
    expect(xlsx, `${where}: XLSX`).toEqual(want);
    const csvPath = `/reports/${o.report}.csv${o.query}${key ? `${o.query ? '&' : '?'}part=${key}` : ''}`;
    const csv = (parse((await o.browser.get(csvPath)).text) as string[][]).slice(1);
    expect(csv, `${where}: CSV`).toEqual(want.map((r) => r.map((v) => (v === null ? '' : String(v)))));
  }
  return api;
}
