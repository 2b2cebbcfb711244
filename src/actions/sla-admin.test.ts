// Admin changes to calendars, policies and contracts move the due times of open tickets at once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { buildServices, type Services } from '../services.ts';
import { createUser } from './users.ts';
import { changeStatus, createTicket } from './tickets.ts';
import { addCalendarException, importCalendar, removeCalendar, removeCalendarException, removeSlaPolicy, saveCalendar, saveContract, saveSlaPolicy, saveWorkflowRules } from './sla-admin.ts';
import { listAuditEntries } from '../store/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { listCalendarExceptions } from '../store/calendars.ts';
import { insertOrganization } from '../store/organizations.ts';
import { getTicket } from '../store/tickets.ts';
import { findDefaultSlaPolicyId, getWorkflowRules } from '../store/workflow-settings.ts';
import type { User } from '../store/users.ts';

const Z = (iso: string) => Date.parse(iso);
const WEEK = ['09:00-18:00', '09:00-18:00', '09:00-18:00', '09:00-18:00', '09:00-18:00', '', ''];

describe('workflow administration', () => {
  let deps: TestDeps;
  let s: Services;
  let admin: User;
  let agent: User;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    admin = await createUser(s.ctx, { email: 'admin@desk.test', name: 'Ada', role: 'admin', password: 'long enough password' });
    agent = await createUser(s.ctx, { email: 'agent@desk.test', name: 'Alex', role: 'agent', password: 'long enough password' });
  });
  afterEach(() => deps.close());
  const as = (user: User) => ({ kind: 'user' as const, user });
  const fields = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation') return err.details.fields;
      throw err;
    }
    throw new Error('not refused');
  };

  it('recomputes open tickets when a holiday is added, removed or imported', async () => {
    const cal = await saveCalendar(s.ctx, as(admin), null, { name: 'Moscow', timeZone: 'Europe/Moscow', hours: WEEK });
    const t = (x: string) => ({ firstResponseMinutes: '', nextResponseMinutes: '', resolutionMinutes: x, internalFirstResponseMinutes: '', internalResolutionMinutes: '' });
    await saveSlaPolicy(s.ctx, as(admin), null, { name: 'Std', calendarId: String(cal.id), warningPercent: '80', isDefault: true, targets: { normal: t('12h') } });
    deps.clock.set(Z('2026-11-03T12:00:00Z')); // Tuesday 15:00 in Moscow
    const ticket = await createTicket(s.ctx, as(agent), { subject: 'VPN', body: 'down', requesterEmail: 'anna@client.example' });
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBe(Z('2026-11-04T15:00:00Z')); // 3 h on Tuesday, 9 h on Wednesday

    await addCalendarException(s.ctx, as(admin), cal.id, { date: '2026-11-04', kind: 'holiday', note: 'National Unity Day' });
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBe(Z('2026-11-05T15:00:00Z')); // skips the holiday
    const holiday = (await listCalendarExceptions(deps.db, cal.id))[0];
    await removeCalendarException(s.ctx, as(admin), cal.id, holiday.id);
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBe(Z('2026-11-04T15:00:00Z'));
    await importCalendar(s.ctx, as(admin), cal.id, '2026-11-04,holiday\n2026-11-05,short');
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBe(Z('2026-11-06T07:00:00Z')); // Thursday ends at 17:00, so an hour on Friday
    // a closed ticket keeps what it had
    await changeStatus(s.ctx, { kind: 'system' }, { ticketId: ticket.id, status: 'closed' });
    const before = (await getTicket(deps.db, ticket.id)).resolutionDueAt;
    await addCalendarException(s.ctx, as(admin), cal.id, { date: '2026-11-05', kind: 'holiday' });
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBe(before);
  });

  it('a contract naming another policy moves its organisation’s open tickets', async () => {
    const t = (x: string) => ({ firstResponseMinutes: '', nextResponseMinutes: '', resolutionMinutes: x, internalFirstResponseMinutes: '', internalResolutionMinutes: '' });
    await saveSlaPolicy(s.ctx, as(admin), null, { name: 'Slow', warningPercent: '80', isDefault: true, targets: { normal: t('48h') } });
    const fast = await saveSlaPolicy(s.ctx, as(admin), null, { name: 'Fast', warningPercent: '80', targets: { normal: t('2h') } });
    const org = await insertOrganization(deps.db, { name: 'Client' }, deps.clock.now(), ['client.example']);
    const ticket = await createTicket(s.ctx, as(agent), { subject: 'VPN', body: 'down', requesterEmail: 'anna@client.example' });
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBe(deps.clock.now() + 48 * 3_600_000); // round the clock
    await saveContract(s.ctx, as(admin), org.id, { slaPolicyId: String(fast.id), allComponents: true, allChannels: true });
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBe(deps.clock.now() + 2 * 3_600_000);
  });

  it('leaves the desk without a default policy when the default is unticked or removed; its tickets lose their deadlines', async () => {
    const t = (x: string) => ({ firstResponseMinutes: '', nextResponseMinutes: '', resolutionMinutes: x, internalFirstResponseMinutes: '', internalResolutionMinutes: '' });
    const std = await saveSlaPolicy(s.ctx, as(admin), null, { name: 'Std', warningPercent: '80', isDefault: true, targets: { normal: t('8h') } });
    const ticket = await createTicket(s.ctx, as(agent), { subject: 'Mail', body: 'down', requesterEmail: 'anna@client.example' });
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBe(deps.clock.now() + 8 * 3_600_000);
    await saveSlaPolicy(s.ctx, as(admin), std.id, { name: 'Std', warningPercent: '80', isDefault: false, targets: { normal: t('8h') } });
    expect(await findDefaultSlaPolicyId(deps.db)).toBeUndefined();
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBeNull();
    await saveSlaPolicy(s.ctx, as(admin), std.id, { name: 'Std', warningPercent: '80', isDefault: true, targets: { normal: t('8h') } });
    expect(await findDefaultSlaPolicyId(deps.db)).toBe(std.id);
    await removeSlaPolicy(s.ctx, as(admin), std.id);
    expect(await findDefaultSlaPolicyId(deps.db)).toBeUndefined();
    expect((await getTicket(deps.db, ticket.id)).resolutionDueAt).toBeNull();
  });

  it('names every bad field and stores nothing', async () => {
    expect(await fields(async () => await saveCalendar(s.ctx, as(admin), null, { name: '', timeZone: 'Europe/Moskva', hours: ['09:00-18:00', '18:00-09:00'] }))).toEqual({
      name: 'Name the calendar', timeZone: '“Europe/Moskva” is not a time zone (e.g. Europe/Moscow)', hours1: '“18:00–09:00” ends before it starts',
    });
    expect(await fields(async () => await saveCalendar(s.ctx, as(admin), null, { name: 'Closed', timeZone: 'UTC', hours: [] }))).toEqual({ hours0: 'Give at least one day working hours' });
    expect(await fields(async () => await saveSlaPolicy(s.ctx, as(admin), null, { name: 'P', warningPercent: '100', escalation: 'soon', targets: { high: { resolutionMinutes: '1h', internalResolutionMinutes: '2h' } } }))).toEqual({
      warningPercent: 'The warning share is a whole percentage between 1 and 99', escalation: 'Write the complaint target like 4h or 90m',
      'high.internalResolutionMinutes': 'An internal target must not be longer than the contract’s',
    });
    expect(await fields(async () => await saveWorkflowRules(s.ctx, as(admin), {}, { incident: '0' }))).toEqual({ 'incident.autoCloseDays': 'Days between 1 and 365, or empty for never' });
    expect((await getWorkflowRules(deps.db)).incident.autoCloseDays).toBe(7);
    await expect(saveCalendar(s.ctx, as(agent), null, { name: 'x', timeZone: 'UTC', hours: WEEK })).rejects.toThrow(/not allowed/);
    await expect(saveWorkflowRules(s.ctx, as(agent), {}, {})).rejects.toThrow(/not allowed/);
  });

  it('records every change in the audit log: calendars, policies, workflow rules and contracts, before → after', async () => {
    const log = async (kind: string) => (await listAuditEntries(deps.db, { kind }, { limit: 50 })).reverse();
    const cal = await saveCalendar(s.ctx, as(admin), null, { name: 'Moscow', timeZone: 'Europe/Moscow', hours: WEEK });
    await saveCalendar(s.ctx, as(admin), cal.id, { name: 'Moscow office', timeZone: 'Europe/Moscow', hours: WEEK });
    await addCalendarException(s.ctx, as(admin), cal.id, { date: '2026-11-04', kind: 'holiday', note: 'Unity Day' });
    const holiday = (await listCalendarExceptions(deps.db, cal.id))[0];
    await removeCalendarException(s.ctx, as(admin), cal.id, holiday.id);
    await importCalendar(s.ctx, as(admin), cal.id, '2026-11-04,holiday');
    const calendars = await log('calendar');
    expect(calendars.map((e) => e.action)).toEqual(['created', 'updated', 'exception_added', 'exception_removed', 'imported']);
    expect(calendars.every((e) => e.actorUserId === admin.id && e.actorName === 'Ada' && e.subjectId === cal.id)).toBe(true);
    expect(calendars[1]).toMatchObject({ subjectLabel: 'Moscow office', before: { name: 'Moscow' }, after: { name: 'Moscow office' } });
    expect(calendars[2]).toMatchObject({ before: { exceptions: [] }, after: { exceptions: ['2026-11-04 holiday (Unity Day)'] } });

    const t = (x: string) => ({ firstResponseMinutes: '', nextResponseMinutes: '', resolutionMinutes: x, internalFirstResponseMinutes: '', internalResolutionMinutes: '' });
    const p = await saveSlaPolicy(s.ctx, as(admin), null, { name: 'Std', calendarId: String(cal.id), warningPercent: '80', targets: { normal: t('12h') } });
    await saveSlaPolicy(s.ctx, as(admin), p.id, { name: 'Std', calendarId: String(cal.id), warningPercent: '70', isDefault: true, targets: { normal: t('8h') } });
    const policies = await log('sla_policy');
    expect(policies[0]).toMatchObject({ action: 'created', before: null, after: { name: 'Std', calendarId: cal.id, isDefault: false, 'normal.resolutionMinutes': 720 } });
    expect(policies[1]).toMatchObject({
      action: 'updated', before: { warningPercent: 80, isDefault: false, 'normal.resolutionMinutes': 720 }, after: { warningPercent: 70, isDefault: true, 'normal.resolutionMinutes': 480 },
    });

    await saveWorkflowRules(s.ctx, as(admin), {}, { incident: '3' });
    const [rules] = await log('workflow');
    expect(JSON.parse(String(rules.before!.incident))).toMatchObject({ autoCloseDays: 7 });
    expect(JSON.parse(String(rules.after!.incident))).toMatchObject({ autoCloseDays: 3 });

    const org = await insertOrganization(deps.db, { name: 'Client' }, deps.clock.now(), ['client.example']);
    await saveContract(s.ctx, as(admin), org.id, { slaPolicyId: String(p.id), allComponents: true, allChannels: true });
    const [contract] = await log('contract');
    expect(contract).toMatchObject({ subjectId: org.id, subjectLabel: 'Client', before: { slaPolicyId: null }, after: { slaPolicyId: p.id } });

    const spare = await saveSlaPolicy(s.ctx, as(admin), null, { name: 'Spare', warningPercent: '80', targets: {} });
    await removeSlaPolicy(s.ctx, as(admin), spare.id);
    await removeCalendar(s.ctx, as(admin), cal.id);
    expect((await log('sla_policy'))[3]).toMatchObject({ action: 'removed', subjectId: spare.id, subjectLabel: 'Spare', before: { name: 'Spare' }, after: null });
    expect((await log('calendar'))[5]).toMatchObject({ action: 'removed', subjectLabel: 'Moscow office', after: null });
  });
});
