// Mounts every registered report (src/reports/index.ts) the same way: GET its path → its
// permission → filters from the query string → load → its page; and, for a report that offers
// one, the same data as CSV at <path>.csv.
import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { Ctx } from '../../../actions/context.ts';
import type { Report, ReportCtx } from '../../../reports/report.ts';
import { invalid } from '../../../domain/errors.ts';
import { web } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import type { Renderer } from '../../render.ts';
import { reportPage } from './views.ts';

export function reportRoutes(ctx: Ctx, render: Renderer, reports: readonly Report[]): Router {
  const r = Router();
  for (const report of reports) {
    r.get(report.path, requirePermission(report.permission), async (req, res) => {
      const data = await report.load(reportCtx(ctx, res), filtersOf(report, req));
      render(req, res, reportPage(report), data);
    });
    const csv = report.csv;
    if (!csv) continue;
    r.get(`${report.path}.csv`, requirePermission(report.permission), async (req, res) => {
      const file = await csv(reportCtx(ctx, res), filtersOf(report, req));
      res.attachment(file.filename);
      res.type('text/csv; charset=utf-8');
      res.send(stringify([file.header, ...file.rows].map((row) => row.map(safeCell))));
    });
  }
  return r;
}

function reportCtx(ctx: Ctx, res: Response): ReportCtx {
  const w = web(res);
  return { ...ctx, viewer: { locale: w.locale, t: (key) => w.t(key) } };
}

function filtersOf(report: Report, req: Request): unknown {
  const parsed = report.filters.safeParse(req.query);
  if (parsed.success) return parsed.data;
  const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
  throw invalid('The report’s filters are not valid', fields);
}

// a spreadsheet runs a cell that starts like a formula; ticket subjects come from strangers
const safeCell = (v: string | number | null) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
