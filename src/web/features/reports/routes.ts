// Mounts every registered report (src/reports/index.ts) the same way: GET its path → its
// permission → filters from the query string → load → its page; and, for a report that has a
// table, the same data as CSV and XLSX downloads at <path>.csv and <path>.xlsx.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { EXPORT_FORMATS, EXPORT_TYPES, reportCsv, writeReportXlsx } from '../../../reports/kit/exports.ts';
import type { Report, ReportCtx, ReportViewer } from '../../../reports/report.ts';
import { invalid } from '../../../domain/errors.ts';
import { web } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import type { Renderer } from '../../render.ts';
import { reportPage } from './views.ts';

export function reportRoutes(ctx: Ctx, render: Renderer, reports: readonly Report[]): Router {
  const r = Router();
  for (const report of reports) {
    r.get(report.path, requirePermission(report.permission), async (req, res) => {
      const data = await report.load(reportCtx(ctx, res), reportFilters(report, req.query));
      render(req, res, reportPage(report), data);
    });
    const table = report.table;
    if (!table) continue;
    for (const format of EXPORT_FORMATS) {
      r.get(`${report.path}.${format}`, requirePermission(report.permission), async (req, res) => {
        const rc = reportCtx(ctx, res);
        const data = await table(rc, reportFilters(report, req.query));
        const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 10);
        res.attachment(`${report.id}-${stamp}.${format}`);
        res.type(EXPORT_TYPES[format]);
        if (format === 'csv') res.send(reportCsv(report.id, data, rc.viewer));
        else await writeReportXlsx(res, report.id, rc.viewer.t(`reports.${report.id}.title`), data, rc.viewer);
      });
    }
  }
  return r;
}

function reportCtx(ctx: Ctx, res: Response): ReportCtx {
  const w = web(res);
  const viewer: ReportViewer = { locale: w.locale, t: (key) => w.t(key) };
  return { ...ctx, viewer };
}

/** The report's filters from a query string; a value its schema refuses is a validation error. */
export function reportFilters(report: Report, query: Request['query']): unknown {
  const parsed = report.filters.safeParse(query);
  if (parsed.success) return parsed.data;
  const fields = Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.'), i.message]));
  throw invalid('The report’s filters are not valid', fields);
}
