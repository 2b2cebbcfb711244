// GET /api/v1/calendar: the console's calendar of work as data, for days rather than a month or a
// week: the same filters, whose work resolved for the token's user as the page resolves it for
// the person signed in, so the API shows what the page would.
import { parseInput } from '../../actions/validate.ts';
import { invalid } from '../../domain/errors.ts';
import { addDays, instantOf, parseDateKey } from '../../domain/zoned-time.ts';
import { calendarFamily } from '../../store/calendar-items.ts';
import { calendarFilterOf } from '../features/calendar/filters.ts';
import { listNamedCalendarItems } from '../features/calendar/items.ts';
import type { ApiRoute } from './routes.ts';
import * as s from './schemas.ts';

/** The longest span of days one request may ask for. */
export const CALENDAR_API_MAX_DAYS = 92;

const iso = (ms: number) => new Date(ms).toISOString();

export const calendarApiRoute: ApiRoute = {
  method: 'get', path: '/calendar', permission: 'ticket.view', tag: 'calendar',
  summary: 'The calendar of work as data: open tickets\' due dates, planned work and SLA deadlines on the days asked, filtered as the console\'s /calendar',
  query: s.calendarQuery, response: s.calendarOut,
  errors: { 422: `from or to is not a date, to is before from, or the days are more than ${CALENDAR_API_MAX_DAYS}` },
  async handle(c) {
    const q = parseInput(s.calendarQuery, c.query);
    const first = parseDateKey(q.from)!;
    const last = parseDateKey(q.to)!;
    const days = Math.round((Date.UTC(last.y, last.m - 1, last.d) - Date.UTC(first.y, first.m - 1, first.d)) / 86_400_000) + 1;
    if (days < 1) throw invalid('to is before from', { to: 'Before from' });
    if (days > CALENDAR_API_MAX_DAYS) throw invalid(`Ask for at most ${CALENDAR_API_MAX_DAYS} days`, { to: 'Too far from from' });
    const tz = c.user.timeZone;
    const from = instantOf(first, 0, tz);
    const to = instantOf(addDays(last, 1), 0, tz);
    const { items, truncated } = await listNamedCalendarItems(c.ctx, calendarFilterOf(q, c.user.id, from, to));
    const url = c.ctx.config.publicUrl;
    return {
      data: items.map((it) => ({
        at: iso(it.at), kind: it.kind, family: calendarFamily(it.kind), minutes: it.minutes, ticket_number: it.number, subject: it.subject, priority: it.priority,
        assignee_id: it.assigneeId, assignee: it.assignee, component_id: it.componentId, component: it.component, organization_id: it.organizationId, organization: it.organization,
        url: `${url}/tickets/${it.number}`,
      })),
      from: iso(from), to: iso(to), truncated,
    };
  },
};
