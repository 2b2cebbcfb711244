// A report's one number (a dashboard's figure): the cell its headline names, the figure its
// headline makes from the table, or else the first total of the table. Each opens the tickets
// behind it where the table links them, else the report.
import type { HeadlineCell, Report, ReportHeadline, ReportViewer } from '../report.ts';
import { columnLabel, formatCell, tablePart, type ReportRow, type ReportTable } from './table.ts';

/** The first number of the totals row. */
function firstTotal(table: ReportTable): HeadlineCell | null {
  const col = table.columns.find((c) => c.kind !== 'text' && (table.totals?.cells[c.key] ?? null) !== null);
  return col ? { row: 'totals', column: col.key } : null;
}

function rowOf(table: ReportTable, row: HeadlineCell['row']): ReportRow | undefined {
  if (row === 'totals') return table.totals;
  return row === 'first' ? table.rows[0] : table.rows[table.rows.length - 1];
}

/** The report's headline from its table as it opens; null when the cell it names is empty. */
export function reportHeadline(report: Pick<Report, 'id' | 'path' | 'headline'>, table: ReportTable, viewer: ReportViewer): ReportHeadline | null {
  const pick = report.headline ?? firstTotal(table);
  if (pick === null) return null;
  if (typeof pick === 'function') return pick(table, viewer);
  const part = tablePart(table, pick.part);
  const row = part && rowOf(part, pick.row);
  const col = part?.columns.find((c) => c.key === pick.column);
  if (!row || !col || (row.cells[col.key] ?? null) === null) return null;
  return {
    value: formatCell(col, row, viewer),
    caption: pick.caption ? viewer.t(`reports.${report.id}.${pick.caption}`) : columnLabel(report.id, viewer, col),
    href: row.links?.[col.key] ?? report.path,
  };
}

/** A count as the viewer writes numbers. */
export const countText = (n: number, viewer: ReportViewer): string => new Intl.NumberFormat(viewer.locale).format(n);
