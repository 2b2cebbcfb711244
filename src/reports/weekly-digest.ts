// The weekly digest: on Monday morning (desk time) each manager and admin who has not turned it
// off gets one mail with last week's figures (created, resolved, the backlog and what is overdue
// now, the busiest components, the clients that cost more than they pay this month), then the same
// figures for each component they manage or work in and the clients busiest there, and links to
// the dashboard and the reports; a week with nothing created or done has none. Each person's mail is queued in the transaction that records
// them as sent for that week, so a scheduler pass that runs twice sends nothing twice.
import type { Ctx } from '../actions/context.ts';
import { inTransaction } from '../db/client.ts';
import { can } from '../domain/permissions.ts';
import { SLA_RISK_MS } from '../domain/queue-query.ts';
import { digestWeekOf } from '../domain/report-period.ts';
import { ROLES } from '../domain/vocabulary.ts';
import { queueEmail } from '../outbox/queue.ts';
import { countQueue } from '../store/queue.ts';
import { parseQueueQuery, queueQueryString, type QueueFilter } from '../domain/queue-query.ts';
import { listUserComponentIds } from '../store/agent-loads.ts';
import { listComponents } from '../store/components.ts';
import { countOpenAt, countTicketsPerSpan, listBusiestComponents, listBusiestOrganizations } from '../store/report-counts.ts';
import { findSetting, upsertSetting } from '../store/settings.ts';
import { listActiveUsersByRole, type User } from '../store/users.ts';
import { losingClients } from './cost/report.ts';

export const DIGEST_EVENT = 'weekly_digest';
const TOP_COMPONENTS = 3;

type Counts = { created: number; resolved: number; open: number; overdue: number };

export type DigestFigures = Counts & {
  from: string;
  to: string;
  components: { name: string; created: number }[];
  losing: string[];
  links: { dashboard: string; week: string; cost: string };
  /** the recipient's components (managed or worked in), each with its figures and its queue */
  mine?: (Counts & { name: string; href: string })[];
  /** the clients with the most tickets created in the recipient's components that week */
  clients?: { name: string; created: number }[];
};

type Period = NonNullable<ReturnType<typeof digestWeekOf>>['period'];

/** The week's created and done, open now and overdue or at risk now, of the tickets the filter takes. */
async function counts(ctx: Ctx, now: number, period: Period, f: QueueFilter): Promise<Counts> {
  const span = [{ from: period.from, to: period.to }];
  const [[created], [resolved], open, overdue] = await Promise.all([
    countTicketsPerSpan(ctx.db, 'created', span, f),
    countTicketsPerSpan(ctx.db, 'done', span, f),
    countOpenAt(ctx.db, now, f),
    countQueue(ctx.db, { ...f, open: true, slaDueBefore: now + SLA_RISK_MS }, 100_000),
  ]);
  return { created, resolved, open, overdue: Number(overdue) };
}

async function figures(ctx: Ctx, now: number, period: Period): Promise<DigestFigures> {
  const busiest = await listBusiestComponents(ctx.db, { from: period.from, to: period.to }, TOP_COMPONENTS);
  const base = ctx.config.publicUrl;
  return {
    from: period.fromKey,
    to: period.toKey,
    ...(await counts(ctx, now, period, {})),
    components: busiest,
    losing: await losingClients({ ...ctx, viewer: { locale: ctx.config.defaultLocale, t: (k) => k } }),
    links: { dashboard: `${base}/dashboard`, week: `${base}/reports/created-resolved?from=${period.fromKey}&to=${period.toKey}&group=day`, cost: `${base}/reports/cost` },
  };
}

/** Queues this week's digest to every manager and admin who wants it and has not had it; returns how many. */
export async function queueWeeklyDigests(ctx: Ctx, now: number): Promise<number> {
  const week = digestWeekOf(now, ctx.config.timeZone);
  if (!week) return 0;
  const key = `${DIGEST_EVENT}.${week.key}`;
  const sentTo = new Set(await findSetting<number[]>(ctx.db, key) ?? []);
  const people: User[] = (await Promise.all(ROLES.filter((r) => can(r, 'report.view')).map((r) => listActiveUsersByRole(ctx.db, r)))).flat();
  const due = people.filter((u) => !sentTo.has(u.id) && u.notifyPrefs?.[DIGEST_EVENT] !== false);
  if (due.length === 0) return 0;
  const vars = await figures(ctx, now, week.period);
  // a week in which nothing came in and nothing was done (a desk just set up) has no digest
  if (vars.created === 0 && vars.resolved === 0) return 0;
  const names = new Map((await listComponents(ctx.db)).map((c) => [c.id, c.name]));
  const perComponent = new Map<number, Counts>();
  const componentCounts = async (id: number) => perComponent.get(id) ?? perComponent.set(id, await counts(ctx, now, week.period, { componentIds: [id] })).get(id)!;
  /** the figures of the person's own components, after the desk's */
  const theirs = async (user: User): Promise<DigestFigures> => {
    const ids = (await listUserComponentIds(ctx.db, user.id)).filter((id) => names.has(id));
    if (!ids.length) return vars;
    const mine = await Promise.all(ids.map(async (id) => ({
      name: names.get(id)!, ...(await componentCounts(id)), href: `${ctx.config.publicUrl}/tickets?${queueQueryString(parseQueueQuery({ view: 'open' }), { component: [id] })}`,
    })));
    const clients = await listBusiestOrganizations(ctx.db, { from: week.period.from, to: week.period.to }, ids, TOP_COMPONENTS);
    return { ...vars, mine: mine.sort((a, b) => a.name.localeCompare(b.name)), clients };
  };
  let queued = 0;
  for (const user of due) {
    const digest = await theirs(user);
    const sent = await inTransaction(ctx.db, async () => {
      // read again inside the transaction: another pass may have sent it meanwhile
      const already = await findSetting<number[]>(ctx.db, key) ?? [];
      if (already.includes(user.id)) return false;
      await queueEmail(ctx.db, {
        ticketId: null, event: DIGEST_EVENT, recipient: user.email,
        payload: { template: DIGEST_EVENT, locale: user.locale, auto: true, audience: 'agent', vars: { digest } },
      }, now);
      await upsertSetting(ctx.db, key, [...already, user.id], now);
      return true;
    });
    if (sent) queued++;
  }
  return queued;
}
