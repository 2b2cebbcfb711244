// Bulk generation (`helpdesk demo --tickets N`) sets the full-text triggers and the secondary
// indexes aside while it inserts: afterwards the schema is exactly as before, everything generated
// is searchable, and mail that arrives later is indexed by the triggers again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDeps, TEST_ENGINE, type TestDeps } from '../../test/helpers/deps.ts';
import { createTicket } from '../actions/tickets.ts';
import { buildServices, type Services } from '../services.ts';
import { findSetting } from '../store/settings.ts';
import { generateTickets, restoreSetAside } from './generate.ts';

const schema = async (deps: TestDeps) => await deps.db.all("select type, name, sql from sqlite_master where type in ('index', 'trigger') order by name");
const count = async (deps: TestDeps, sql: string, ...p: unknown[]) => (await deps.db.value(sql, ...p)) as number;
const ftsMatches = async (deps: TestDeps, table: 'messages' | 'tickets', word: string) => await count(deps, `select count(*) from ${table}_fts where ${table}_fts match ?`, word);
const wordCount = async (deps: TestDeps, table: 'messages' | 'tickets', column: string, word: string) =>
  await count(deps, `select count(*) from ${table} where ' ' || ${column} || ' ' like ?`, `% ${word} %`);

// the bulk loader writes through SQLite's own connection (PostgreSQL desks are filled by migrate-to-postgres)
describe.runIf(TEST_ENGINE === 'sqlite')('generateTickets in bulk mode', () => {
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

  it('repairs what an interrupted run left aside before it starts', async () => {
    const before = await schema(deps);
    // a run that fails while inserting (an assignee that does not exist) puts them back at once
    await expect(generateTickets(s.ctx, { tickets: 100, messagesPerTicket: 2, agentIds: [999_999], bulk: true })).rejects.toThrow(/FOREIGN KEY/);
    expect(await schema(deps)).toEqual(before);
    // a run that was killed: the trigger and an index are aside, recorded in settings
    deps.db.sqlite.exec('drop trigger messages_fts_ai; drop index tickets_open_activity_idx');
    await deps.db.run("insert into settings (key, value, updated_at) values ('demo.setAside', ?, 0)", JSON.stringify((before as { type: string; name: string; sql: string }[]).filter((o) => ['messages_fts_ai', 'tickets_open_activity_idx'].includes(o.name))));
    expect(await restoreSetAside(s.ctx)).toBe(true);
    expect(await schema(deps)).toEqual(before);
    expect(await restoreSetAside(s.ctx)).toBe(false);
  });
});
