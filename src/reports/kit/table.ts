// A report's data as one table: typed columns and rows of plain values, each cell optionally
// linked to the queue on the tickets behind it. The page, the CSV and XLSX downloads and the API
// are all made from it, so they cannot disagree. Values stay raw here (minutes, minor units of
// money, counts); each output formats them its own way.
import type { ReportViewer } from '../report.ts';

export type ColumnKind = 'text' | 'count' | 'minutes' | 'money' | 'percent';

export type ReportColumn = {
  key: string;
  kind: ColumnKind;
  /** for money: the key of the text column that holds the row's currency (ISO 4217)… */
  currencyKey?: string;
  /** …or one currency for the whole column */
  currency?: string;
  /** for text: the cells are ids (a ticket type, a status) shown as the strings under this key prefix */
  labels?: string;
  /** the header already in the viewer's words (a column per month: "Sep 2026"), instead of reports.<id>.columns.<key> */
  heading?: string;
};

export type ReportCell = string | number | null;

export type ReportRow = {
  cells: Record<string, ReportCell>;
  /** the queue on the tickets behind a cell, by column key */
  links?: Record<string, string>;
  /** its text cells are already words (the totals' "Total"): no label is looked up for them */
  worded?: boolean;
};

export type ReportTable = {
  columns: ReportColumn[];
  rows: ReportRow[];
  /** a last row of sums (the same columns), when the rows add up; an empty first text cell reads "Total" */
  totals?: ReportRow;
  /**
   * the report's other tables (a summary per organisation, an age histogram), each named by
   * reports.<id>.parts.<key>: a sheet of their own in the XLSX, a CSV of their own (`?part=<key>`),
   * and `parts` in the API
   */
  parts?: ReportPart[];
};

export type ReportPart = { key: string; table: ReportTable };

/** The CSV download of a part, from the report's own CSV link. */
export const partCsv = (csvHref: string, key: string): string => `${csvHref}${csvHref.includes('?') && !csvHref.endsWith('?') ? '&' : ''}part=${encodeURIComponent(key)}`;

/** The table a download names: the report's own, or one of its parts; undefined for no such part. */
export function tablePart(table: ReportTable, part: string | undefined): ReportTable | undefined {
  return part === undefined ? table : table.parts?.find((p) => p.key === part)?.table;
}

/** A column's header in the viewer's language: its heading, else reports.<id>.columns.<key>. */
export const columnLabel = (reportId: string, viewer: ReportViewer, c: ReportColumn): string => c.heading ?? viewer.t(`reports.${reportId}.columns.${c.key}`);

/** A cell as the page shows it. */
export function formatCell(col: ReportColumn, row: ReportRow, viewer: ReportViewer): string {
  const v = row.cells[col.key];
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') return col.labels && !row.worded ? viewer.t(`${col.labels}.${v}`) : v;
  const n = (opts: Intl.NumberFormatOptions) => new Intl.NumberFormat(viewer.locale, opts).format;
  switch (col.kind) {
    case 'minutes':
      return n({ style: 'unit', unit: 'hour', maximumFractionDigits: 1 })(v / 60);
    case 'money': {
      const currency = col.currency ?? (col.currencyKey ? String(row.cells[col.currencyKey] ?? '') : '');
      return /^[A-Z]{3}$/.test(currency) ? n({ style: 'currency', currency, maximumFractionDigits: 0 })(v / 100) : n({ maximumFractionDigits: 2 })(v / 100);
    }
    case 'percent':
      return n({ style: 'percent', maximumFractionDigits: 1 })(v / 100);
    default:
      return n({})(v);
  }
}

/** A cell as a spreadsheet gets it: numbers stay numbers (hours and money in whole units), ids their labels. */
export function exportCell(col: ReportColumn, v: ReportCell, viewer: ReportViewer, worded = false): string | number | null {
  if (typeof v === 'string' && col.labels && !worded) return viewer.t(`${col.labels}.${v}`);
  if (v === null || v === undefined || typeof v === 'string') return v ?? null;
  if (col.kind === 'minutes') return Math.round((v / 60) * 100) / 100;
  if (col.kind === 'money') return v / 100;
  return v;
}

/** The table as the page renders it: headers, formatted cells with their links, numbers aligned right. */
export function tableView(reportId: string, table: ReportTable, viewer: ReportViewer) {
  const row = (r: ReportRow) => table.columns.map((c) => ({ text: formatCell(c, r, viewer), href: r.links?.[c.key] ?? null, numeric: c.kind !== 'text' }));
  return {
    headers: table.columns.map((c) => ({ label: columnLabel(reportId, viewer, c), numeric: c.kind !== 'text' })),
    rows: table.rows.map(row),
    totals: table.totals ? row(totalsRow(table, table.totals, viewer)) : null,
  };
}

/** The totals row with "Total" in its first column when that is an empty text column. */
export function totalsRow(table: ReportTable, totals: ReportRow, viewer: ReportViewer): ReportRow {
  const first = table.columns[0];
  if (!first || first.kind !== 'text' || (totals.cells[first.key] ?? null) !== null) return totals;
  return { ...totals, worded: true, cells: { ...totals.cells, [first.key]: viewer.t('reportKit.total') } };
}
