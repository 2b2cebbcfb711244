// The calendar's items with the names of their assignee, component and organisation, as the page,
// the downloads and the API show them; and as a table for the report kit's CSV and XLSX, one row
// per item, its time in the viewer's zone.
import type { Ctx } from '../../../actions/context.ts';
import { localDateTimeOf } from '../../../domain/zoned-time.ts';
import type { ReportTable } from '../../../reports/kit/table.ts';
import type { ReportViewer } from '../../../reports/report.ts';
import { CALENDAR_KIND_LABEL, listCalendarItems, type CalendarFilter, type CalendarItem } from '../../../store/calendar-items.ts';
import { listComponentOptions } from '../../../store/components.ts';
import { listOrganizationsByIds } from '../../../store/organization-names.ts';
import { listUserOptions } from '../../../store/users.ts';

/** The most items one calendar shows; beyond it the page and the API say the list is cut short. */
export const CALENDAR_MAX_ITEMS = 2000;

export type NamedCalendarItem = CalendarItem & { assignee: string | null; component: string | null; organization: string | null };

export async function listNamedCalendarItems(ctx: Ctx, filter: CalendarFilter): Promise<{ items: NamedCalendarItem[]; truncated: boolean }> {
  const found = await listCalendarItems(ctx.db, filter, CALENDAR_MAX_ITEMS + 1);
  const items = found.slice(0, CALENDAR_MAX_ITEMS);
  const orgIds = [...new Set(items.map((it) => it.organizationId).filter((v): v is number => v !== null))];
  const [users, components, orgs] = await Promise.all([listUserOptions(ctx.db), listComponentOptions(ctx.db), orgIds.length ? listOrganizationsByIds(ctx.db, orgIds) : []]);
  const nameOf = (list: { id: number; name: string }[]) => {
    const byId = new Map(list.map((x) => [x.id, x.name]));
    return (v: number | null) => (v === null ? null : (byId.get(v) ?? null));
  };
  const [user, component, org] = [nameOf(users), nameOf(components), nameOf(orgs)];
  return {
    items: items.map((it) => ({ ...it, assignee: user(it.assigneeId), component: component(it.componentId), organization: org(it.organizationId) })),
    truncated: found.length > CALENDAR_MAX_ITEMS,
  };
}

/** The items as a download's table: when (in the zone), the kind in words, the ticket, who, which component and client. */
export function calendarTable(items: NamedCalendarItem[], timeZone: string, viewer: ReportViewer): ReportTable {
  const heading = (key: string) => viewer.t(`calendar.columns.${key}`);
  const text = (key: string, labels?: string) => ({ key, kind: 'text' as const, heading: heading(key), ...(labels ? { labels } : {}) });
  return {
    columns: [text('when'), text('kind', 'workflow'), { key: 'number', kind: 'count', heading: heading('number') }, text('subject'), text('assignee'), text('component'), text('organization')],
    rows: items.map((it) => {
      const at = localDateTimeOf(it.at, timeZone);
      return {
        cells: {
          when: `${at.date} ${at.time}`, kind: CALENDAR_KIND_LABEL[it.kind], number: it.number, subject: it.subject,
          assignee: it.assignee, component: it.component, organization: it.organization,
        },
      };
    }),
  };
}
