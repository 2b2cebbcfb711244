// Admin pages for business calendars: weekly hours and time zone, holidays and working-day
// exceptions, import of a production calendar, and a due-time preview.
import { Router, type Request, type Response } from 'express';
import type { Ctx } from '../../../actions/context.ts';
import { addCalendarException, importCalendar, removeCalendar, removeCalendarException, saveCalendar } from '../../../actions/sla-admin.ts';
import { addBusinessTime, compileCalendar, formatHours } from '../../../domain/business-calendar.ts';
import { parseDurationMinutes } from '../../../domain/quantities.ts';
import { instantOf, parseDateKey } from '../../../domain/zoned-time.ts';
import { AppError } from '../../../domain/errors.ts';
import { getCalendar, listCalendarExceptions, listCalendars, loadBusinessCalendar } from '../../../store/calendars.ts';
import { listSlaPolicies } from '../../../store/sla-policies.ts';
import { currentUser, intParam } from '../../context.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { redirectWithFlash, type Renderer } from '../../render.ts';

const DEFAULT_WEEK = ['09:00-18:00', '09:00-18:00', '09:00-18:00', '09:00-18:00', '09:00-18:00', '', ''];

export function timeZones(): string[] {
  return Intl.supportedValuesOf('timeZone');
}

function dayRows(hours: string[], errors: Record<string, string>) {
  return hours.map((h, i) => ({ index: i, name: `workflow.weekday.${i}`, hours: h, error: errors[`hours${i}`] }));
}

function fieldErrors(err: unknown): Record<string, string> | undefined {
  return err instanceof AppError && err.code === 'validation' ? (err.details.fields as Record<string, string>) : undefined;
}

export function calendarRoutes(ctx: Ctx, render: Renderer): Router {
  const r = Router();
  const guard = requirePermission('sla.manage');
  const user = (res: Response) => ({ kind: 'user' as const, user: currentUser(res) });
  const body = (req: Request) => req.body as Record<string, string | undefined>;
  const hoursOf = (req: Request) => Array.from({ length: 7 }, (_, i) => body(req)[`hours${i}`] ?? '');

  const listPage = async (req: Request, res: Response, values: { name?: string; timeZone?: string; hours?: string[] } = {}, errors: Record<string, string> = {}, status = 200) => {
    const policies = await listSlaPolicies(ctx.db);
    render(req, res, 'sla/calendars', {
      title: 'Business calendars',
      calendars: await Promise.all((await listCalendars(ctx.db)).map(async (c) => ({
        id: c.id, name: c.name, timeZone: c.timeZone,
        week: c.weeklyHours.map((d, i) => ({ name: `workflow.weekday.${i}`, hours: formatHours(d) })),
        exceptions: (await listCalendarExceptions(ctx.db, c.id)).length,
        policies: policies.filter((p) => p.calendarId === c.id).map((p) => p.name),
      }))),
      values: { name: values.name ?? '', timeZone: values.timeZone ?? ctx.config.timeZone },
      days: dayRows(values.hours ?? DEFAULT_WEEK, errors),
      errors,
      timeZones: timeZones(),
    }, { status });
  };

  const editPage = async (req: Request, res: Response, id: number, extra: Record<string, unknown> = {}, status = 200) => {
    const c = await getCalendar(ctx.db, id);
    const errors = (extra.errors as Record<string, string> | undefined) ?? {};
    const hours = (extra.hours as string[] | undefined) ?? c.weeklyHours.map((d) => formatHours(d));
    const q = req.query as Record<string, string | undefined>;
    render(req, res, 'sla/calendar', {
      title: c.name,
      calendar: { id: c.id, name: (extra.name as string | undefined) ?? c.name, timeZone: (extra.timeZone as string | undefined) ?? c.timeZone },
      days: dayRows(hours, errors),
      exceptions: (await listCalendarExceptions(ctx.db, id)).map((e) => ({
        id: e.id, date: e.date, kind: e.kind, hours: e.kind === 'workday' ? formatHours(e.hours ?? null) : '', standard: e.kind === 'workday' && !e.hours, note: e.note,
      })),
      errors,
      exceptionValues: extra.exceptionValues ?? {},
      importText: extra.importText ?? '',
      preview: await preview(ctx, id, q.from, q.add),
      previewValues: { from: q.from ?? '', add: q.add ?? '' },
      timeZones: timeZones(),
    }, { status });
  };

  r.get('/admin/calendars', guard, async (req, res) => await listPage(req, res));

  r.post('/admin/calendars', guard, async (req, res) => {
    const form = { name: body(req).name, timeZone: body(req).timeZone, hours: hoursOf(req) };
    try {
      const c = await saveCalendar(ctx, user(res), null, form);
      redirectWithFlash(res, `/admin/calendars/${c.id}`, 'workflow.flash.saved');
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      await listPage(req, res, form, errors, 422);
    }
  });

  r.get('/admin/calendars/:id', guard, async (req, res) => await editPage(req, res, intParam(req.params.id, 'Calendar')));

  r.post('/admin/calendars/:id', guard, async (req, res) => {
    const id = intParam(req.params.id, 'Calendar');
    const form = { name: body(req).name, timeZone: body(req).timeZone, hours: hoursOf(req) };
    try {
      await saveCalendar(ctx, user(res), id, form);
      redirectWithFlash(res, `/admin/calendars/${id}`, 'workflow.flash.saved');
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      await editPage(req, res, id, { ...form, errors }, 422);
    }
  });

  r.post('/admin/calendars/:id/delete', guard, async (req, res) => {
    await removeCalendar(ctx, user(res), intParam(req.params.id, 'Calendar'));
    redirectWithFlash(res, '/admin/calendars', 'workflow.flash.deleted');
  });

  r.post('/admin/calendars/:id/exceptions', guard, async (req, res) => {
    const id = intParam(req.params.id, 'Calendar');
    const b = body(req);
    try {
      await addCalendarException(ctx, user(res), id, { date: b.date, kind: b.kind, hours: b.hours, note: b.note });
      redirectWithFlash(res, `/admin/calendars/${id}#calendar-exceptions`, 'workflow.flash.saved');
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      await editPage(req, res, id, { errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [`exception.${k}`, v])), exceptionValues: b }, 422);
    }
  });

  r.post('/admin/calendars/:id/exceptions/:eid/delete', guard, async (req, res) => {
    const id = intParam(req.params.id, 'Calendar');
    await removeCalendarException(ctx, user(res), id, intParam(req.params.eid, 'Exception'));
    redirectWithFlash(res, `/admin/calendars/${id}#calendar-exceptions`, 'workflow.flash.deleted');
  });

  r.post('/admin/calendars/:id/import', guard, async (req, res) => {
    const id = intParam(req.params.id, 'Calendar');
    const text = body(req).text ?? '';
    try {
      await importCalendar(ctx, user(res), id, text);
      redirectWithFlash(res, `/admin/calendars/${id}#calendar-exceptions`, 'workflow.flash.imported');
    } catch (err) {
      const errors = fieldErrors(err);
      if (!errors) throw err;
      await editPage(req, res, id, { errors, importText: text }, 422);
    }
  });

  return r;
}

/** "Work from <local date-time> for <duration>: due at …" for the admin to check a calendar. */
async function preview(ctx: Ctx, calendarId: number, from: string | undefined, add: string | undefined) {
  if (!from || !add) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(from);
  const minutes = parseDurationMinutes(add);
  const cal = await loadBusinessCalendar(ctx.db, calendarId);
  if (!m || !minutes || !cal) return { error: true };
  const date = parseDateKey(m[1]);
  if (!date) return { error: true };
  const start = instantOf(date, Number(m[2]) * 60 + Number(m[3]), cal.timeZone);
  try {
    const due = addBusinessTime(compileCalendar(cal), start, minutes * 60_000);
    const fmt = new Intl.DateTimeFormat('sv-SE', { timeZone: cal.timeZone, dateStyle: 'short', timeStyle: 'short' });
    return { error: false, due: fmt.format(due), dueIso: new Date(due).toISOString(), timeZone: cal.timeZone };
  } catch {
    return { error: true };
  }
}

