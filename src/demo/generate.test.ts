// The load-test generator (`helpdesk demo --tickets N`) on either engine: it fills the desk with
// tickets the store reads like any other, numbered on from those already there, in one transaction
// per batch. Bulk mode sets the secondary indexes (on SQLite also the full-text triggers) aside while
// it inserts: afterwards the schema is exactly as before, also after a run that failed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, TEST_ENGINE, type TestDeps } from '../../test/helpers/deps.ts';
import { createTicket } from '../actions/tickets.ts';
import { parseQueueQuery, queueFilter } from '../domain/queue-query.ts';
import { buildServices, type Services } from '../services.ts';
import { listTicketMessages } from '../store/messages.ts';
import { countQueue, listQueue } from '../store/queue.ts';
import { findSetting } from '../store/settings.ts';
import { getTicket } from '../store/tickets.ts';
import { generateTickets, restoreSetAside } from './generate.ts';

type SchemaObject = { type: string; name: string; sql: string };

/** The indexes and triggers of the desk's database, as each engine describes them. */
const schema = async (deps: TestDeps): Promise<SchemaObject[]> =>
  deps.db.engine === 'sqlite'
    ? await deps.db.all<SchemaObject>("select type, name, sql from sqlite_master where type in ('index', 'trigger') order by name")
    : await deps.db.all<SchemaObject>(
        `select 'index' as type, indexname::text as name, indexdef as sql from pg_indexes where schemaname = current_schema()
          union all select 'trigger', tgname::text, pg_get_triggerdef(oid) from pg_trigger where not tgisinternal order by name`,
      );
const count = async (deps: TestDeps, sql: string, ...p: unknown[]) => Number(await deps.db.value(sql, ...p));
const ftsMatches = async (deps: TestDeps, table: 'messages' | 'tickets', word: string) => await count(deps, `select count(*) from ${table}_fts where ${table}_fts match ?`, word);
const wordCount = async (deps: TestDeps, table: 'messages' | 'tickets', column: string, word: string) =>
  await count(deps, `select count(*) from ${table} where ' ' || ${column} || ' ' like ?`, `% ${word} %`);
/** [lowest, highest, how many different] ticket numbers */
const numbers = async (deps: TestDeps) => (await deps.db.row('select min(number), max(number), count(distinct number) from tickets'))!.map(Number);

/** Rows that point at nothing (or at the wrong thing), per reference; all zero in a sound desk. */
async function danglingReferences(deps: TestDeps): Promise<Record<string, number>> {
  const checks: Record<string, string> = {
    requester: 'select count(*) from tickets t where not exists (select 1 from contacts c where c.id = t.requester_id)',
    organization: `select count(*) from tickets t where t.organization_id is not null and not exists (select 1 from organizations o where o.id = t.organization_id)
      or t.organization_id is distinct from (select c.organization_id from contacts c where c.id = t.requester_id)`,
    assignee: "select count(*) from tickets t where t.assignee_id is not null and not exists (select 1 from users u where u.id = t.assignee_id and u.role = 'agent')",
    component: 'select count(*) from tickets t where t.component_id is not null and not exists (select 1 from components c where c.id = t.component_id)',
    messageTicket: 'select count(*) from messages m where not exists (select 1 from tickets t where t.id = m.ticket_id)',
    messageAuthor: `select count(*) from messages m where (m.author_user_id is null) = (m.author_contact_id is null)
      or m.author_user_id is not null and not exists (select 1 from users u where u.id = m.author_user_id)
      or m.author_contact_id is not null and not exists (select 1 from contacts c where c.id = m.author_contact_id)`,
    contactEmail: 'select count(*) from contacts c where not exists (select 1 from contact_emails e where e.contact_id = c.id and e.is_primary = 1)',
    // the time logged: by an agent, within the ticket's life, adding up to the ticket's logged minutes
    worklogUser: "select count(*) from worklogs w where not exists (select 1 from users u where u.id = w.user_id and u.role = 'agent')",
    worklogTime: 'select count(*) from worklogs w join tickets t on t.id = w.ticket_id where w.worked_at < t.created_at or w.worked_at > t.last_activity_at or w.minutes <= 0 or w.minutes % 15 <> 0',
    worklogSum: 'select count(*) from tickets t where t.logged_minutes <> coalesce((select sum(w.minutes) from worklogs w where w.ticket_id = t.id), 0)',
    // ids in the order of the numbers: each batch's rows got theirs from the table, in turn
    idOrder: 'select count(*) from tickets a join tickets b on a.number < b.number and a.id > b.id',
  };
  const out: Record<string, number> = {};
  for (const [name, sql] of Object.entries(checks)) out[name] = await count(deps, sql);
  return out;
}
const SOUND = { requester: 0, organization: 0, assignee: 0, component: 0, messageTicket: 0, messageAuthor: 0, contactEmail: 0, worklogUser: 0, worklogTime: 0, worklogSum: 0, idOrder: 0 };

/**
 * A trigger that refuses every message of a ticket numbered above `above` (a run that fails half
 * way), saying whether the queue's index was in place at that moment.
 */
async function failMessagesAbove(deps: TestDeps, above: number): Promise<void> {
  if (deps.db.engine === 'sqlite') {
    await deps.db.run(`create trigger fail_late before insert on messages when (select number from tickets where id = new.ticket_id) > ${above}
      begin select case when exists (select 1 from sqlite_master where name = 'tickets_open_activity_idx')
        then raise(abort, 'no more messages (indexes in place)') else raise(abort, 'no more messages (indexes aside)') end; end`);
    return;
  }
  await deps.db.run(`create function fail_late() returns trigger language plpgsql as $$ begin
    if (select number from tickets where id = new.ticket_id) > ${above} then
      raise exception 'no more messages (indexes %)', case when to_regclass('tickets_open_activity_idx') is null then 'aside' else 'in place' end;
    end if; return new; end $$`);
  await deps.db.run('create trigger fail_late before insert on messages for each row execute function fail_late()');
}

async function dropFailMessages(deps: TestDeps): Promise<void> {
  await deps.db.run('drop trigger fail_late' + (deps.db.engine === 'postgres' ? ' on messages' : ''));
}

describe('generateTickets', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('fills the desk in bulk: numbered on from the tickets already there, each with its messages, every reference sound', async () => {
    const first = await createTicket(s.ctx, { kind: 'system' }, { subject: 'Before the load', body: 'zebra crossing', requesterEmail: 'a@b.example' });
    const before = await schema(deps);
    const r = await generateTickets(s.ctx, { tickets: 300, messagesPerTicket: 3, agents: 2, bulk: true, batch: 120 });
    expect(r).toEqual({ tickets: 300, messages: (await count(deps, 'select count(*) from messages')) - 1 });
    expect(await numbers(deps)).toEqual([1, 301, 301]);
    // between 2 and 2×3−2 messages each
    const perTicket = await deps.db.row('select min(n), max(n), count(*) from (select count(*) as n from messages m join tickets t on t.id = m.ticket_id where t.number > 1 group by t.id) x');
    expect(perTicket!.map(Number)).toEqual([2, 4, 300]);
    expect(await danglingReferences(deps)).toEqual(SOUND);
    // time is logged on the resolved and closed tickets and on some in progress, most of it billed to the contract
    const logged = (await deps.db.row('select count(distinct ticket_id), count(*), sum(billable) from worklogs'))!.map(Number);
    expect(logged[0]).toBe(await count(deps, 'select count(*) from tickets where logged_minutes > 0'));
    expect(logged[0]).toBeGreaterThan(100);
    expect(logged[1]).toBeGreaterThan(logged[0]);
    expect(logged[2]).toBeGreaterThan(logged[1] / 2);
    expect(logged[2]).toBeLessThan(logged[1]);
    expect(await count(deps, "select count(*) from users where email like '%@load.example'")).toBe(2);
    expect(await count(deps, 'select count(*) from contacts')).toBe(200); // the one already there and 199 made up
    // the indexes are back as they were, nothing left noted, and the planner has statistics
    expect(await schema(deps)).toEqual(before);
    expect(await findSetting(deps.db, 'demo.setAside')).toBeUndefined();
    const stats = deps.db.engine === 'sqlite' ? "select count(*) from sqlite_stat1 where tbl = 'tickets'" : "select reltuples from pg_class where relname = 'tickets'";
    expect(await count(deps, stats)).toBeGreaterThan(0);

    // a ticket made by the desk afterwards gets the next number and an id of its own
    const after = await createTicket(s.ctx, { kind: 'system' }, { subject: 'After the load', body: 'quokka sighting', requesterEmail: 'a@b.example' });
    expect(after.number).toBe(302);
    expect(after.id).toBeGreaterThan(await count(deps, 'select max(id) from tickets where id <> ?', after.id));
    // a second run (not in bulk) goes on from there, with the agents and contacts already made
    await generateTickets(s.ctx, { tickets: 50, messagesPerTicket: 2, agents: 2, batch: 20 });
    expect(await numbers(deps)).toEqual([1, 352, 352]);
    expect(await count(deps, "select count(*) from users where email like '%@load.example'")).toBe(2);
    expect(await count(deps, 'select count(*) from contacts')).toBe(200); // the one already there and 199 made up
    expect(await danglingReferences(deps)).toEqual(SOUND);
    expect((await getTicket(deps.db, first.id)).subject).toBe('Before the load');
  });

  it('gives tickets the store reads like any other: the ticket, its thread, the queue', async () => {
    deps.clock.set(Date.UTC(2026, 10, 20, 12));
    await generateTickets(s.ctx, { tickets: 200, messagesPerTicket: 3, agents: 2 });
    const row = (await deps.db.get<{ id: number; subject: string; status: string; assigneeId: number | null; n: number }>(
      "select id, subject, status, assignee_id as assigneeId, (select count(*) from messages m where m.ticket_id = t.id) as n from tickets t where number = 150",
    ))!;
    const ticket = await getTicket(deps.db, row.id);
    expect(ticket).toMatchObject({ number: 150, subject: row.subject, status: row.status, assigneeId: row.assigneeId });
    expect(ticket.isOpen).toBe(!['resolved', 'closed'].includes(row.status));
    const thread = await listTicketMessages(deps.db, row.id);
    expect(thread).toHaveLength(Number(row.n));
    expect(thread[0]).toMatchObject({ kind: 'reply', direction: 'in', subject: row.subject });
    expect(thread.map((m) => m.createdAt)).toEqual([...thread.map((m) => m.createdAt)].sort((a, b) => a - b));

    const open = queueFilter(parseQueueQuery({ view: 'open' }), { userId: row.assigneeId ?? 1, componentIds: [], now: deps.clock.now() });
    const want = await deps.db.column<number>('select id from tickets where is_open = 1 order by last_activity_at desc, id desc');
    expect(want.length).toBeGreaterThan(10);
    expect(await countQueue(deps.db, open, 10_000)).toBe(want.length);
    const page = await listQueue(deps.db, open, 'updated', null, 5);
    expect(page.rows.map((t) => t.id)).toEqual(want.slice(0, 5));
    const next = await listQueue(deps.db, open, 'updated', page.next, 5);
    expect(next.rows.map((t) => t.id)).toEqual(want.slice(5, 10));
  });

  it('leaves every batch whole: a run that fails keeps the batches before, none of the failed one, and the indexes', async () => {
    await failMessagesAbove(deps, 150);
    const before = await schema(deps);
    // (while it inserted, the indexes were aside)
    await expect(generateTickets(s.ctx, { tickets: 300, messagesPerTicket: 2, agents: 2, bulk: true, batch: 100 })).rejects.toThrow('no more messages (indexes aside)');
    // the first batch is in, with all its messages; of the second (tickets 101–200) nothing
    expect(await numbers(deps)).toEqual([1, 100, 100]);
    expect(await count(deps, 'select count(*) from tickets t where not exists (select 1 from messages m where m.ticket_id = t.id)')).toBe(0);
    expect(await danglingReferences(deps)).toEqual(SOUND);
    expect(await schema(deps)).toEqual(before);
    expect(await findSetting(deps.db, 'demo.setAside')).toBeUndefined();
    // not in bulk the indexes stay; the next run goes on after the last whole batch
    await expect(generateTickets(s.ctx, { tickets: 300, messagesPerTicket: 2, agents: 2, batch: 100 })).rejects.toThrow('no more messages (indexes in place)');
    expect(await numbers(deps)).toEqual([1, 100, 100]);
    await dropFailMessages(deps);
    await generateTickets(s.ctx, { tickets: 300, messagesPerTicket: 2, agents: 2, batch: 100 });
    expect(await numbers(deps)).toEqual([1, 400, 400]);
    expect(await danglingReferences(deps)).toEqual(SOUND);
  });

  it('repairs what an interrupted run left aside before it starts', async () => {
    const before = await schema(deps);
    // a run that fails while inserting (an assignee that does not exist) puts them back at once
    await expect(generateTickets(s.ctx, { tickets: 100, messagesPerTicket: 2, agentIds: [999_999], bulk: true })).rejects.toThrow(/foreign key/i);
    expect(await schema(deps)).toEqual(before);
    expect(await count(deps, 'select count(*) from tickets')).toBe(0);
    // a run that was killed: an index (on SQLite also a full-text trigger) is aside, recorded in settings
    const aside = TEST_ENGINE === 'sqlite' ? ['messages_fts_ai', 'tickets_open_activity_idx'] : ['tickets_open_activity_idx'];
    if (TEST_ENGINE === 'sqlite') await deps.db.run('drop trigger messages_fts_ai');
    await deps.db.run('drop index tickets_open_activity_idx');
    await deps.db.run("insert into settings (key, value, updated_at) values ('demo.setAside', ?, 0)", JSON.stringify(before.filter((o) => aside.includes(o.name))));
    expect(await schema(deps)).not.toEqual(before);
    expect(await restoreSetAside(s.ctx)).toBe(true);
    expect(await schema(deps)).toEqual(before);
    expect(await restoreSetAside(s.ctx)).toBe(false);
  });
});

// SQLite's full-text index (FTS5 tables kept by triggers) is set aside and rebuilt in bulk mode
describe.runIf(TEST_ENGINE === 'sqlite')('generateTickets in bulk mode on SQLite', () => {
  let deps: TestDeps;
  let s: Services;
  beforeEach(async () => {
    deps = await makeTestDeps();
    s = buildServices(deps);
  });
  afterEach(() => deps.close());

  it('leaves the schema as it was and the full-text index complete', async () => {
    await createTicket(s.ctx, { kind: 'system' }, { subject: 'Before the bulk load', body: 'zebra crossing', requesterEmail: 'a@b.example' });
    const before = await schema(deps);
    const r = await generateTickets(s.ctx, { tickets: 400, messagesPerTicket: 3, agents: 2, bulk: true, batch: 150 });
    expect(r.tickets).toBe(400);
    expect(await schema(deps)).toEqual(before);
    expect(await findSetting(deps.db, 'demo.setAside')).toBeUndefined();
    // the index agrees with the rows, old and generated
    expect(await ftsMatches(deps, 'messages', 'zebra')).toBe(1);
    expect(await ftsMatches(deps, 'messages', 'printer')).toBe(await wordCount(deps, 'messages', 'body_text', 'printer'));
    expect(await ftsMatches(deps, 'messages', 'printer')).toBeGreaterThan(0);
    expect(await ftsMatches(deps, 'tickets', 'printer')).toBe(await wordCount(deps, 'tickets', 'subject', 'printer'));
    deps.db.sqlite.exec("insert into messages_fts(messages_fts, rank) values('integrity-check', 1)");
    deps.db.sqlite.exec("insert into tickets_fts(tickets_fts, rank) values('integrity-check', 1)");
    // the triggers are back: a new ticket is searchable at once
    await createTicket(s.ctx, { kind: 'system' }, { subject: 'Wombat seen after the bulk load', body: 'quokka sighting', requesterEmail: 'a@b.example' });
    expect(await ftsMatches(deps, 'messages', 'quokka')).toBe(1);
    expect(await ftsMatches(deps, 'tickets', 'wombat')).toBe(1);
  });

});
