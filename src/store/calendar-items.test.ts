// The calendar's items on the engine under test: due dates, planned work (with its length) and SLA
// deadlines of open tickets in a span, of everyone, one assignee or one component; the span's
// start counts and its end does not; closed tickets and paused clocks' deadlines are left out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { component, person, ticket } from '../../test/helpers/factories.ts';
import { buildServices } from '../services.ts';
import { listCalendarItems, type CalendarFilter } from './calendar-items.ts';
import { updateTicket, type Ticket } from './tickets.ts';

const H = 3_600_000;
const FROM = Date.parse('2026-12-01T00:00:00Z');
const TO = Date.parse('2026-12-08T00:00:00Z');

describe('calendar items', () => {
  let deps: TestDeps;
  const t: Record<string, Ticket> = {};
  let anna: number;
  let boris: number;
  let printers: number;
  let network: number;
  const list = async (f: Partial<CalendarFilter> = {}) =>
    (await listCalendarItems(deps.db, { from: FROM, to: TO, ...f })).map((it) => [it.number, it.kind, new Date(it.at).toISOString(), it.minutes]);

  beforeAll(async () => {
    deps = await makeTestDeps();
    deps.clock.set(Date.parse('2026-11-20T12:00:00Z'));
    const s = buildServices(deps);
    const a = await person(s, 'Anna');
    const b = await person(s, 'Boris');
    [anna, boris] = [a.id, b.id];
    printers = (await component(s, 'Printers', [a])).id;
    network = (await component(s, 'Network', [b])).id;
    const now = deps.clock.now();
    const open = async (key: string, patch: Parameters<typeof updateTicket>[2]) => {
      t[key] = await ticket(s, null, { subject: key });
      await updateTicket(deps.db, t[key].id, patch, now);
    };
    // at the span's first instant, planned for 90 minutes; its resolution inside the span
    await open('printer', { assigneeId: anna, componentId: printers, dueAt: FROM + 10 * H, plannedAt: FROM, estimateMinutes: 90, resolutionDueAt: FROM + 30 * H });
    // planned without an estimate (an hour), due at the span's end (left out)
    await open('vpn', { assigneeId: boris, componentId: network, plannedAt: FROM + 50 * H, dueAt: TO });
    // due just before the span ends; the first response still to be given
    await open('laptop', { assigneeId: anna, componentId: network, dueAt: TO - 60_000, firstResponseDueAt: FROM + 2 * H });
    // resolved and closed tickets are not in the calendar, whatever their dates
    await open('resolved', { assigneeId: anna, componentId: printers, status: 'resolved', dueAt: FROM + H, plannedAt: FROM + H, resolutionDueAt: FROM + H });
    await open('closed', { assigneeId: anna, status: 'closed', dueAt: FROM + H });
    // waiting on the requester: no SLA deadlines, but its due date and plan stay
    await open('waiting', { assigneeId: boris, status: 'pending_requester', slaPausedAt: now, resolutionDueAt: FROM + 3 * H, dueAt: FROM + 4 * H, plannedAt: FROM + 5 * H, estimateMinutes: 30 });
    // just before the span
    await open('early', { assigneeId: anna, dueAt: FROM - 1, plannedAt: FROM - H });
  });
  afterAll(() => deps.close());

  const n = (key: string) => t[key].number;
  const iso = (ms: number) => new Date(ms).toISOString();

  it('lists the due dates, planned work and SLA deadlines of open tickets in the span, earliest first', async () => {
    expect(await list()).toEqual([
      [n('printer'), 'planned', iso(FROM), 90],
      [n('laptop'), 'first_response', iso(FROM + 2 * H), null],
      [n('waiting'), 'due', iso(FROM + 4 * H), null],
      [n('waiting'), 'planned', iso(FROM + 5 * H), 30],
      [n('printer'), 'due', iso(FROM + 10 * H), null],
      [n('printer'), 'resolution', iso(FROM + 30 * H), null],
      [n('vpn'), 'planned', iso(FROM + 50 * H), 60],
      [n('laptop'), 'due', iso(TO - 60_000), null],
    ]);
  });

  it('lists one assignee’s or one component’s', async () => {
    expect(await list({ assigneeId: anna })).toEqual([
      [n('printer'), 'planned', iso(FROM), 90],
      [n('laptop'), 'first_response', iso(FROM + 2 * H), null],
      [n('printer'), 'due', iso(FROM + 10 * H), null],
      [n('printer'), 'resolution', iso(FROM + 30 * H), null],
      [n('laptop'), 'due', iso(TO - 60_000), null],
    ]);
    expect((await list({ assigneeId: boris })).map((r) => r[0])).toEqual([n('waiting'), n('waiting'), n('vpn')]);
    expect((await list({ componentId: network })).map((r) => [r[0], r[1]])).toEqual([[n('laptop'), 'first_response'], [n('vpn'), 'planned'], [n('laptop'), 'due']]);
    expect((await list({ componentId: printers, assigneeId: boris }))).toEqual([]);
  });

  it('takes the span’s start and leaves its end to the next span', async () => {
    expect(await list({ from: TO, to: TO + H })).toEqual([[n('vpn'), 'due', iso(TO), null]]);
    expect(await list({ from: FROM - H, to: FROM })).toEqual([[n('early'), 'planned', iso(FROM - H), 60], [n('early'), 'due', iso(FROM - 1), null]]);
  });
});
