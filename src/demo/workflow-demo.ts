// Demo data for the workflow: a Moscow business calendar with the 2026 Russian production
// calendar, a default SLA policy, and the demo contracts pointed at it; and a round-the-clock
// policy for a client whose warehouse never closes (its tickets can be at risk at any hour).
import type { Ctx } from '../actions/context.ts';
import { inTransaction } from '../db/client.ts';
import type { Interval } from '../domain/business-calendar.ts';
import { parseCalendarImport } from '../domain/calendar-import.ts';
import { insertCalendar, listCalendars, upsertCalendarException } from '../store/calendars.ts';
import { listOrganizations, updateOrganization } from '../store/organizations.ts';
import { insertSlaPolicy, listSlaPolicies, upsertSlaTarget } from '../store/sla-policies.ts';
import { updateDefaultSlaPolicyId } from '../store/workflow-settings.ts';

// data.gov.ru format: days off per month, * a shortened pre-holiday day, + a transferred day off
const RU_2026 = [
  'Год/Месяц,Январь,Февраль,Март,Апрель,Май,Июнь,Июль,Август,Сентябрь,Октябрь,Ноябрь,Декабрь,Всего рабочих дней,Всего праздничных и выходных дней',
  '2026,"1,2,3,4,5,6,7,8,9+,10,11,17,18,24,25,31","1,7,8,14,15,21,22,23,28","1,7,8,9,14,15,21,22,28,29","4,5,11,12,18,19,25,26,30*","1,2,3,9,10,11,16,17,23,24,30,31","6,7,11*,12,13,14,20,21,27,28","4,5,11,12,18,19,25,26","1,2,8,9,15,16,22,23,29,30","5,6,12,13,19,20,26,27","3,4,10,11,17,18,24,25,31","1,3*,4,7,8,14,15,21,22,28,29","5,6,12,13,19,20,26,27,31+",247,118',
].join('\n');

const H = 60;
// business minutes: first response, resolution, internal first response, internal resolution
const TARGETS = { low: [8 * H, 40 * H, null, null], normal: [4 * H, 16 * H, 2 * H, 12 * H], high: [H, 8 * H, 30, 6 * H], urgent: [30, 4 * H, 15, 3 * H] } as const;
export const ROUND_THE_CLOCK_POLICY = 'Warehouse 24/7';

async function insertTargets(ctx: Ctx, policyId: number): Promise<void> {
  for (const [priority, [fr, res, ifr, ires]] of Object.entries(TARGETS)) {
    await upsertSlaTarget(ctx.db, policyId, {
      priority: priority as keyof typeof TARGETS, firstResponseMinutes: fr, nextResponseMinutes: null, resolutionMinutes: res,
      internalFirstResponseMinutes: ifr, internalResolutionMinutes: ires,
    });
  }
}

/** The calendar and policies; `aroundTheClock` names the organisations on the round-the-clock policy. */
export async function seedWorkflowDemo(ctx: Ctx, opts: { aroundTheClock?: string[] } = {}): Promise<void> {
  const now = ctx.clock.now();
  if (!(await listCalendars(ctx.db)).length) {
    const day: Interval[] = [['09:00', '18:00']];
    const weeklyHours = [day, day, day, day, day, [], []];
    await inTransaction(ctx.db, async () => {
      const cal = await insertCalendar(ctx.db, { name: 'Москва, 5/2', timeZone: 'Europe/Moscow', weeklyHours }, now);
      for (const e of parseCalendarImport(RU_2026, weeklyHours).exceptions) await upsertCalendarException(ctx.db, cal.id, e);
      const policy = await insertSlaPolicy(ctx.db, { name: 'Standard', calendarId: cal.id, warningPercent: 80, pauseOnThirdParty: false, escalationMinutes: 240 }, now);
      await insertTargets(ctx, policy.id);
      await updateDefaultSlaPolicyId(ctx.db, policy.id, now);
      for (const org of await listOrganizations(ctx.db)) if (!org.slaPolicyId) await updateOrganization(ctx.db, org.id, { slaPolicyId: policy.id }, now);
    });
  }
  if ((await listSlaPolicies(ctx.db)).some((p) => p.name === ROUND_THE_CLOCK_POLICY)) return;
  await inTransaction(ctx.db, async () => {
    // no calendar: the clock counts every hour of every day
    const policy = await insertSlaPolicy(ctx.db, { name: ROUND_THE_CLOCK_POLICY, calendarId: null, warningPercent: 80, pauseOnThirdParty: false, escalationMinutes: 120 }, now);
    await insertTargets(ctx, policy.id);
    for (const org of await listOrganizations(ctx.db)) {
      if (opts.aroundTheClock?.includes(org.name)) await updateOrganization(ctx.db, org.id, { slaPolicyId: policy.id }, now);
    }
  });
}
