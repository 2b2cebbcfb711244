// Mounts every registered report (src/reports/index.ts) the same way: GET its path → its
// permission → filters from the query string → load → its page; and, for a report that has a
// table, the same data as CSV and XLSX downloads at <path>.csv and <path>.xlsx (its other tables:
// more sheets of the XLSX, and each a CSV at <path>.csv?part=<key>).
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { EXPORT_FORMATS, EXPORT_TYPES, reportCsv, writeReportXlsx } from '../../../reports/kit/exports.ts';
import { resultCache } from '../../../reports/kit/result-cache.ts';
import type { Report, ReportCtx, ReportViewer } from '../../../reports/report.ts';
import { AppError, invalid } from '../../../domain/errors.ts';
import { tablePart } from '../../../reports/kit/table.ts';
import { web } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import type { Renderer } from '../../render.ts';
import { reportPage } from './views.ts';

export function reportRoutes(ctx: Ctx, render: Renderer, reports: readonly Report[]): Router {
  const r = Router();
  // a page and its downloads show the numbers of one computation, kept for a minute (see result-cache),
  // counted off the event loop (Db.offLoop): a report's second of counting holds up no other request
  const cache = resultCache({ now: () => ctx.clock.now(), freshMs: REPORT_FRESH_MS, max: 200, slowMs: ctx.config.reports.slowMs });
  ctx.hooks.ticketChanged.push(async () => cache.changed());
  for (const report of reports) {
    r.get(report.path, requirePermission(report.permission), async (req, res) => {
      const { fresh, query } = withoutFresh(req.query);
      const filters = reportFilters(report, query);
      const rc = reportCtx(ctx, res);
      const kept = await cache.get(`${report.id} page ${rc.viewer.locale} ${JSON.stringify(filters)}`, () => ctx.db.offLoop(async () => report.load(rc, filters)), fresh);
      const again = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'));
      again.set('fresh', '1');
      render(req, res, reportPage(report), { ...kept.value, freshness: { at: kept.at, again: `${report.path}?${again}` } });
    });
    const table = report.table;
    if (!table) continue;
    for (const format of EXPORT_FORMATS) {
      r.get(`${report.path}.${format}`, requirePermission(report.permission), async (req, res) => {
        const rc = reportCtx(ctx, res);
        const { fresh, query: all } = withoutFresh(req.query);
        // a CSV holds one table: the report's own, or the part `part` names (the XLSX has them all)
        const { part: partRaw, ...query } = all;
        const part = format === 'csv' && typeof partRaw === 'string' ? partRaw : undefined;
        const filters = reportFilters(report, query);
        const { value: data } = await cache.get(`${report.id} table ${rc.viewer.locale} ${JSON.stringify(filters)}`, () => ctx.db.offLoop(async () => table(rc, filters)), fresh);
        const chosen = tablePart(data, part);
        if (!chosen) throw new AppError('not_found', `The report has no table "${part}"`);
        const stamp = new Date(ctx.clock.now()).toISOString().slice(0, 10);
        res.attachment(`${report.id}${part ? `-${part}` : ''}-${stamp}.${format}`);
        res.type(EXPORT_TYPES[format]);
        if (format === 'csv') res.send(reportCsv(report.id, chosen, rc.viewer));
        else await writeReportXlsx(res, report.id, rc.viewer.t(`reports.${report.id}.title`), data, rc.viewer);
      });
    }
  }
  return r;
}

/** How long a report's numbers are shown again before they are computed afresh. */
const REPORT_FRESH_MS = 60_000;

/** `fresh=1` asks for the numbers computed now; the report's filters are the rest of the query. */
function withoutFresh(query: Request['query']): { fresh: boolean; query: Request['query'] } {
  const { fresh, ...rest } = query;
  return { fresh: fresh === '1', query: rest };
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
