// The queue (any view, filters and text, hence any saved view) as a CSV or XLSX download: the rows
// stream out page by page through the same keyset path the console uses, so a million tickets
// take bounded memory; the headers speak the person's language and times are in their zone. The
// browser saves the file itself; with ?progress=<id> the page can ask how far it has got.
import { once } from 'node:events';
import { Router, type Request, type Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Ctx } from '../../actions/context.ts';
import { filterFor, runQueue } from '../../actions/queue.ts';
import { parseQueueQuery } from '../../domain/queue-query.ts';
import { zonedParts } from '../../domain/zoned-time.ts';
import { EXPORT_TYPES, safeCell, type ExportFormat } from '../../reports/kit/exports.ts';
import type { Ticket } from '../../store/tickets.ts';
import { currentUser, web } from '../context.ts';
import { requirePermission } from '../middleware/auth.ts';
import { listComponentOptions } from '../../store/components.ts';
import { countQueue } from '../../store/queue.ts';
import { listContactNames } from '../../store/contacts.ts';
import { listOrganizationsByIds } from '../../store/organization-names.ts';
import { listUserOptions } from '../../store/users.ts';
import { EXPORT_PROGRESS_ID, exportProgressRegistry, type ExportProgressRegistry, type ExportTracker } from './export-progress.ts';

/** The names a page of rows needs: people and components read once per download, contacts and organisations per page. */
type Names = { users: Map<number, string>; components: Map<number, string>; contacts: Map<number, string>; organizations: Map<number, string> };

// rows per page: a page's rows live across the awaits for the connection, and 2,000 of them were
// promoted to the old space, which grew the heap by tens of MB over a million rows (250: 21 s and a
// peak RSS of 251–255 MB alone, against 25–29 s and 277–286 MB)
const PAGE = 250;
const COUNT_CAP = 100_000_000;
const COLUMNS = ['number', 'subject', 'status', 'priority', 'type', 'category', 'channel', 'organization', 'requester', 'assignee', 'component', 'created', 'updated', 'resolved', 'due', 'logged', 'estimate'] as const;
const NONE = 9007199254740991; // no SLA time pending
const PROGRESS_KEEP_MS = 15 * 60_000;
const PROGRESS_MAX = 1000;

type Cell = string | number | null;

/** "2026-11-05 14:30" in the zone: a spreadsheet reads it as a date and time. */
function localTime(ms: number | null, timeZone: string): string | null {
  if (ms === null || ms >= NONE) return null;
  const p = zonedParts(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.y}-${two(p.m)}-${two(p.d)} ${two(p.hh)}:${two(p.mm)}`;
}

function rowOf(t: Ticket, names: Names, label: (key: string) => string, timeZone: string): Cell[] {
  const hours = (m: number | null) => (m === null ? null : Math.round((m / 60) * 100) / 100);
  return [
    t.number, t.subject, label(`status.${t.status}`), label(`priority.${t.priority}`), label(`type.${t.type}`), t.category ? label(`category.${t.category}`) : null,
    label(`channel.${t.channel}`), t.organizationId ? (names.organizations.get(t.organizationId) ?? null) : null, t.requesterId ? (names.contacts.get(t.requesterId) ?? null) : null,
    t.assigneeId ? (names.users.get(t.assigneeId) ?? null) : null, t.componentId ? (names.components.get(t.componentId) ?? null) : null,
    localTime(t.createdAt, timeZone), localTime(t.lastActivityAt, timeZone), localTime(t.doneAt ?? null, timeZone), localTime(t.slaDueKey ?? null, timeZone),
    hours(t.loggedMinutes), hours(t.estimateMinutes),
  ].map((v) => safeCell(v));
}

/**
 * Until the person's connection takes more, or is gone (a download cancelled in the browser): the
 * rows wait for neither forever.
 */
async function drained(res: Response): Promise<void> {
  if (res.destroyed) return;
  const stop = new AbortController();
  // the wait that loses is called off (and its rejection, as the one that errors, swallowed)
  const wait = (event: string) => once(res, event, { signal: stop.signal }).catch(() => undefined);
  await Promise.race([wait('drain'), wait('close')]);
  stop.abort();
}

/** Where the rows go: the response, written as CSV text or as an XLSX workbook being zipped. */
type Sink = { rows(rows: Cell[][]): Promise<void>; end(): Promise<void> };

function csvSink(res: Response, header: string[]): Sink {
  const write = async (text: string) => {
    // the person's connection sets the pace: wait for it rather than hold the rows in memory
    if (!res.write(text)) await drained(res);
  };
  let first = true;
  return {
    async rows(rows) {
      if (first) await write(stringify([header]));
      first = false;
      await write(stringify(rows));
    },
    async end() {
      if (first) res.write(stringify([header]));
      res.end();
    },
  };
}

function xlsxSink(res: Response, header: string[], sheetName: string): Sink {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  const sheet = book.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = header.map((h, i) => ({ header: h, key: COLUMNS[i], width: i === 1 ? 48 : 16 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  return {
    async rows(rows) {
      for (const cells of rows) sheet.addRow(cells).commit();
      if (res.writableNeedDrain) await drained(res);
    },
    async end() {
      sheet.commit();
      await book.commit();
    },
  };
}

/** The download's progress under the id its page chose (none without a valid one): the rows the sink
 * was given, done once the last byte went out, failed when the connection closes before that. */
function trackDownload(progress: ExportProgressRegistry, userId: number, id: unknown, res: Response): ExportTracker | null {
  if (typeof id !== 'string' || !EXPORT_PROGRESS_ID.test(id)) return null;
  const tracker = progress.start(userId, id);
  res.on('finish', () => tracker.done());
  res.on('close', () => tracker.failed()); // after 'finish' this is no news
  return tracker;
}

async function sendQueue(ctx: Ctx, req: Request, res: Response, format: ExportFormat, tracker: ExportTracker | null): Promise<void> {
  const me = currentUser(res);
  const w = web(res);
  const q = { ...parseQueueQuery(req.query as Record<string, unknown>), cursor: null as string | null };
  const f = await filterFor(ctx, q, me);
  const header = COLUMNS.map((c) => {
    const h = w.t(`queue.export.columns.${c}`);
    return c === 'logged' || c === 'estimate' ? `${h}, ${w.t('reportKit.hoursUnit')}` : h;
  });
  const stamp = localTime(ctx.clock.now(), me.timeZone)!.slice(0, 10);
  res.attachment(`tickets-${q.view}-${stamp}.${format}`);
  res.type(EXPORT_TYPES[format]);
  // how many rows are coming, in a header for any client and in the download's progress for the
  // queue page (a text search has no exact count before it runs: the page then counts without a total)
  const total = q.q ? null : await countQueue(ctx.db, f, COUNT_CAP);
  if (total !== null) res.set('X-Total-Count', String(total));
  tracker?.total(total);
  const sink = format === 'csv' ? csvSink(res, header) : xlsxSink(res, header, w.t('queue.title'));
  const users = new Map((await listUserOptions(ctx.db)).map((u) => [u.id, u.name]));
  const components = new Map((await listComponentOptions(ctx.db)).map((c) => [c.id, c.name]));
  // a handful of labels (statuses, priorities…) for every row: translated once each
  const labels = new Map<string, string>();
  const label = (key: string) => {
    let l = labels.get(key);
    if (l === undefined) labels.set(key, (l = w.t(key)));
    return l;
  };
  let cursor: string | null = null;
  let sent = 0;
  do {
    const page = await runQueue(ctx, { ...q, cursor }, f, PAGE);
    const ids = <K extends 'requesterId' | 'organizationId'>(k: K) => [...new Set(page.rows.flatMap((t) => (t[k] ? [t[k] as number] : [])))];
    const names: Names = {
      users, components,
      contacts: new Map((await listContactNames(ctx.db, ids('requesterId'))).map((c) => [c.id, c.name])),
      organizations: new Map((await listOrganizationsByIds(ctx.db, ids('organizationId'))).map((o) => [o.id, o.name])),
    };
    await sink.rows(page.rows.map((t) => rowOf(t, names, label, me.timeZone)));
    tracker?.rows((sent += page.rows.length));
    cursor = page.next;
  } while (cursor !== null && !res.destroyed);
  await sink.end();
}

export function queueExportRoutes(ctx: Ctx): Router {
  const r = Router();
  const progress = exportProgressRegistry({ now: () => ctx.clock.now(), keepMs: PROGRESS_KEEP_MS, max: PROGRESS_MAX });
  // the page's script asks here while the browser saves the file (three segments: /tickets/:number
  // does not take it, and this router is mounted before the ticket page's)
  r.get('/tickets/export-progress/:id', requirePermission('ticket.view'), (req, res) => {
    // a download the desk has not heard of (yet, or someone else's) is "unknown" rather than a 404:
    // the page may ask before its download's request arrives, and browsers report every 404
    const found = progress.find(currentUser(res).id, String(req.params.id));
    res.set('Cache-Control', 'no-store');
    res.json(found ?? { rows: 0, total: null, state: 'unknown' });
  });
  for (const format of ['csv', 'xlsx'] as const satisfies ExportFormat[]) {
    r.get(`/tickets.${format}`, requirePermission('ticket.view'), async (req, res) => {
      const tracker = trackDownload(progress, currentUser(res).id, req.query.progress, res);
      try {
        await sendQueue(ctx, req, res, format, tracker);
      } catch (err) {
        tracker?.failed();
        // the file has begun: end the connection, so the browser's download fails rather than waits
        if (res.headersSent) return void res.destroy(err as Error);
        throw err;
      }
    });
  }
  return r;
}
