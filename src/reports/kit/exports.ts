// A report table as a download: CSV (csv-stringify) or XLSX (ExcelJS, written as a stream), with
// headers in the viewer's language, numbers as numbers (hours, whole money units), and cells that a
// spreadsheet would run as a formula defused: ticket subjects and names come from strangers.
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';
import type { ReportViewer } from '../report.ts';
import { columnLabel, exportCell, totalsRow, type ReportCell, type ReportTable } from './table.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A cell a spreadsheet would take for a formula gets a leading apostrophe. */
export const safeCell = <T extends ReportCell>(v: T): T | string => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

function header(reportId: string, table: ReportTable, viewer: ReportViewer): string[] {
  return table.columns.map((c) => {
    const label = columnLabel(reportId, viewer, c);
    return c.kind === 'minutes' ? `${label}, ${viewer.t('reportKit.hoursUnit')}` : label;
  });
}

function body(table: ReportTable, viewer: ReportViewer): (string | number | null)[][] {
  const rows = table.totals ? [...table.rows, totalsRow(table, table.totals, viewer)] : table.rows;
  return rows.map((r) => table.columns.map((c) => safeCell(exportCell(c, r.cells[c.key] ?? null, viewer, r.worded))));
}

export function reportCsv(reportId: string, table: ReportTable, viewer: ReportViewer): string {
  return stringify([header(reportId, table, viewer), ...body(table, viewer)]);
}

/** A sheet name is at most 31 characters, without []:*?/\ and unique in its workbook. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Report';
  let out = base;
  for (let i = 2; taken.has(out.toLowerCase()); i++) out = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(out.toLowerCase());
  return out;
}

/**
 * Writes the workbook to `out` (a response) one row at a time, the report's table on the first
 * sheet and each of its parts on a sheet of its own; resolves when it is complete.
 */
export async function writeReportXlsx(out: Writable, reportId: string, sheetTitle: string, table: ReportTable, viewer: ReportViewer): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const taken = new Set<string>();
  const sheets = [{ name: sheetTitle, table }, ...(table.parts ?? []).map((p) => ({ name: viewer.t(`reports.${reportId}.parts.${p.key}`), table: p.table }))];
  for (const { name, table: t } of sheets) {
    const sheet = book.addWorksheet(sheetName(name, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    const heads = header(reportId, t, viewer);
    sheet.columns = t.columns.map((c, i) => ({ header: heads[i], key: c.key, width: c.kind === 'text' ? 28 : 14 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const row of body(t, viewer)) sheet.addRow(row).commit();
    sheet.commit();
  }
  await book.commit();
}
