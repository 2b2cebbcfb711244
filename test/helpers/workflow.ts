// Test helpers for the workflow: raw mail, SLA setup, and time logging through the worklog action.
import type { Ctx } from '../../src/actions/context.ts';
import { logWork as logWorkAction } from '../../src/actions/worklog.ts';
import { insertCalendar } from '../../src/store/calendars.ts';
import { insertSlaPolicy, upsertSlaTarget } from '../../src/store/sla-policies.ts';
import { updateDefaultSlaPolicyId } from '../../src/store/workflow-settings.ts';
import type { User } from '../../src/store/users.ts';
import type { Interval } from '../../src/domain/business-calendar.ts';

let seq = 0;

export function rawMail(m: { from: string; subject: string; body: string; messageId?: string; date?: string; headers?: Record<string, string> }): Buffer {
  const extra = Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return Buffer.from(
    `From: ${m.from}\r\nTo: support@desk.example\r\nSubject: ${m.subject}\r\nDate: ${m.date ?? 'Mon, 2 Nov 2026 12:00:00 +0300'}\r\n` +
      `Message-ID: <${m.messageId ?? `wf-${Date.now()}-${++seq}@client.example`}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n${extra}\r\n${m.body}\r\n`,
  );
}

/** Logs time through the console's worklog action. */
export async function logWork(ctx: Ctx, user: User, ticketId: number, minutes: number, opts: { billable?: boolean; workedAt?: number } = {}): Promise<void> {
  await logWorkAction(ctx, { kind: 'user', user }, { ticketId, minutes, billable: opts.billable ?? true, workedAt: opts.workedAt });
}

const DAY: Interval[] = [['09:00', '18:00']];

/** A Moscow office calendar and a policy (normal priority: 1 h first response, 8 h resolution). */
export async function seedSla(ctx: Ctx, opts: { makeDefault?: boolean; firstResponse?: number; resolution?: number; internalResolution?: number | null; escalation?: number | null } = {}) {
  const now = ctx.clock.now();
  const calendar = await insertCalendar(ctx.db, { name: 'Moscow office', timeZone: 'Europe/Moscow', weeklyHours: [DAY, DAY, DAY, DAY, DAY, [], []] }, now);
  const policy = await insertSlaPolicy(ctx.db, { name: 'Standard', calendarId: calendar.id, warningPercent: 80, pauseOnThirdParty: false, escalationMinutes: opts.escalation ?? 120 }, now);
  for (const priority of ['low', 'normal', 'high', 'urgent'] as const) {
    await upsertSlaTarget(ctx.db, policy.id, {
      priority, firstResponseMinutes: opts.firstResponse ?? 60, nextResponseMinutes: null, resolutionMinutes: opts.resolution ?? 480,
      internalFirstResponseMinutes: null, internalResolutionMinutes: opts.internalResolution === undefined ? null : opts.internalResolution,
    });
  }
  if (opts.makeDefault !== false) await updateDefaultSlaPolicyId(ctx.db, policy.id, now);
  return { calendar, policy };
}
