// The fields typed into a search (`status:open assignee:me org:romashka type:incident
// from:anna@client.example after:2026-11-01`), turned into the queue filter they narrow the search
// by. A value the desk cannot place (an organisation of no such name, a date it cannot read) is
// reported to the person instead of being ignored: a search that quietly dropped `org:romashka`
// would show every organisation's tickets as if they were Romashka's.
import type { QueueFilter } from '../domain/queue-query.ts';
import type { SearchField, SearchQuery } from '../domain/search-query.ts';
import { CATEGORIES, CHANNELS, PRIORITIES, STATUSES, TICKET_TYPES, type TicketStatus } from '../domain/vocabulary.ts';
import { instantOf, parseDateKey } from '../domain/zoned-time.ts';
import { listComponentOptions } from '../store/components.ts';
import { listContactIdsByEmail } from '../store/contacts.ts';
import { listOrganizationOptions } from '../store/organization-names.ts';
import { listUsers } from '../store/users.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';

/** A field whose value matched nothing the desk knows, or more than one thing. */
export type FieldProblem = { name: SearchField; value: string; problem: 'unknown' | 'ambiguous' };

const DONE: TicketStatus[] = ['resolved', 'closed'];

/** Folded for comparing names: case, ё, and the kinds of space and quote people type. */
const fold = (s: string) => s.toLocaleLowerCase().replace(/ё/g, 'е').replace(/[«»"“”„']/g, '').replace(/\s+/g, ' ').trim();

/**
 * The one named thing a value stands for: a name equal to it, else the only name that contains it.
 * Several containing it are ambiguous; none is unknown.
 */
function byName<T extends { id: number; name: string }>(items: T[], value: string): T | 'unknown' | 'ambiguous' {
  const v = fold(value);
  const exact = items.filter((i) => fold(i.name) === v);
  if (exact.length === 1) return exact[0];
  const partial = exact.length ? exact : items.filter((i) => fold(i.name).includes(v));
  return partial.length === 1 ? partial[0] : partial.length ? 'ambiguous' : 'unknown';
}

/** One of a vocabulary's values, by its id typed in any case (`in_progress`, `In-Progress`). */
function oneOf<T extends string>(vocabulary: readonly T[], value: string): T | undefined {
  const v = value.toLowerCase().replace(/-/g, '_');
  return vocabulary.find((x) => x === v);
}

/** The later of two bounds, the earlier of two: both fields narrow. */
const narrowed = (range: QueueFilter['createdIn'], from?: number, to?: number) => ({
  from: Math.max(range?.from ?? 0, from ?? 0),
  to: Math.min(range?.to ?? Number.MAX_SAFE_INTEGER, to ?? Number.MAX_SAFE_INTEGER),
});

/** The queue filter narrowed by the search's fields, and the fields that could not be placed. */
export async function applySearchFields(
  ctx: Ctx, q: SearchQuery, who: { user: User; timeZone: string }, base: QueueFilter,
): Promise<{ filter: QueueFilter; problems: FieldProblem[] }> {
  const me = who.user;
  const f: QueueFilter = { ...base };
  const problems: FieldProblem[] = [];
  const { timeZone } = who;
  const add = <T>(list: T[] | undefined, v: T) => [...(list ?? []), v];
  for (const { name, value } of q.fields) {
    const bad = (problem: FieldProblem['problem'] = 'unknown') => problems.push({ name, value, problem });
    switch (name) {
      case 'status': {
        const v = value.toLowerCase();
        if (v === 'open') f.open = true;
        else if (v === 'done') f.statuses = [...(f.statuses ?? []), ...DONE];
        else {
          const s = oneOf(STATUSES, value);
          if (s) f.statuses = add(f.statuses, s);
          else bad();
        }
        break;
      }
      case 'priority': {
        const p = oneOf(PRIORITIES, value);
        if (p) f.priorities = add(f.priorities, p);
        else bad();
        break;
      }
      case 'type': {
        const t = oneOf(TICKET_TYPES, value);
        if (t) f.types = add(f.types, t);
        else bad();
        break;
      }
      case 'category': {
        const c = oneOf(CATEGORIES, value);
        if (c) f.categories = add(f.categories, c);
        else bad();
        break;
      }
      case 'channel': {
        const c = oneOf(CHANNELS, value);
        if (c) f.channels = add(f.channels, c);
        else bad();
        break;
      }
      case 'assignee': {
        const v = value.toLowerCase();
        if (v === 'me') f.assigneeId = me.id;
        else if (v === 'none' || v === 'nobody') f.assigneeId = null;
        else {
          const users = await listUsers(ctx.db);
          const byEmail = users.find((u) => u.email === v);
          const u = byEmail ?? byName(users, value);
          if (typeof u === 'object') f.assigneeId = u.id;
          else bad(u);
        }
        break;
      }
      case 'org': {
        const o = byName(await listOrganizationOptions(ctx.db), value);
        if (typeof o === 'object') f.organizationId = o.id;
        else bad(o);
        break;
      }
      case 'component': {
        const c = byName(await listComponentOptions(ctx.db), value);
        if (typeof c === 'object') f.componentIds = f.componentIds ? f.componentIds.filter((id) => id === c.id) : [c.id];
        else bad(c);
        break;
      }
      case 'from': {
        const v = value.replace(/^@/, '');
        const ids = await listContactIdsByEmail(ctx.db, v.includes('@') ? { email: v } : { domain: v });
        if (!ids.length) bad();
        // two from: fields are either sender
        else f.requesterIds = [...(f.requesterIds ?? []), ...ids];
        break;
      }
      case 'before':
      case 'after': {
        const day = parseDateKey(value);
        if (!day) {
          bad();
          break;
        }
        const at = instantOf(day, 0, timeZone);
        // after: that day and later; before: the days before it
        f.createdIn = name === 'after' ? narrowed(f.createdIn, at) : narrowed(f.createdIn, undefined, at);
        break;
      }
    }
  }
  return { filter: f, problems };
}
