// The calendar of work: a month or a week of the due dates, planned work and SLA deadlines of open
// tickets, of one person (yourself by default) or one component, in your time zone; and each
// person's iCalendar feed of their own at an address with a signature, for calendar apps that
// cannot sign in.
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { createEvents, type EventAttributes } from 'ics';
import type { Ctx } from '../../../actions/context.ts';
import { calendarFeedToken, calendarFeedUser, checkCalendarFeedToken } from '../../../domain/calendar-feed.ts';
import { calendarGrid, parseCalendarDate } from '../../../domain/calendar-grid.ts';
import { AppError } from '../../../domain/errors.ts';
import { localDateOf, zonedParts } from '../../../domain/zoned-time.ts';
import { CALENDAR_KIND_LABEL, listCalendarItems, type CalendarItem, type CalendarKind } from '../../../store/calendar-items.ts';
import { label } from '../../../i18n/labels.ts';
import { listComponents } from '../../../store/components.ts';
import { findSetting, upsertSetting } from '../../../store/settings.ts';
import { findUser, listUserOptions, type User } from '../../../store/users.ts';
import type { WebRouter } from '../../app.ts';
import { currentUser, web } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import type { Renderer } from '../../render.ts';


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

/** Which of the three a kind is, for the page's marks and styles: a due date, planned work, an SLA deadline. */
const family = (kind: CalendarKind) => (kind === 'due' || kind === 'planned' ? kind : 'sla');

/** One item as a day of the page shows it: its time (planned work: its span), its kind in words and its mark. */
function dayItem(it: CalendarItem, timeZone: string) {
  const end = it.minutes === null ? null : it.at + it.minutes * 60_000;
  return {
    ...it, href: `/tickets/${it.number}`, family: family(it.kind), familyKey: `calendar.kind.${family(it.kind)}`, kindKey: `workflow.${CALENDAR_KIND_LABEL[it.kind]}`,
    time: hhmm(it.at, timeZone), until: end === null ? null : hhmm(end, timeZone),
  };
}

function pageRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  r.get('/calendar', requirePermission('ticket.view'), async (req, res) => {
    const me = currentUser(res);
    const w = web(res);
    const view = req.query.view === 'week' ? 'week' : 'month';
    const date = parseCalendarDate(req.query.date) ?? localDateOf(ctx.clock.now(), me.timeZone);
    const grid = calendarGrid(view, date, me.timeZone);
    // yourself by default; "all" for everyone; a component instead of a person
    const component = typeof req.query.component === 'string' && /^\d{1,9}$/.test(req.query.component) ? Number(req.query.component) : undefined;
    const who = req.query.agent === 'all' || component !== undefined ? undefined : typeof req.query.agent === 'string' && /^\d{1,9}$/.test(req.query.agent) ? Number(req.query.agent) : me.id;
    const items = await listCalendarItems(ctx.db, { from: grid.from, to: grid.to, assigneeId: who, componentId: component });
    const byDay = new Map<string, CalendarItem[]>();
    for (const it of items) {
      const day = grid.days.find((d) => it.at >= d.from && it.at < d.to);
      if (day) byDay.set(day.key, [...(byDay.get(day.key) ?? []), it]);
    }
    const keep = (patch: Record<string, string>) => {
      const p = new URLSearchParams({ view, date: grid.days[view === 'week' ? 0 : 10].key, ...(component !== undefined ? { component: String(component) } : { agent: who === undefined ? 'all' : String(who) }), ...patch });
      return `/calendar?${p.toString()}`;
    };
    const nonce = await feedNonce(ctx, me.id);
    render(req, res, 'calendar', {
      title: w.t('calendar.title'),
      view,
      heading: grid.key,
      prevHref: keep({ date: grid.prev }),
      nextHref: keep({ date: grid.next }),
      monthHref: keep({ view: 'month' }),
      weekHref: keep({ view: 'week' }),
      agents: [{ id: 'all', name: w.t('calendar.everyone'), selected: who === undefined && component === undefined }, ...(await listUserOptions(ctx.db, { activeOnly: true })).map((u) => ({ id: String(u.id), name: u.name, selected: u.id === who }))],
      components: (await listComponents(ctx.db)).map((c) => ({ id: c.id, name: c.name, selected: c.id === component })),
      weeks: Array.from({ length: grid.days.length / 7 }, (_, i) => grid.days.slice(i * 7, i * 7 + 7).map((d) => ({
        key: d.key, day: Number(d.key.slice(8)), inMonth: d.inMonth, weekend: d.weekday >= 5,
        items: (byDay.get(d.key) ?? []).map((it) => dayItem(it, me.timeZone)),
      }))),
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      kinds: ['due', 'planned', 'sla'],
      feedUrl: `${ctx.config.publicUrl}/calendar/feed/${calendarFeedToken(ctx.secrets.token, me.id, nonce)}.ics`,
    });
  });

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
