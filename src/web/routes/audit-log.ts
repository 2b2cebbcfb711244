// Admin → Audit log: every change to configuration and people, newest first, with filters and
// paging, and the same entries as a CSV. Read only: there is no route that changes an entry.
import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { Ctx } from '../../actions/context.ts';
import { AUDIT_KINDS } from '../../domain/audit-entry.ts';
import { localDateTimeOf } from '../../domain/zoned-time.ts';
import { safeCell } from '../../reports/kit/exports.ts';
import { listAuditActors, listAuditEntries } from '../../store/audit-log.ts';
import type { WebRouter } from '../app.ts';
import { currentUser, web } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { auditQueryString, auditRow, changesText, parseAuditQuery, type AuditRow } from '../view-models/audit-log.ts';

const PAGE_SIZE = 50;
const CSV_PAGE = 500;

function beforeParam(req: Request): number | undefined {
  return typeof req.query.before === 'string' && /^\d+$/.test(req.query.before) ? Number(req.query.before) : undefined;
}

function csvRow(r: AuditRow, res: Response, timeZone: string): (string | number | null)[] {
  const t = web(res).t;
  const at = localDateTimeOf(r.createdAt, timeZone);
  return [
    `${at.date} ${at.time}`, r.system ? t('audit.system') : r.actorName, r.actorUserId, t(`audit.kind.${r.kind}`), r.subjectId, r.label,
    t(`audit.action.${r.action}`, { defaultValue: r.action }), changesText(r),
  ].map((v) => safeCell(v));
}

export function auditLogRouter(ctx: Ctx): WebRouter {
  return {
    auth: 'user',
    build({ render }) {
      const r = Router();
      r.use(['/admin/audit', '/admin/audit.csv'], requirePermission('audit.view'));

      r.get('/admin/audit', async (req, res) => {
        const { form, filter } = parseAuditQuery(req.query as Record<string, unknown>, currentUser(res).timeZone);
        const before = beforeParam(req);
        const rows = await listAuditEntries(ctx.db, filter, { limit: PAGE_SIZE + 1, before });
        const pageRows = rows.slice(0, PAGE_SIZE);
        render(req, res, 'audit-log', {
          title: web(res).t('audit.title'),
          form,
          actors: (await listAuditActors(ctx.db)).map((a) => ({ ...a, selected: form.who === String(a.id) })),
          kinds: AUDIT_KINDS.map((k) => ({ id: k, selected: form.kind === k })),
          rows: pageRows.map(auditRow),
          nextHref: rows.length > PAGE_SIZE ? `/admin/audit?${auditQueryString(form, { before: String(pageRows[pageRows.length - 1].id) })}` : null,
          firstHref: before !== undefined ? `/admin/audit?${auditQueryString(form)}` : null,
          csvHref: `/admin/audit.csv?${auditQueryString(form)}`,
        }, { partial: 'audit-list' });
      });

      r.get('/admin/audit.csv', async (req, res) => {
        const me = currentUser(res);
        const { filter } = parseAuditQuery(req.query as Record<string, unknown>, me.timeZone);
        const t = web(res).t;
        res.attachment(`audit-log-${localDateTimeOf(ctx.clock.now(), me.timeZone).date}.csv`);
        res.type('text/csv; charset=utf-8');
        const header = ['when', 'who', 'whoId', 'kind', 'id', 'label', 'action', 'changes'].map((c) => t(`audit.csv.${c}`));
        res.write(stringify([header]));
        let before: number | undefined;
        for (;;) {
          const page = await listAuditEntries(ctx.db, filter, { limit: CSV_PAGE, before });
          if (page.length) res.write(stringify(page.map((e) => csvRow(auditRow(e), res, me.timeZone))));
          if (page.length < CSV_PAGE) break;
          before = page[page.length - 1].id;
        }
        res.end();
      });
      return r;
    },
  };
}
