// The fields typed into a search (`status:open assignee:me org:romashka type:incident
// from:anna@client.example after:2026-11-01`), turned into the queue filter they narrow the search
// by. A value the desk cannot place (an organisation of no such name, a date it cannot read) is
// reported to the person instead of being ignored: a search that quietly dropped `org:romashka`
// would show every organisation's tickets as if they were Romashka's.
import type { QueueFilter } from '../domain/queue-query.ts';
import type { SearchField, SearchQuery } from '../domain/search-query.ts';
import { CATEGORIES, CHANNELS, PRIORITIES, STATUSES, TICKET_TYPES, type Category, type Channel, type Priority, type TicketStatus, type TicketType } from '../domain/vocabulary.ts';
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

/** The values the page's filter allows and the typed ones allow both (a field given twice allows either); none left: a value nothing has. */
function both<T>(base: T[] | undefined, typed: T[], nothing: T): T[] {
  if (!typed.length) return base ?? [];
  const kept = base ? base.filter((v) => typed.includes(v)) : typed;
  return kept.length ? kept : [nothing];
}

/** One id the page's filter and the typed field must both be; when they differ nothing matches. */
function same<T>(base: T | undefined, typed: T | undefined, nothing: T): T | undefined {
  if (typed === undefined) return base;
  return base === undefined || base === typed ? typed : nothing;
}

/**
 * The queue filter narrowed by the search's fields (each narrows what the page's filter already
 * selects; the same field given twice allows either value), and the fields that could not be placed.
 */
export async function applySearchFields(
  ctx: Ctx, q: SearchQuery, who: { user: User; timeZone: string }, base: QueueFilter,
): Promise<{ filter: QueueFilter; problems: FieldProblem[] }> {
  const me = who.user;
  const { timeZone } = who;
  const f: QueueFilter = { ...base };
  const problems: FieldProblem[] = [];
  const typed = {
    statuses: [] as TicketStatus[], priorities: [] as Priority[], types: [] as TicketType[], categories: [] as Category[], channels: [] as Channel[],
    componentIds: [] as number[], requesters: { emails: [] as string[], domains: [] as string[] },
  };
  let open: boolean | undefined;
  let assignee: number | null | undefined;
  let organization: number | undefined;
  for (const { name, value } of q.fields) {
    const bad = (problem: FieldProblem['problem'] = 'unknown') => problems.push({ name, value, problem });
    const pick = <T extends string>(vocabulary: readonly T[], into: T[]) => {
      const v = oneOf(vocabulary, value);
      if (v) into.push(v);
      else bad();
    };
    switch (name) {
      case 'status': {
        const v = value.toLowerCase();
        if (v === 'open') open = true;
        else if (v === 'done') typed.statuses.push(...DONE);
        else pick(STATUSES, typed.statuses);
        break;
      }
      case 'priority':
        pick(PRIORITIES, typed.priorities);
        break;
      case 'type':
        pick(TICKET_TYPES, typed.types);
        break;
      case 'category':
        pick(CATEGORIES, typed.categories);
        break;
      case 'channel':
        pick(CHANNELS, typed.channels);
        break;
      case 'assignee': {
        const v = value.toLowerCase();
        if (v === 'me') assignee = me.id;
        else if (v === 'none' || v === 'nobody') assignee = null;
        else {
          const users = await listUsers(ctx.db);
          const u = users.find((x) => x.email === v) ?? byName(users, value);
          if (typeof u === 'object') assignee = u.id;
          else bad(u);
        }
        break;
      }
      case 'org': {
        const o = byName(await listOrganizationOptions(ctx.db), value);
        if (typeof o === 'object') organization = o.id;
        else bad(o);
        break;
      }
      case 'component': {
        const c = byName(await listComponentOptions(ctx.db), value);
        if (typeof c === 'object') typed.componentIds.push(c.id);
        else bad(c);
        break;
      }
      case 'from': {
        const v = value.replace(/^@/, '').toLowerCase();
        const address = v.includes('@');
        if (!(await listContactIdsByEmail(ctx.db, address ? { email: v } : { domain: v }, 1)).length) bad();
        else (address ? typed.requesters.emails : typed.requesters.domains).push(v);
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
  if (typed.statuses.length) f.statuses = both(f.statuses, typed.statuses, '__none__' as TicketStatus);
  if (typed.priorities.length) f.priorities = both(f.priorities, typed.priorities, '__none__' as Priority);
  if (typed.types.length) f.types = both(f.types, typed.types, '__none__' as TicketType);
  if (typed.categories.length) f.categories = both(f.categories, typed.categories, '__none__' as Category);
  if (typed.channels.length) f.channels = both(f.channels, typed.channels, '__none__' as Channel);
  if (typed.componentIds.length) f.componentIds = both(f.componentIds, typed.componentIds, -1);
  if (open !== undefined) f.open = f.open === false ? f.open : open;
  if (open && base.open === false) f.statuses = ['__none__' as TicketStatus]; // open, in the closed view: nothing
  if (assignee !== undefined) f.assigneeId = same(f.assigneeId, assignee, -1);
  if (organization !== undefined) f.organizationId = same(f.organizationId, organization, -1);
  if (typed.requesters.emails.length || typed.requesters.domains.length) f.requesters = typed.requesters;
  return { filter: f, problems };
}
