// The response and resolution times kept on tickets, on a desk in Moscow whose answers are known by
// construction: an office calendar (Mon–Fri 09:00–18:00) behind the default SLA policy, tickets
// answered and resolved over nights. Measured by the scheduler's pass; forgotten by the trigger when
// a ticket is resolved again or its clock's policy changes; all forgotten and measured again by the
// new hours when the calendar changes, the report measuring every ticket itself meanwhile.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { seedSla } from '../../test/helpers/workflow.ts';
import { createTicket, replyToTicket, writeStatus } from '../actions/tickets.ts';
import type { Interval, WeeklyHours } from '../domain/business-calendar.ts';
import { schedulerTick } from '../roles/scheduler.ts';
import { buildServices, type Services } from '../services.ts';
import { updateCalendar } from './calendars.ts';
import { getTicket, type Ticket } from './tickets.ts';
import { eachTuple, forgetTicketTimes, keptTimesUsable, loadTimesCalendars, measureTicketTimes } from './ticket-times.ts';
import { insertUser, type User } from './users.ts';

const at = (iso: string) => Date.parse(iso);

describe('the response and resolution times kept on tickets', () => {
  let deps: TestDeps;
  let s: Services;
  let agent: User;
  let calendarId: number;
  let a: Ticket;
  let b: Ticket;
  let c: Ticket;

  const kept = async () => {
    const rows = await deps.db.all<{ id: number | string; fr: number | string | null; res: number | string | null }>(
      sql`select id, fr_minutes as fr, res_minutes as res from tickets order by id`);
    return rows.map((r) => [Number(r.id), r.fr === null ? null : Number(r.fr), r.res === null ? null : Number(r.res)]);
  };
  const usable = async () => await keptTimesUsable(deps.db, await loadTimesCalendars(deps.db, s.ctx.calendars));
  const as = () => ({ kind: 'user', user: agent }) as const;
  const act = async (when: string, fn: () => Promise<unknown>) => {
    deps.clock.set(at(when));
    await fn();
  };

  beforeAll(async () => {
    deps = await makeTestDeps({ TIME_ZONE: 'Europe/Moscow' });
    s = buildServices(deps);
    deps.clock.set(at('2026-10-30T09:00:00Z'));
    agent = await insertUser(deps.db, { email: 'anna@desk.test', name: 'Anna', role: 'agent', passwordHash: null }, deps.clock.now());
    calendarId = (await seedSla(s.ctx, { firstResponse: 60, resolution: 480 })).calendar.id;
    // times in UTC; Moscow is 3 hours ahead. A: Monday 10:00, answered 10:20, resolved 13:00.
    // B: Monday 17:00, answered Tuesday 09:45 (1 h + 45 min), resolved Tuesday 15:00. C: Tuesday 11:00, not answered.
    const open = async (when: string, subject: string) => {
      deps.clock.set(at(when));
      return await createTicket(s.ctx, as(), { subject, body: 'x', requesterEmail: 'ann@acme.example' });
    };
    a = await open('2026-11-02T07:00:00Z', 'A');
    await act('2026-11-02T07:20:00Z', () => replyToTicket(s.ctx, as(), { ticketId: a.id, body: 'On it' }));
    await act('2026-11-02T10:00:00Z', async () => writeStatus(s.ctx, as(), await getTicket(deps.db, a.id), 'resolved', 'Done'));
    b = await open('2026-11-02T14:00:00Z', 'B');
    await act('2026-11-03T06:45:00Z', () => replyToTicket(s.ctx, as(), { ticketId: b.id, body: 'On it' }));
    await act('2026-11-03T12:00:00Z', async () => writeStatus(s.ctx, as(), await getTicket(deps.db, b.id), 'resolved', 'Done'));
    c = await open('2026-11-03T08:00:00Z', 'C');
  });
  afterAll(() => deps?.close());

  it('are measured by the scheduler in business minutes, and read only once measured by the calendars of now', async () => {
    expect(await kept()).toEqual([[a.id, null, null], [b.id, null, null], [c.id, null, null]]);
    expect(await usable()).toBe(false);
    expect((await schedulerTick(s.ctx)).timesMeasured).toBe(2);
    expect(await kept()).toEqual([[a.id, 20, 180], [b.id, 105, 420], [c.id, null, null]]);
    expect(await usable()).toBe(true);
    expect((await schedulerTick(s.ctx)).timesMeasured).toBe(0);
  });

  it('are forgotten when the ticket is resolved again, or its clock changes policy, and measured again', async () => {
    // A reopened on Wednesday and resolved again at 12:00: 8 h on Monday, 9 h on Tuesday, 3 h on Wednesday
    await act('2026-11-04T08:00:00Z', async () => writeStatus(s.ctx, as(), await getTicket(deps.db, a.id), 'reopened', 'Again'));
    expect((await kept())[0]).toEqual([a.id, null, null]);
    await act('2026-11-04T09:00:00Z', async () => writeStatus(s.ctx, as(), await getTicket(deps.db, a.id), 'resolved', 'Done'));
    // an answer to C: measured from nothing, the others keep theirs
    await act('2026-11-04T10:00:00Z', () => replyToTicket(s.ctx, as(), { ticketId: c.id, body: 'On it' }));
    expect(await kept()).toEqual([[a.id, null, null], [b.id, 105, 420], [c.id, null, null]]);
    expect(await measureTicketTimes(deps.db, s.ctx.calendars, deps.clock.now())).toBe(2);
    expect(await kept()).toEqual([[a.id, 20, (8 + 9 + 3) * 60], [b.id, 105, 420], [c.id, (7 + 4) * 60, null]]);
    // a clock of another policy: its times are forgotten; the same policy written again keeps them
    const clockOf = async (id: number) => (await getTicket(deps.db, id)).slaState as { clock: { policyId: number } };
    const same = await clockOf(b.id);
    await deps.db.run(sql`update tickets set sla_state = ${JSON.stringify({ ...same, note: 1 })} where id = ${b.id}`);
    expect((await kept())[1]).toEqual([b.id, 105, 420]);
    await deps.db.run(sql`update tickets set sla_state = ${JSON.stringify({ ...same, clock: { ...same.clock, policyId: same.clock.policyId + 100 } })} where id = ${b.id}`);
    expect((await kept())[1]).toEqual([b.id, null, null]);
    await deps.db.run(sql`update tickets set sla_state = ${JSON.stringify(same)} where id = ${b.id}`);
    expect(await measureTicketTimes(deps.db, s.ctx.calendars, deps.clock.now())).toBe(1);
    expect((await kept())[1]).toEqual([b.id, 105, 420]);
  });

  it('are all measured again by the new hours when the calendar changes', async () => {
    // the office opens at 08:00 from now on: B's first answer took 1 h + 1 h 45 min, A's resolution 8 h + 10 h + 4 h, C's answer 7 h + 5 h
    const eight: WeeklyHours = Array.from({ length: 7 }, (_, i): Interval[] => (i < 5 ? [['08:00', '18:00']] : []));
    deps.clock.set(at('2026-11-05T09:00:00Z'));
    await updateCalendar(deps.db, calendarId, { weeklyHours: eight }, deps.clock.now());
    expect(await usable()).toBe(false);
    // a pass out of time after forgetting (one range of ids here) measures nothing: every time is unread, then measured anew
    expect(await measureTicketTimes(deps.db, s.ctx.calendars, deps.clock.now(), { deadline: 0 })).toBe(0);
    expect(await kept()).toEqual([[a.id, null, null], [b.id, null, null], [c.id, null, null]]);
    expect(await measureTicketTimes(deps.db, s.ctx.calendars, deps.clock.now())).toBe(3);
    expect(await usable()).toBe(true);
    expect(await kept()).toEqual([[a.id, 20, (8 + 10 + 4) * 60], [b.id, 165, 480], [c.id, (7 + 5) * 60, null]]);
    expect(await forgetTicketTimes(deps.db, deps.clock.now())).toBe(3);
    expect(await usable()).toBe(false);
    expect(await measureTicketTimes(deps.db, s.ctx.calendars, deps.clock.now())).toBe(3);
    expect(await usable()).toBe(true);
  });
});

describe('the times as the database joins them into one text', () => {
  it('reads whole numbers, so many a ticket, an empty place as null, and refuses anything else', () => {
    const got: (number | null)[][] = [];
    eachTuple('12 0 1440  7 ', 3, (v) => got.push([...v]));
    expect(got).toEqual([[12, 0, 1440], [null, 7, null]]);
    eachTuple('', 3, () => got.push([]));
    expect(got).toHaveLength(2);
    eachTuple('2 1796564403460  1796564403461 4', 5, (v) => got.push([...v]));
    expect(got[2]).toEqual([2, 1796564403460, null, 1796564403461, 4]);
    expect(() => eachTuple('1 -5 3', 3, () => undefined)).toThrow(/not a whole number/);
  });
});
