// Ticket trends for the reports: per component, category or organisation of the tickets, how many
// of a queue filter were created in each span of a period, and the minutes logged on them within
// the whole period. One query per question, whatever the number of groups and spans.
import { type AnyColumn } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { tickets } from '../db/schema.ts';
import type { QueueFilter } from '../domain/queue-query.ts';
import { countTicketsBy, type DayCountDim } from './day-counts.ts';
import { namesByIds } from './report-sla.ts';
import type { TimeSpan } from './report-counts.ts';
import { sumLogged, type TimeSplit } from './time-sums.ts';

export const TREND_GROUPS = ['component', 'category', 'organization'] as const;
export type TrendGroupBy = (typeof TREND_GROUPS)[number];

/** A group's key: the component's or organisation's id, the category; null for tickets without one. */
export type TrendKey = number | string | null;

export type TrendGroup = {
  key: TrendKey;
  /** the component's or organisation's name (null for a category, or none) */
  name: string | null;
  /** tickets created in each span, in the spans' order */
  perSpan: number[];
  /** minutes logged on the group's tickets within [first span's start, last span's end) */
  minutes: number;
};

type Raw = number | string;

const SPLIT: Record<TrendGroupBy, TimeSplit> = { component: 'component', category: 'category', organization: 'org' };

const COUNTED: Record<TrendGroupBy, { dim: DayCountDim; column: AnyColumn }> = {
  component: { dim: 'component', column: tickets.componentId },
  category: { dim: 'category', column: tickets.category },
  organization: { dim: 'org', column: tickets.organizationId },
};

/** Every group that has tickets created in the spans or time logged in them, in no particular order. */
export async function listTrendGroups(db: Db, by: TrendGroupBy, spans: readonly TimeSpan[], f: QueueFilter): Promise<TrendGroup[]> {
  if (spans.length === 0) return [];
  const from = spans[0].from;
  const to = spans[spans.length - 1].to;
  const [created, logged] = await Promise.all([
    // the day counts under each value (store/day-counts.ts)
    countTicketsBy(db, spans.map((span) => ({ which: 'created' as const, span })), f, COUNTED[by]),
    // the minutes under each value: the kept sums (store/time-sums.ts)
    sumLogged(db, [{ from, to }], { tickets: f }, SPLIT[by]),
  ]);
  const groups = new Map<string, TrendGroup>();
  const group = (k: Raw): TrendGroup => {
    const key = keyOf(by, k);
    let g = groups.get(String(key));
    if (!g) groups.set(String(key), (g = { key, name: null, perSpan: spans.map(() => 0), minutes: 0 }));
    return g;
  };
  for (const c of created) group(c.key ?? (by === 'category' ? '' : 0)).perSpan[c.ask] += c.n;
  for (const l of logged) group(l.key ?? (by === 'category' ? '' : 0)).minutes += l.minutes;
  // categories are named in the viewer's language by the report, not read from a table
  if (by === 'category') return [...groups.values()];
  const names = await namesByIds(db, by, [...groups.values()].map((g) => g.key).filter((k): k is number => typeof k === 'number'));
  for (const g of groups.values()) g.name = typeof g.key === 'number' ? (names.get(g.key) ?? null) : null;
  return [...groups.values()];
}

function keyOf(by: TrendGroupBy, k: Raw): TrendKey {
  if (by === 'category') return k === '' ? null : String(k);
  return Number(k) === 0 ? null : Number(k);
}
