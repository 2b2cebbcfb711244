// Demo data for the workflow: a Moscow business calendar with the 2026 Russian production
// calendar, a default SLA policy, and the demo contracts pointed at it.
import type { Ctx } from '../actions/context.ts';
import { inTransaction } from '../db/client.ts';
import type { Interval } from '../domain/business-calendar.ts';
import { parseCalendarImport } from '../domain/calendar-import.ts';
import { insertCalendar, listCalendars, upsertCalendarException } from '../store/calendars.ts';
import { listOrganizations, updateOrganization } from '../store/organizations.ts';
import { insertSlaPolicy, upsertSlaTarget } from '../store/sla-policies.ts';
import { updateDefaultSlaPolicyId } from '../store/workflow-settings.ts';

// data.gov.ru format: days off per month, * a shortened pre-holiday day, + a transferred day off
const RU_2026 = [
  'Год/Месяц,Январь,Февраль,Март,Апрель,Май,Июнь,Июль,Август,Сентябрь,Октябрь,Ноябрь,Декабрь,Всего рабочих дней,Всего праздничных и выходных дней',
  '2026,"1,2,3,4,5,6,7,8,9+,10,11,17,18,24,25,31","1,7,8,14,15,21,22,23,28","1,7,8,9,14,15,21,22,28,29","4,5,11,12,18,19,25,26,30*","1,2,3,9,10,11,16,17,23,24,30,31","6,7,11*,12,13,14,20,21,27,28","4,5,11,12,18,19,25,26","1,2,8,9,15,16,22,23,29,30","5,6,12,13,19,20,26,27","3,4,10,11,17,18,24,25,31","1,3*,4,7,8,14,15,21,22,28,29","5,6,12,13,19,20,26,27,31+",247,118',
].join('\n');

export async function seedWorkflowDemo(ctx: Ctx): Promise<void> {
  if ((await listCalendars(ctx.db)).length) return;
  const now = ctx.clock.now();
  const day: Interval[] = [['09:00', '18:00']];
  const weeklyHours = [day, day, day, day, day, [], []];
  await inTransaction(ctx.db, async () => {
    const cal = await insertCalendar(ctx.db, { name: 'Москва, 5/2', timeZone: 'Europe/Moscow', weeklyHours }, now);
    for (const e of parseCalendarImport(RU_2026, weeklyHours).exceptions) await upsertCalendarException(ctx.db, cal.id, e);
    const policy = await insertSlaPolicy(ctx.db, { name: 'Standard', calendarId: cal.id, warningPercent: 80, pauseOnThirdParty: false, escalationMinutes: 240 }, now);
    const h = 60;
    const targets = { low: [8 * h, 40 * h, null, null], normal: [4 * h, 16 * h, 2 * h, 12 * h], high: [h, 8 * h, 30, 6 * h], urgent: [30, 4 * h, 15, 3 * h] } as const;
    for (const [priority, [fr, res, ifr, ires]] of Object.entries(targets)) {
      await upsertSlaTarget(ctx.db, policy.id, {
        priority: priority as keyof typeof targets, firstResponseMinutes: fr, nextResponseMinutes: null, resolutionMinutes: res,
        internalFirstResponseMinutes: ifr, internalResolutionMinutes: ires,
      });
    }
    await updateDefaultSlaPolicyId(ctx.db, policy.id, now);
    for (const org of await listOrganizations(ctx.db)) if (!org.slaPolicyId) await updateOrganization(ctx.db, org.id, { slaPolicyId: policy.id }, now);
  });
}
