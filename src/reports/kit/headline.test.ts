import { describe, expect, it } from 'vitest';
import type { ReportViewer } from '../report.ts';
import { reportHeadline } from './headline.ts';
import type { ReportTable } from './table.ts';

const viewer: ReportViewer = { locale: 'en', t: (key) => `«${key}»` };
const table: ReportTable = {
  columns: [{ key: 'name', kind: 'text' }, { key: 'tickets', kind: 'count' }, { key: 'minutes', kind: 'minutes' }],
  rows: [{ cells: { name: 'a', tickets: 1200, minutes: 90 }, links: { tickets: '/tickets?a' } }, { cells: { name: 'b', tickets: 3, minutes: null } }],
  totals: { cells: { name: null, tickets: null, minutes: 90 } },
  parts: [{ key: 'open', table: { columns: [{ key: 'n', kind: 'count' }], rows: [], totals: { cells: { n: 7 }, links: { n: '/tickets?view=open' } } } }],
};
const report = { id: 'r', path: '/reports/r' } as const;

describe('a report’s headline', () => {
  it('is by default the first number of the totals row, named by its column, opening the report when the cell has no link', () => {
    expect(reportHeadline(report, table, viewer)).toEqual({ value: '1.5 hr', caption: '«reports.r.columns.minutes»', href: '/reports/r' });
    expect(reportHeadline(report, { ...table, totals: undefined }, viewer)).toBeNull();
  });

  it('is the cell it names, in a part or a row, with its own caption and the cell’s link', () => {
    expect(reportHeadline({ ...report, headline: { part: 'open', row: 'totals', column: 'n', caption: 'headline' } }, table, viewer))
      .toEqual({ value: '7', caption: '«reports.r.headline»', href: '/tickets?view=open' });
    expect(reportHeadline({ ...report, headline: { row: 'first', column: 'tickets' } }, table, viewer)).toEqual({ value: '1,200', caption: '«reports.r.columns.tickets»', href: '/tickets?a' });
    expect(reportHeadline({ ...report, headline: { row: 'last', column: 'tickets' } }, table, viewer)?.value).toBe('3');
  });

  it('is nothing when the cell it names is empty or missing', () => {
    expect(reportHeadline({ ...report, headline: { row: 'last', column: 'minutes' } }, table, viewer)).toBeNull();
    expect(reportHeadline({ ...report, headline: { part: 'none', row: 'totals', column: 'n' } }, table, viewer)).toBeNull();
    expect(reportHeadline({ ...report, headline: { row: 'first', column: 'tickets' } }, { ...table, rows: [] }, viewer)).toBeNull();
  });

  it('is what the report makes of its table', () => {
    const headline = (t: ReportTable) => ({ value: String(t.rows.length), caption: 'rows', href: '/x' });
    expect(reportHeadline({ ...report, headline }, table, viewer)).toEqual({ value: '2', caption: 'rows', href: '/x' });
  });
});

