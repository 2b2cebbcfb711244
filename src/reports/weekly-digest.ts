// The weekly digest: on Monday morning (desk time) each manager and admin who has not turned it
// off gets one mail with last week's figures (created, resolved, the backlog and what is overdue
// now, the busiest components, the clients that cost more than they pay this month) and links to
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
import { countOpenAt, countTicketsPerSpan, listBusiestComponents } from '../store/report-counts.ts';
import { findSetting, upsertSetting } from '../store/settings.ts';
import { listActiveUsersByRole, type User } from '../store/users.ts';
import { losingClients } from './cost/report.ts';

export const DIGEST_EVENT = 'weekly_digest';
const TOP_COMPONENTS = 3;

export type DigestFigures = {
  from: string;
  to: string;
  created: number;
  resolved: number;
  open: number;
  overdue: number;
  components: { name: string; created: number }[];
  losing: string[];
  links: { dashboard: string; week: string; cost: string };
};

async function figures(ctx: Ctx, now: number, period: NonNullable<ReturnType<typeof digestWeekOf>>['period']): Promise<DigestFigures> {
  const span = [{ from: period.from, to: period.to }];
  const [[created], [resolved], open, overdue] = await Promise.all([
    countTicketsPerSpan(ctx.db, 'created', span, {}),
    countTicketsPerSpan(ctx.db, 'done', span, {}),
    countOpenAt(ctx.db, now, {}),
    countQueue(ctx.db, { open: true, slaDueBefore: now + SLA_RISK_MS }, 100_000),
  ]);
  const busiest = await listBusiestComponents(ctx.db, span[0], TOP_COMPONENTS);
  const base = ctx.config.publicUrl;
  return {
    from: period.fromKey,
    to: period.toKey,
    created,
    resolved,
    open,
    overdue: Number(overdue),
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
  let queued = 0;
  for (const user of due) {
    const sent = await inTransaction(ctx.db, async () => {
      // read again inside the transaction: another pass may have sent it meanwhile
      const already = await findSetting<number[]>(ctx.db, key) ?? [];
      if (already.includes(user.id)) return false;
      await queueEmail(ctx.db, {
        ticketId: null, event: DIGEST_EVENT, recipient: user.email,
        payload: { template: DIGEST_EVENT, locale: user.locale, auto: true, audience: 'agent', vars: { digest: vars } },
      }, now);
      await upsertSetting(ctx.db, key, [...already, user.id], now);
      return true;
    });
    if (sent) queued++;
  }
  return queued;
}
