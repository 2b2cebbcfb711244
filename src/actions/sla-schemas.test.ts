// What the admin forms for calendars, exceptions, SLA policies and workflow rules accept and refuse,
// with the field each refusal is shown next to and its words (the pages render them by these keys).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, type TestDeps } from '../../test/helpers/deps.ts';
import { person } from '../../test/helpers/factories.ts';
import { buildServices, type Services } from '../services.ts';
import { AppError } from '../domain/errors.ts';
import { getCalendar, listCalendarExceptions } from '../store/calendars.ts';
import { getSlaPolicy, listSlaTargets } from '../store/sla-policies.ts';
import { getWorkflowRules } from '../store/workflow-settings.ts';
import type { User } from '../store/users.ts';
import { addCalendarException, saveCalendar, saveSlaPolicy, saveWorkflowRules } from './sla-admin.ts';
import type { CalendarForm, ExceptionForm, PolicyForm } from './sla-schemas.ts';

const WEEK = ['09:00-18:00', '09:00-18:00', '09:00-18:00', '09:00-18:00', '09:00-18:00', '', ''];
const NINE_TO_SIX: [string, string][] = [['09:00', '18:00']];

type Refusal = { message: string; fields: Record<string, string> };

/** 'accepted', or the validation error's message and fields; any other error is thrown on. */
async function outcome(fn: () => Promise<unknown>): Promise<'accepted' | Refusal> {
  try {
    await fn();
    return 'accepted';
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation') return { message: err.message, fields: err.details.fields as Record<string, string> };
    throw err;
  }
}
const fieldsOf = (o: Awaited<ReturnType<typeof outcome>>) => (o === 'accepted' ? 'accepted' : o.fields);

describe('admin form rules', () => {
  let deps: TestDeps;
  let s: Services;
  let admin: User;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
    admin = await person(s, 'Ada', 'admin');
  });
  afterEach(() => deps.close());
  const as = () => ({ kind: 'user' as const, user: admin });

  describe('business calendar', () => {
    const save = async (form: CalendarForm, id: number | null = null) => await outcome(async () => await saveCalendar(s.ctx, as(), id, form));

    it('trims the name and time zone and stores each day’s hours as ranges', async () => {
      const cal = await saveCalendar(s.ctx, as(), null, { name: '  Moscow ', timeZone: ' Europe/Moscow ', hours: ['9:00-13:00, 14:00–18:00', '—', '-', '10:00-24:00'] });
      const row = await getCalendar(deps.db, cal.id);
      expect(row.name).toBe('Moscow');
      expect(row.timeZone).toBe('Europe/Moscow');
      expect(row.weeklyHours).toEqual([[['09:00', '13:00'], ['14:00', '18:00']], [], [], [['10:00', '24:00']], [], [], []]);
      expect(await save({ name: 'Again', timeZone: 'UTC', hours: WEEK }, cal.id)).toBe('accepted');
      expect((await getCalendar(deps.db, cal.id)).weeklyHours[0]).toEqual(NINE_TO_SIX);
    });

    it('names every bad field, in form order', async () => {
      expect(await save({ name: ' ', timeZone: '', hours: ['nine to five', '25:00-26:00', '18:00-09:00', '09:00-13:00, 12:00-18:00', '', '', '09:00-12:00 and more'] })).toEqual({
        message: [
          'Name the calendar', '“” is not a time zone (e.g. Europe/Moscow)', '“nine to five” is not a list of time ranges like 09:00-13:00, 14:00-18:00',
          '“25:00-26:00” is not a time range like 09:00-18:00', '“18:00–09:00” ends before it starts', '“12:00–18:00” overlaps the range before it',
          '“09:00-12:00 and more” is not a list of time ranges like 09:00-13:00, 14:00-18:00',
        ].join('; '),
        fields: {
          name: 'Name the calendar', timeZone: '“” is not a time zone (e.g. Europe/Moscow)',
          hours0: '“nine to five” is not a list of time ranges like 09:00-13:00, 14:00-18:00', hours1: '“25:00-26:00” is not a time range like 09:00-18:00',
          hours2: '“18:00–09:00” ends before it starts', hours3: '“12:00–18:00” overlaps the range before it',
          hours6: '“09:00-12:00 and more” is not a list of time ranges like 09:00-13:00, 14:00-18:00',
        },
      });
      expect(fieldsOf(await save({ name: 'x', timeZone: ' Mars/Olympus ', hours: WEEK }))).toEqual({ timeZone: '“Mars/Olympus” is not a time zone (e.g. Europe/Moscow)' });
      expect(fieldsOf(await save({ timeZone: 'UTC', hours: WEEK }))).toEqual({ name: 'Name the calendar' });
    });

    it('wants working hours on at least one day, asked only once the rest is right', async () => {
      const none = { message: 'Give at least one day working hours', fields: { hours0: 'Give at least one day working hours' } };
      expect(await save({ name: 'Closed', timeZone: 'UTC', hours: ['', '', '', '', '', '', ''] })).toEqual(none);
      expect(await save({ name: 'Closed', timeZone: 'UTC', hours: [] })).toEqual(none);
      expect(await save({ name: 'Closed', timeZone: 'UTC' })).toEqual(none);
      expect(fieldsOf(await save({ name: '', timeZone: 'UTC', hours: [] }))).toEqual({ name: 'Name the calendar' });
      expect(fieldsOf(await save({ name: 'Closed', timeZone: 'UTC', hours: ['', 'x'] }))).toEqual({ hours1: '“x” is not a list of time ranges like 09:00-13:00, 14:00-18:00' });
      expect(await save({ name: 'Sunday', timeZone: 'UTC', hours: ['', '', '', '', '', '', '10:00-12:00'] })).toBe('accepted');
    });
  });

  describe('calendar exception', () => {
    let calendarId: number;
    beforeEach(async () => {
      calendarId = (await saveCalendar(s.ctx, as(), null, { name: 'Moscow', timeZone: 'Europe/Moscow', hours: WEEK })).id;
    });
    const add = async (form: ExceptionForm) => await outcome(async () => await addCalendarException(s.ctx, as(), calendarId, form));
    const stored = async (date: string) => (await listCalendarExceptions(deps.db, calendarId)).find((e) => e.date === date);

    it('stores a holiday, a working day and a shortened day', async () => {
      expect(await add({ date: ' 2026-11-04 ', kind: 'holiday', hours: 'anything at all', note: ' Unity Day ' })).toBe('accepted');
      expect(await stored('2026-11-04')).toMatchObject({ kind: 'holiday', hours: null, note: 'Unity Day' });
      expect(await add({ date: '2026-11-07', kind: 'workday', hours: '  ', note: '  ' })).toBe('accepted');
      expect(await stored('2026-11-07')).toMatchObject({ kind: 'workday', hours: null, note: null });
      expect(await add({ date: '2026-11-08', kind: 'workday', hours: '10:00-15:00' })).toBe('accepted');
      expect(await stored('2026-11-08')).toMatchObject({ kind: 'workday', hours: [['10:00', '15:00']] });
      expect(await add({ date: '2026-11-03', kind: 'short' })).toBe('accepted');
      expect(await stored('2026-11-03')).toMatchObject({ kind: 'workday', hours: [['09:00', '17:00']] });
      expect(await add({ date: '2026-11-01', kind: 'short' })).toBe('accepted'); // a Sunday: the standard day, shortened
      expect(await stored('2026-11-01')).toMatchObject({ kind: 'workday', hours: [['09:00', '17:00']] });
      expect(await add({ date: '2026-12-31', kind: 'short', hours: '09:00-14:00' })).toBe('accepted');
      expect(await stored('2026-12-31')).toMatchObject({ kind: 'workday', hours: [['09:00', '14:00']] });
    });

    it('names every bad field, in form order', async () => {
      expect(await add({ date: '2026-02-30', kind: 'vacation', hours: '18:00-09:00' })).toEqual({
        message: 'Pick a date; Choose holiday, working day or shortened day; “18:00–09:00” ends before it starts',
        fields: { date: 'Pick a date', kind: 'Choose holiday, working day or shortened day', hours: '“18:00–09:00” ends before it starts' },
      });
      expect(fieldsOf(await add({}))).toEqual({ date: 'Pick a date', kind: 'Choose holiday, working day or shortened day' });
      expect(fieldsOf(await add({ date: '04.11.2026', kind: 'holiday', hours: 'x' }))).toEqual({ date: 'Pick a date' });
      expect(fieldsOf(await add({ date: '2026-11-04', kind: 'short', hours: 'after lunch' }))).toEqual({ hours: '“after lunch” is not a list of time ranges like 09:00-13:00, 14:00-18:00' });
      expect(await listCalendarExceptions(deps.db, calendarId)).toEqual([]);
    });
  });

  describe('SLA policy', () => {
    const empty = { firstResponseMinutes: '', nextResponseMinutes: '', resolutionMinutes: '', internalFirstResponseMinutes: '', internalResolutionMinutes: '' };
    const save = async (form: PolicyForm) => await outcome(async () => await saveSlaPolicy(s.ctx, as(), null, form));

    it('reads durations, the warning share and the calendar', async () => {
      const cal = await saveCalendar(s.ctx, as(), null, { name: 'Moscow', timeZone: 'Europe/Moscow', hours: WEEK });
      const p = await saveSlaPolicy(s.ctx, as(), null, {
        name: ' Gold ', calendarId: String(cal.id), warningPercent: ' 1 ', escalation: '1h30m', pauseOnThirdParty: true,
        targets: {
          high: { firstResponseMinutes: '30m', nextResponseMinutes: '90', resolutionMinutes: '1d 4h', internalFirstResponseMinutes: '30m', internalResolutionMinutes: '1:30' },
          low: { resolutionMinutes: '2 часа' },
        },
      });
      expect(await getSlaPolicy(deps.db, p.id)).toMatchObject({ name: 'Gold', calendarId: cal.id, warningPercent: 1, escalationMinutes: 90, pauseOnThirdParty: true });
      const targets = Object.fromEntries((await listSlaTargets(deps.db, p.id)).map(({ priority, ...t }) => [priority, t]));
      expect(targets.high).toMatchObject({ firstResponseMinutes: 30, nextResponseMinutes: 90, resolutionMinutes: 1680, internalFirstResponseMinutes: 30, internalResolutionMinutes: 90 });
      const none = { firstResponseMinutes: null, nextResponseMinutes: null, resolutionMinutes: null, internalFirstResponseMinutes: null, internalResolutionMinutes: null };
      expect(targets.low).toMatchObject({ ...none, resolutionMinutes: 120 });
      expect(targets.normal).toMatchObject(none);
      const q = await saveSlaPolicy(s.ctx, as(), null, { name: 'Plain', calendarId: '', warningPercent: '', escalation: '' });
      expect(await getSlaPolicy(deps.db, q.id)).toMatchObject({ calendarId: null, warningPercent: 80, escalationMinutes: null, pauseOnThirdParty: false });
      const r = await saveSlaPolicy(s.ctx, as(), null, { name: 'Edge', warningPercent: '99', targets: { urgent: { ...empty, internalResolutionMinutes: '8h' } } });
      expect((await getSlaPolicy(deps.db, r.id)).warningPercent).toBe(99);
      expect(await save({ name: 'Defaults' })).toBe('accepted');
    });

    it('refuses a warning share outside 1–99 and a complaint target that is no duration', async () => {
      const warning = { warningPercent: 'The warning share is a whole percentage between 1 and 99' };
      for (const w of ['0', '100', '50.5', 'half', '-5']) expect(fieldsOf(await save({ name: 'P', warningPercent: w }))).toEqual(warning);
      const escalation = { escalation: 'Write the complaint target like 4h or 90m' };
      for (const e of ['soon', '0', '0m', '2 weeks']) expect(fieldsOf(await save({ name: 'P', escalation: e }))).toEqual(escalation);
      expect(fieldsOf(await save({ name: 'P', calendarId: '1.5' }))).toEqual({ calendarId: 'Choose a calendar' });
      expect(fieldsOf(await save({ name: 'P', calendarId: 'Moscow' }))).toEqual({ calendarId: 'Choose a calendar' });
      expect(fieldsOf(await save({ name: '  ' }))).toEqual({ name: 'Name the policy' });
      await expect(saveSlaPolicy(s.ctx, as(), null, { name: 'P', calendarId: '999' })).rejects.toThrow(expect.objectContaining({ code: 'not_found' }));
    });

    it('refuses targets that are no duration, and internal targets longer than the contract’s', async () => {
      expect(fieldsOf(await save({ name: 'P', targets: { normal: { ...empty, firstResponseMinutes: 'soon', resolutionMinutes: '0' } } }))).toEqual({
        'normal.firstResponseMinutes': '“soon” is not a duration like 4h, 30m or 1h30m', 'normal.resolutionMinutes': '“0” is not a duration like 4h, 30m or 1h30m',
      });
      const longer = 'An internal target must not be longer than the contract’s';
      expect(fieldsOf(await save({ name: 'P', targets: { low: { firstResponseMinutes: '1h', internalFirstResponseMinutes: '61m', resolutionMinutes: '8h', internalResolutionMinutes: '8h' } } }))).toEqual({
        'low.internalFirstResponseMinutes': longer,
      });
      // a field that cannot be read is left out of the comparison; the others are still compared
      expect(fieldsOf(await save({ name: 'P', targets: { urgent: { firstResponseMinutes: 'x', internalFirstResponseMinutes: '2h', nextResponseMinutes: 'y', resolutionMinutes: '1h', internalResolutionMinutes: '2h' } } }))).toEqual({
        'urgent.firstResponseMinutes': '“x” is not a duration like 4h, 30m or 1h30m', 'urgent.nextResponseMinutes': '“y” is not a duration like 4h, 30m or 1h30m',
        'urgent.internalResolutionMinutes': longer,
      });
      expect(fieldsOf(await save({ name: 'P', targets: { high: { resolutionMinutes: '1h', internalResolutionMinutes: 'later' } } }))).toEqual({
        'high.internalResolutionMinutes': '“later” is not a duration like 4h, 30m or 1h30m',
      });
    });

    it('names every bad field, in form order, priorities low to urgent', async () => {
      const longer = 'An internal target must not be longer than the contract’s';
      expect(await save({
        name: '', calendarId: 'x', warningPercent: '100', escalation: 'soon',
        targets: {
          urgent: { firstResponseMinutes: '?' },
          low: { resolutionMinutes: '1h', internalResolutionMinutes: '2h', internalFirstResponseMinutes: '3h', firstResponseMinutes: '1h', nextResponseMinutes: '!' },
        },
      })).toEqual({
        message: [
          'Name the policy', 'Choose a calendar', 'The warning share is a whole percentage between 1 and 99', 'Write the complaint target like 4h or 90m',
          '“!” is not a duration like 4h, 30m or 1h30m', longer, longer, '“?” is not a duration like 4h, 30m or 1h30m',
        ].join('; '),
        fields: {
          name: 'Name the policy', calendarId: 'Choose a calendar', warningPercent: 'The warning share is a whole percentage between 1 and 99', escalation: 'Write the complaint target like 4h or 90m',
          'low.nextResponseMinutes': '“!” is not a duration like 4h, 30m or 1h30m', 'low.internalFirstResponseMinutes': longer, 'low.internalResolutionMinutes': longer,
          'urgent.firstResponseMinutes': '“?” is not a duration like 4h, 30m or 1h30m',
        },
      });
      expect(Object.keys((await save({ name: '', targets: { urgent: { firstResponseMinutes: '?' }, low: { nextResponseMinutes: '!' } } }) as Refusal).fields)).toEqual([
        'name', 'low.nextResponseMinutes', 'urgent.firstResponseMinutes',
      ]);
    });
  });

  describe('workflow rules', () => {
    const save = async (days: Record<string, string | undefined>) => await outcome(async () => await saveWorkflowRules(s.ctx, as(), await getWorkflowRules(deps.db), days));
    const daysNow = async () => Object.fromEntries(Object.entries(await getWorkflowRules(deps.db)).map(([t, r]) => [t, r.autoCloseDays]));

    it('takes days from 1 to 365, or empty for never, and leaves types it is not given alone', async () => {
      expect(await save({ incident: ' 30 ', service_request: '', problem: '365', project: '1' })).toBe('accepted');
      expect(await daysNow()).toEqual({ incident: 30, service_request: null, problem: 365, project: 1 });
      expect(await save({ incident: undefined, problem: '12', nonsense: 'x' })).toBe('accepted');
      expect(await daysNow()).toEqual({ incident: null, service_request: null, problem: 12, project: 1 });
    });

    it('names every bad type and stores nothing', async () => {
      const message = 'Days between 1 and 365, or empty for never';
      for (const d of ['0', '366', 'x', '1.5', '-1', '7 days']) expect(fieldsOf(await save({ incident: d }))).toEqual({ 'incident.autoCloseDays': message });
      expect(await save({ project: '0', incident: '400', problem: '5' })).toEqual({
        message: `${message}; ${message}`,
        fields: { 'project.autoCloseDays': message, 'incident.autoCloseDays': message },
      });
      expect(await daysNow()).toEqual({ incident: 7, service_request: 7, problem: 7, project: 7 });
    });
  });
});
