// The calendar's filters, read from a query string the same way by its page, its CSV and XLSX
// downloads and the API: whose work (yourself by default, "all", one person, or a component's),
// the tickets' type, priority and organisation, and which kinds of item (due, planned, SLA). A
// filter that does not parse is dropped, so a hand-edited link still shows a calendar.
import { z } from 'zod';
import { PRIORITIES, TICKET_TYPES } from '../../../domain/vocabulary.ts';
import { CALENDAR_FAMILIES, type CalendarFamily, type CalendarFilter } from '../../../store/calendar-items.ts';

const id = z.string().regex(/^\d{1,9}$/).transform(Number).optional().catch(undefined);
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);
/** `kind=due&kind=sla` (the form's boxes) or `kind=due,sla`; none chosen is every kind */
const families = z.union([z.string(), z.array(z.string())]).optional()
  .transform((v) => {
    const picked = [v ?? []].flat().flatMap((s) => s.split(',')).filter((s): s is CalendarFamily => (CALENDAR_FAMILIES as readonly string[]).includes(s));
    return picked.length && picked.length < CALENDAR_FAMILIES.length ? CALENDAR_FAMILIES.filter((f) => picked.includes(f)) : undefined;
  })
  .catch(undefined);

export const calendarFilters = z.object({
  agent: z.union([z.enum(['all', 'me']), z.string().regex(/^\d{1,9}$/)]).optional().catch(undefined)
    .describe('whose work: "me" (the default), "all", or a user id; ignored when a component is given'),
  component: id.describe('a component id: everyone\'s work in it'),
  type: oneOf(TICKET_TYPES).describe(`ticket type (${TICKET_TYPES.join(', ')})`),
  priority: oneOf(PRIORITIES).describe(`priority (${PRIORITIES.join(', ')})`),
  org: id.describe('organization id'),
  kind: families.describe(`which items (${CALENDAR_FAMILIES.join(', ')}), several separated by commas; all when left out`),
});
export type CalendarFilters = z.infer<typeof calendarFilters>;

/** Whose work the filters name: a person's id, or undefined for everyone (everyone's, or a component's). */
export function calendarAssignee(f: CalendarFilters, meId: number): number | undefined {
  if (f.component !== undefined || f.agent === 'all') return undefined;
  return f.agent === undefined || f.agent === 'me' ? meId : Number(f.agent);
}

/** The store's filter of the items in [from, to) the filters name, for the person `meId`. */
export function calendarFilterOf(f: CalendarFilters, meId: number, from: number, to: number): CalendarFilter {
  return {
    from, to, assigneeId: calendarAssignee(f, meId), componentId: f.component, organizationId: f.org, type: f.type, priority: f.priority, families: f.kind,
  };
}

/** The filters as query parameters (for the page's links and downloads): the ones chosen, whose work always. */
export function calendarFilterParams(f: CalendarFilters, meId: number): [string, string][] {
  const who = calendarAssignee(f, meId);
  const out: [string, string][] = f.component !== undefined ? [['component', String(f.component)]] : [['agent', who === undefined ? 'all' : String(who)]];
  if (f.type) out.push(['type', f.type]);
  if (f.priority) out.push(['priority', f.priority]);
  if (f.org !== undefined) out.push(['org', String(f.org)]);
  for (const k of f.kind ?? []) out.push(['kind', k]);
  return out;
}
