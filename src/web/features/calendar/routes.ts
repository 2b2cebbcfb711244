// The calendar of work: a month or a week of the due dates, planned work and SLA deadlines of open
// tickets, of one person (yourself by default) or one component, narrowed by type, priority,
// organisation and kind, in your time zone, also as CSV and XLSX downloads; and each
// person's iCalendar feed of their own at an address with a signature, for calendar apps that
// cannot sign in.
import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { createEvents, type EventAttributes } from 'ics';
import type { Ctx } from '../../../actions/context.ts';
import { calendarFeedToken, calendarFeedUser, checkCalendarFeedToken } from '../../../domain/calendar-feed.ts';
import { calendarGrid, parseCalendarDate } from '../../../domain/calendar-grid.ts';
import { AppError } from '../../../domain/errors.ts';
import { localDateOf, zonedParts } from '../../../domain/zoned-time.ts';
import { PRIORITIES, TICKET_TYPES } from '../../../domain/vocabulary.ts';
import { EXPORT_FORMATS, EXPORT_TYPES, reportCsv, writeReportXlsx } from '../../../reports/kit/exports.ts';
import type { ReportViewer } from '../../../reports/report.ts';
import { CALENDAR_FAMILIES, CALENDAR_KIND_LABEL, calendarFamily, listCalendarItems, type CalendarItem } from '../../../store/calendar-items.ts';
import { listOrganizationOptions } from '../../../store/organization-names.ts';
import { label } from '../../../i18n/labels.ts';
import { listComponents } from '../../../store/components.ts';
import { findSetting, upsertSetting } from '../../../store/settings.ts';
import { findUser, listUserOptions, type User } from '../../../store/users.ts';
import type { WebRouter } from '../../app.ts';
import { currentUser, web } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import type { Renderer } from '../../render.ts';
import { calendarAssignee, calendarFilterOf, calendarFilterParams, calendarFilters, type CalendarFilters } from './filters.ts';
import { CALENDAR_MAX_ITEMS, calendarTable, listNamedCalendarItems } from './items.ts';


const FEED_PAST_MS = 7 * 86_400_000;
const FEED_AHEAD_MS = 90 * 86_400_000;
const nonceKey = (userId: number) => `calendar_feed.${userId}`;

async function feedNonce(ctx: Ctx, userId: number, renew = false): Promise<string> {
  const kept = renew ? undefined : await findSetting<string>(ctx.db, nonceKey(userId));
  if (kept) return kept;
  const fresh = randomBytes(12).toString('base64url');
  await upsertSetting(ctx.db, nonceKey(userId), fresh, ctx.clock.now());
  return fresh;
}

const hhmm = (ms: number, timeZone: string) => {
  const p = zonedParts(ms, timeZone);
  return `${String(p.hh).padStart(2, '0')}:${String(p.mm).padStart(2, '0')}`;
};

/** One item as a day of the page shows it: its time (planned work: its span), its kind in words and its mark. */
function dayItem(it: CalendarItem, timeZone: string) {
  const end = it.minutes === null ? null : it.at + it.minutes * 60_000;
  const family = calendarFamily(it.kind);
  return {
    ...it, href: `/tickets/${it.number}`, family, familyKey: `calendar.kind.${family}`, kindKey: `workflow.${CALENDAR_KIND_LABEL[it.kind]}`,
    time: hhmm(it.at, timeZone), until: end === null ? null : hhmm(end, timeZone),
  };
}

/** The month or week a request names (this month by default, in the person's zone) and its filters. */
function calendarRequest(ctx: Ctx, query: Request['query'], me: User) {
  const view: 'month' | 'week' = query.view === 'week' ? 'week' : 'month';
  const grid = calendarGrid(view, parseCalendarDate(query.date) ?? localDateOf(ctx.clock.now(), me.timeZone), me.timeZone);
  const filters = calendarFilters.parse(query);
  const keep = (path: string, patch: Record<string, string> = {}) => {
    const p = new URLSearchParams([['view', view], ['date', grid.days[view === 'week' ? 0 : 10].key], ...calendarFilterParams(filters, me.id)]);
    for (const [k, v] of Object.entries(patch)) p.set(k, v);
    return `${path}?${p.toString()}`;
  };
  return { view, grid, filters, keep };
}

/** The filter form's choices, the current ones selected. */
async function filterForm(ctx: Ctx, w: ReturnType<typeof web>, f: CalendarFilters, who: number | undefined) {
  const pick = <T extends string>(values: readonly T[], current: T | undefined) => values.map((v) => ({ id: v, selected: v === current }));
  return {
    agents: [{ id: 'all', name: w.t('calendar.everyone'), selected: who === undefined && f.component === undefined }, ...(await listUserOptions(ctx.db, { activeOnly: true })).map((u) => ({ id: String(u.id), name: u.name, selected: u.id === who }))],
    components: (await listComponents(ctx.db)).map((c) => ({ id: c.id, name: c.name, selected: c.id === f.component })),
    organizations: (await listOrganizationOptions(ctx.db)).map((o) => ({ ...o, selected: o.id === f.org })),
    types: pick(TICKET_TYPES, f.type),
    priorities: pick(PRIORITIES, f.priority),
    kinds: CALENDAR_FAMILIES.map((k) => ({ id: k, checked: !f.kind || f.kind.includes(k) })),
  };
}

function pageRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  r.get('/calendar', requirePermission('ticket.view'), async (req, res) => {
    const me = currentUser(res);
    const w = web(res);
    const { view, grid, filters, keep } = calendarRequest(ctx, req.query, me);
    const who = calendarAssignee(filters, me.id);
    const { items, truncated } = await listNamedCalendarItems(ctx, calendarFilterOf(filters, me.id, grid.from, grid.to));
    const byDay = new Map<string, CalendarItem[]>();
    for (const it of items) {
      const day = grid.days.find((d) => it.at >= d.from && it.at < d.to);
      if (day) byDay.set(day.key, [...(byDay.get(day.key) ?? []), it]);
    }
    const nonce = await feedNonce(ctx, me.id);
    render(req, res, 'calendar', {
      title: w.t('calendar.title'),
      view,
      heading: grid.key,
      prevHref: keep('/calendar', { date: grid.prev }),
      nextHref: keep('/calendar', { date: grid.next }),
      monthHref: keep('/calendar', { view: 'month' }),
      weekHref: keep('/calendar', { view: 'week' }),
      form: await filterForm(ctx, w, filters, who),
      narrowed: [filters.type, filters.priority, filters.org, filters.kind].some((v) => v !== undefined),
      truncated: truncated ? CALENDAR_MAX_ITEMS : null,
      downloads: { csv: keep('/calendar.csv'), xlsx: keep('/calendar.xlsx') },
      weeks: Array.from({ length: grid.days.length / 7 }, (_, i) => grid.days.slice(i * 7, i * 7 + 7).map((d) => ({
        key: d.key, day: Number(d.key.slice(8)), inMonth: d.inMonth, weekend: d.weekday >= 5,
        items: (byDay.get(d.key) ?? []).map((it) => dayItem(it, me.timeZone)),
      }))),
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      kinds: CALENDAR_FAMILIES,
      feedUrl: `${ctx.config.publicUrl}/calendar/feed/${calendarFeedToken(ctx.secrets.token, me.id, nonce)}.ics`,
    });
  });

  // the page's items (the same month or week and filters) as a download, one row per item
  for (const format of EXPORT_FORMATS) {
    r.get(`/calendar.${format}`, requirePermission('ticket.view'), async (req, res) => {
      const me = currentUser(res);
      const w = web(res);
      const viewer: ReportViewer = { locale: w.locale, t: (key) => w.t(key) };
      const { grid, filters } = calendarRequest(ctx, req.query, me);
      const { items } = await listNamedCalendarItems(ctx, calendarFilterOf(filters, me.id, grid.from, grid.to));
      const table = calendarTable(items, me.timeZone, viewer);
      res.attachment(`calendar-${grid.key}.${format}`);
      res.type(EXPORT_TYPES[format]);
      if (format === 'csv') res.send(reportCsv('calendar', table, viewer));
      else await writeReportXlsx(res, 'calendar', `${w.t('calendar.title')} ${grid.key}`, table, viewer);
    });
  }

  r.post('/calendar/feed', requirePermission('ticket.view'), async (_req, res) => {
    await feedNonce(ctx, currentUser(res).id, true);
    res.redirect(303, '/calendar');
  });
  return r;
}

function feedRoutes(ctx: Ctx): Router {
  const r = Router();
  r.get('/calendar/feed/:token.ics', async (req, res) => {
    const token = req.params.token;
    const userId = calendarFeedUser(token);
    const user: User | undefined = userId === undefined ? undefined : await findUser(ctx.db, userId);
    const nonce = user ? await findSetting<string>(ctx.db, nonceKey(user.id)) : undefined;
    if (!user || !user.active || !nonce || !checkCalendarFeedToken(ctx.secrets.token, token, nonce)) throw new AppError('not_found', 'No such calendar');
    const now = ctx.clock.now();
    const items = await listCalendarItems(ctx.db, { from: now - FEED_PAST_MS, to: now + FEED_AHEAD_MS, assigneeId: user.id });
    const events: EventAttributes[] = items.map((it) => ({
      uid: `${it.kind}-${it.ticketId}@${new URL(ctx.config.publicUrl).host}`,
      // planned work lasts its estimate; a due date or a deadline is a moment, shown as a quarter of an hour
      start: it.at, startInputType: 'utc', startOutputType: 'utc', duration: { minutes: it.minutes ?? 15 },
      title: `#${it.number} ${it.subject} (${label(ctx.locales, user.locale, CALENDAR_KIND_LABEL[it.kind])})`,
      categories: [label(ctx.locales, user.locale, CALENDAR_KIND_LABEL[it.kind])],
      url: `${ctx.config.publicUrl}/tickets/${it.number}`,
      description: `${ctx.config.publicUrl}/tickets/${it.number}`,
    }));
    const out = createEvents(events, { calName: `${ctx.config.deskName}: ${user.name}`, productId: 'helpdesk' });
    if (out.error || out.value === undefined) throw out.error ?? new Error('calendar feed: nothing made');
    res.type('text/calendar; charset=utf-8').send(out.value);
  });
  return r;
}

export function calendarRouters(ctx: Ctx): WebRouter[] {
  return [
    { auth: 'public', build: () => feedRoutes(ctx) },
    { auth: 'user', build: ({ render }) => pageRoutes(ctx, render) },
  ];
}
