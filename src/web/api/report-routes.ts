// Each registered report that has a table, as JSON at /api/v1/reports/<id>: the same filters as
// its page (from the query string), the same numbers as its downloads, values raw (counts,
// minutes, minor units of money) with each column's key and kind.
import { z } from 'zod';
import { loadReportStrings } from '../../reports/report-files.ts';
import type { ReportTable } from '../../reports/kit/table.ts';
import type { Report } from '../../reports/report.ts';
import { reportFilters } from '../features/reports/routes.ts';
import type { ApiRoute } from './routes.ts';

const cell = z.union([z.string(), z.number(), z.null()]);

const tableOut = z.object({
  columns: z.array(z.object({ key: z.string(), kind: z.enum(['text', 'count', 'minutes', 'money', 'percent']), currency_key: z.string().optional(), currency: z.string().optional(), labels: z.string().optional() })),
  rows: z.array(z.record(z.string(), cell)),
  totals: z.record(z.string(), cell).nullable(),
});

export const reportOut = tableOut.extend({
  report: z.string(),
  parts: z.array(tableOut.extend({ key: z.string() })).describe('the report\'s other tables (a summary per organisation, an age histogram), each with its key'),
});

function tableJson(data: ReportTable): z.infer<typeof tableOut> {
  return {
    columns: data.columns.map((col) => ({ key: col.key, kind: col.kind, ...(col.currencyKey ? { currency_key: col.currencyKey } : {}), ...(col.currency ? { currency: col.currency } : {}), ...(col.labels ? { labels: col.labels } : {}) })),
    rows: data.rows.map((r) => r.cells),
    totals: data.totals?.cells ?? null,
  };
}

export function reportApiRoutes(reports: readonly Report[]): ApiRoute[] {
  return reports.flatMap((report): ApiRoute[] => {
    const table = report.table;
    if (!table) return [];
    const title = (loadReportStrings([report], 'en').reports as Record<string, { title: string }>)[report.id].title;
    return [{
      method: 'get',
      path: `/reports/${report.id}`,
      permission: report.permission,
      tag: 'reports',
      summary: `Report: ${title} (the console's ${report.path} as data)`,
      query: report.filters instanceof z.ZodObject ? report.filters : undefined,
      response: reportOut,
      async handle(c) {
        // the API speaks no language: a label a report would translate is given as its key
        const data = await c.ctx.db.offLoop(async () => table({ ...c.ctx, viewer: { locale: c.user.locale, t: (key) => key } }, reportFilters(report, c.req.query)));
        return { report: report.id, ...tableJson(data), parts: (data.parts ?? []).map((p) => ({ key: p.key, ...tableJson(p.table) })) };
      },
    }];
  });
}
