// The rules of the workflow admin forms, written once: a business calendar, a calendar exception,
// an SLA policy with per-priority targets, and the auto-close days per ticket type. Each schema
// reads the form's text; its `…Field` function names the field an issue is shown next to, which is
// the name the form posts ("hours3", "high.firstResponseMinutes", "incident.autoCloseDays").
import { z } from 'zod';
import { PRIORITIES, TICKET_TYPES, type Priority } from '../db/schema.ts';
import { CalendarError, parseHours, type Interval } from '../domain/business-calendar.ts';
import { parseDurationMinutes } from '../domain/quantities.ts';
import { isValidTimeZone, parseDateKey } from '../domain/zoned-time.ts';
import { topField, type FieldOf } from './validate.ts';

/** Adds a refusal for the value being transformed; returns the never-used value of a refused field. */
function refuse(ctx: z.core.ParsePayload, message: string, path?: PropertyKey[]): never {
  ctx.issues.push({ code: 'custom', message, input: ctx.value, ...(path && { path }) });
  return z.NEVER;
}

const trimmed = z.string().optional().transform((text) => (text ?? '').trim());

/** A day's hours ("09:00-13:00, 14:00-18:00", empty for a day off), refused in parseHours' words. */
function hoursOf(text: string, refused: (message: string) => void): Interval[] {
  try {
    return parseHours(text);
  } catch (err) {
    if (!(err instanceof CalendarError)) throw err;
    refused(err.message);
    return [];
  }
}

/** Minutes of a target or the complaint time: null when empty, undefined when unreadable or not above zero. */
function positiveMinutes(text: string | undefined): number | null | undefined {
  const minutes = parseDurationMinutes(text);
  return minutes === null || (minutes !== undefined && minutes > 0) ? minutes : undefined;
}

// --- business calendar -----------------------------------------------------------------------

export type CalendarForm = { name?: string; timeZone?: string; hours?: string[] };

export const calendarFormSchema = z
  .object({
    name: trimmed.pipe(z.string().min(1, 'Name the calendar')),
    timeZone: trimmed.refine(isValidTimeZone, { error: (i) => `“${String(i.input)}” is not a time zone (e.g. Europe/Moscow)` }),
    /** Monday first; a missing day is a day off */
    hours: z
      .array(z.string())
      .optional()
      .transform((days, ctx) => Array.from({ length: 7 }, (_, d) => hoursOf(days?.[d] ?? '', (message) => refuse(ctx, message, [d])))),
  })
  .refine((c) => c.hours.some((day) => day.length > 0), {
    message: 'Give at least one day working hours',
    path: ['hours', 0],
    when: (payload) => payload.issues.length === 0, // asked once the rest is right
  });

/** "hours3" for the fourth day's hours. */
export const calendarFormField: FieldOf = (path) => (path[0] === 'hours' ? `hours${String(path[1] ?? 0)}` : topField(path));

// --- calendar exception ----------------------------------------------------------------------

export type ExceptionForm = { date?: string; kind?: string; hours?: string; note?: string };

export const exceptionFormSchema = z.preprocess(
  // a holiday has no hours: whatever was typed there is ignored
  (form) => {
    const f = (form ?? {}) as ExceptionForm;
    return f.kind === 'holiday' ? { ...f, hours: undefined } : f;
  },
  z.object({
    date: z.string().optional().transform((text, ctx) => parseDateKey(text ?? '') ?? refuse(ctx, 'Pick a date')),
    kind: z.enum(['holiday', 'workday', 'short'], 'Choose holiday, working day or shortened day'),
    /** null: the calendar's usual hours (for a shortened day, an hour shorter) */
    hours: z.string().optional().transform((text, ctx) => (text?.trim() ? hoursOf(text, (message) => refuse(ctx, message)) : null)),
    note: z.string().optional().transform((text) => text?.trim() || null),
  }),
);

// --- SLA policy ------------------------------------------------------------------------------

export const TARGET_FIELDS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes', 'internalFirstResponseMinutes', 'internalResolutionMinutes'] as const;
export type TargetField = (typeof TARGET_FIELDS)[number];

export type PolicyForm = {
  name?: string;
  calendarId?: string;
  warningPercent?: string;
  pauseOnThirdParty?: boolean;
  escalation?: string;
  isDefault?: boolean;
  /** per priority, per target field: what was typed ("4h", "90", "") */
  targets?: Partial<Record<Priority, Partial<Record<TargetField, string>>>>;
};

const target = z
  .string()
  .optional()
  .transform((text, ctx): number | null => {
    const minutes = positiveMinutes(text);
    if (minutes !== undefined) return minutes;
    refuse(ctx, `“${text}” is not a duration like 4h, 30m or 1h30m`);
    return null; // left out of the comparisons below, which still run
  });

type Targets = Record<TargetField, number | null>;

/** Internal targets are stricter goals than the contract's; compared even when another target is refused. */
function notLongerThan(internal: TargetField, contract: TargetField): [(t: Targets) => boolean, { message: string; path: PropertyKey[]; when: () => boolean }] {
  return [
    (t) => !(t[internal] && t[contract] && t[internal] > t[contract]),
    { message: 'An internal target must not be longer than the contract’s', path: [internal], when: () => true },
  ];
}

const targetRow = z
  .object(Object.fromEntries(TARGET_FIELDS.map((f) => [f, target])) as Record<TargetField, typeof target>)
  .refine(...notLongerThan('internalFirstResponseMinutes', 'firstResponseMinutes'))
  .refine(...notLongerThan('internalResolutionMinutes', 'resolutionMinutes'))
  .prefault({});

export const policyFormSchema = z.object({
  name: trimmed.pipe(z.string().min(1, 'Name the policy')),
  calendarId: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const id = text ? Number(text) : null;
      return id === null || Number.isInteger(id) ? id : refuse(ctx, 'Choose a calendar');
    }),
  warningPercent: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const percent = Number((text ?? '80').trim() || 80);
      return Number.isInteger(percent) && percent >= 1 && percent <= 99 ? percent : refuse(ctx, 'The warning share is a whole percentage between 1 and 99');
    }),
  pauseOnThirdParty: z.boolean().optional().transform(Boolean),
  escalation: z
    .string()
    .optional()
    .transform((text, ctx) => {
      const minutes = positiveMinutes(text);
      return minutes !== undefined ? minutes : refuse(ctx, 'Write the complaint target like 4h or 90m');
    }),
  isDefault: z.boolean().optional().transform(Boolean),
  targets: z
    .object(Object.fromEntries(PRIORITIES.map((p) => [p, targetRow])) as Record<Priority, typeof targetRow>)
    .prefault({})
    .transform((t) => PRIORITIES.map((priority) => ({ priority, ...t[priority] }))),
});

/** "high.firstResponseMinutes" for a target. */
export const policyFormField: FieldOf = (path) => (path[0] === 'targets' ? path.slice(1, 3).map(String).join('.') : topField(path));

// --- workflow rules --------------------------------------------------------------------------

const autoCloseDays = trimmed.transform((days, ctx) => {
  if (!days) return null; // never
  return /^\d+$/.test(days) && Number(days) >= 1 && Number(days) <= 365 ? Number(days) : refuse(ctx, 'Days between 1 and 365, or empty for never');
});

/** Auto-close days per ticket type, as typed; types the desk does not have are ignored. */
export const autoCloseDaysSchema = z.preprocess(
  (days) => Object.fromEntries(Object.entries(days ?? {}).filter(([type]) => (TICKET_TYPES as readonly string[]).includes(type))),
  z.partialRecord(z.enum(TICKET_TYPES), autoCloseDays),
);

export const autoCloseDaysField: FieldOf = (path) => `${String(path[0])}.autoCloseDays`;
