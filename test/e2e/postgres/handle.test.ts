// The PostgreSQL handle on a real server: the store's own functions and drizzle's query builder
// work on it as on SQLite, and its transactions are units, retried when PostgreSQL asks.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../../src/db/client.ts';
import { migratePostgres, openPostgres, type PostgresDb } from '../../../src/db/postgres.ts';
import { findContact, insertContact } from '../../../src/store/contacts.ts';
import { findTicket, insertTicket, listTickets } from '../../../src/store/tickets.ts';
import { isConnectionLost } from '../../../src/db/connection-lost.ts';
import { startPostgres, type PostgresCluster } from '../../helpers/postgres.ts';

let cluster: PostgresCluster;
let db: PostgresDb;
beforeAll(async () => {
  cluster = await startPostgres();
  db = openPostgres(cluster.url(await cluster.createDatabase()));
  await migratePostgres(db);
}, 60_000);
afterAll(async () => {
  await db?.close();
  cluster?.stop();
});

const store = () => db as unknown as Db;
const later = (ms: number) => new Promise((r) => setTimeout(r, ms));
const keys = () => db.column<string>('select key from settings order by key');

it('runs the store: numbered tickets, contacts with their addresses, flags and JSON read back as on SQLite', async () => {
  const now = 1_790_000_000_000;
  const contact = await insertContact(store(), { name: 'Анна', emails: ['Anna@Client.example'], phones: ['+79123456789'] }, now);
  expect(contact).toMatchObject({ id: 1, name: 'Анна', organizationId: null, createdAt: now });
  const a = await insertTicket(store(), { subject: 'Принтер', channel: 'email', requesterId: contact.id }, now);
  const b = await insertTicket(store(), { subject: 'VPN', channel: 'sms', billable: true }, now);
  expect([a.number, b.number]).toEqual([1, 2]);
  expect(await findTicket(store(), b.id)).toMatchObject({ subject: 'VPN', billable: true, status: 'new', isOpen: true, priorityOrder: 2, createdAt: now });
  expect((await listTickets(store(), {}, { limit: 5 })).map((t) => t.subject)).toEqual(['VPN', 'Принтер']);
  expect((await findContact(store(), contact.id))?.name).toBe('Анна');
  expect(await db.all('select email, is_primary from contact_emails')).toEqual([{ email: 'anna@client.example', is_primary: 1 }]);
});

it('keeps another request out of an open transaction, and a write outside it is not undone with it', async () => {
  const seen: string[] = [];
  // the steps interleave in a fixed order: the transaction writes, the outside reads and writes, the transaction reads
  let inserted!: () => void;
  const afterInsert = new Promise<void>((r) => (inserted = r));
  let wrote!: () => void;
  const outsideWrote = new Promise<void>((r) => (wrote = r));
  const tx = db
    .transaction(async () => {
      await db.run("insert into settings (key, value, updated_at) values ('in-tx', '1', 1)");
      inserted();
      await outsideWrote;
      seen.push(`tx sees ${(await keys()).join(',')}`);
      throw new Error('rolled back');
    })
    .catch((err: Error) => seen.push(err.message));
  await afterInsert;
  seen.push(`outside sees ${(await keys()).join(',') || 'nothing'}`);
  // on its own connection, a write from outside need not wait; the transaction keeps its snapshot
  await db.run("insert into settings (key, value, updated_at) values ('outside', '1', 1)");
  wrote();
  await tx;
  expect(seen).toEqual(['outside sees nothing', 'tx sees in-tx', 'rolled back']);
  expect(await keys()).toEqual(['outside']);
});

it('runs transactions that read and write the same row one after another in effect: retried, none lost', async () => {
  await db.run("insert into settings (key, value, updated_at) values ('n', '0', 1)");
  const bump = () =>
    db.transaction(async () => {
      const n = Number(await db.value<string>("select value from settings where key = 'n'"));
      await later(1);
      await db.run("update settings set value = ? where key = 'n'", String(n + 1));
    });
  await Promise.all(Array.from({ length: 10 }, bump));
  expect(await db.value("select value from settings where key = 'n'")).toBe('10');
});

it('undoes only a failing savepoint inside a transaction', async () => {
  await db.transaction(async () => {
    await db.run("insert into settings (key, value, updated_at) values ('outer', '1', 1)");
    await db.transaction(async () => {
      await db.run("insert into settings (key, value, updated_at) values ('inner', '1', 1)");
      throw new Error('inner fails');
    }).catch(() => undefined);
  });
  expect(await keys()).toContain('outer');
  expect(await keys()).not.toContain('inner');
});

it('changes its change token when another connection commits a write, and only then', async () => {
  const other = openPostgres(db.url, { max: 1 });
  try {
    const t0 = await db.changeToken();
    await db.all('select * from settings');
    expect(await db.changeToken()).toBe(t0);
    await other.run("insert into settings (key, value, updated_at) values ('token-test', '1', 1)");
    const t1 = await db.changeToken();
    expect(t1).not.toBe(t0);
    expect(await db.changeToken()).toBe(t1);
  } finally {
    await other.close();
  }
});

it('runs a script of several statements, as SQLite\'s exec does: the changes of all, the rows of the last', async () => {
  const r = await db.run("insert into settings (key, value) values ('multi.a', '1'); insert into settings (key, value) values ('multi.b', '2'), ('multi.c', '3')");
  expect(r.changes).toBe(3);
  expect(await db.all("select key from settings where key like 'multi.%' order by key; select count(*) as n from settings where key like 'multi.%'")).toEqual([{ n: 3 }]);
  expect(await db.value("delete from settings where key = 'multi.a'; select count(*) from settings where key like 'multi.%'")).toBe(2);
});

it('prepares a statement once per connection, plans a first-rows or word search each time, and survives a column added meanwhile', async () => {
  const now = 1_790_000_000_000;
  await insertTicket(store(), { subject: 'Prepared', channel: 'email' }, now);
  // inside a transaction every statement runs on one connection, whose prepared statements the server lists
  const prepared = async (run: () => Promise<unknown>) => await db.transaction(async () => {
    await run();
    await run();
    return await db.column<string>('select statement from pg_prepared_statements');
  });
  const point = await prepared(() => db.get('select id, subject from tickets where subject = ?', 'Prepared'));
  expect(point.filter((s) => s.includes('where subject = $1'))).toHaveLength(1);
  const firstRows = await prepared(() => db.all('select id from tickets where subject = ? order by id desc limit 5', 'Prepared'));
  expect(firstRows.filter((s) => s.includes('limit'))).toEqual([]);
  // another instance's migration adds a column: the prepared read goes on with the columns it names
  await db.run('alter table tickets add column later_column text');
  expect(await db.get('select id, subject from tickets where subject = ?', 'Prepared')).toMatchObject({ subject: 'Prepared' });
  await db.run('alter table tickets drop column later_column');
  expect(await db.get('select id, subject from tickets where subject = ?', 'Prepared')).toMatchObject({ subject: 'Prepared' });
});

it('fails a transaction whose connection is lost between two statements, without bringing the process down', async () => {
  const other = openPostgres(db.url);
  try {
    const tx = db.transaction(async () => {
      const pid = await db.value<number>('select pg_backend_pid()');
      await other.run('select pg_terminate_backend(?)', pid);
      await later(300); // the connection breaks while no statement runs on it
      return await db.value('select 1');
    });
    const err = await tx.then(() => null, (e: unknown) => e);
    expect(isConnectionLost(err)).toBe(true);
    // the pool goes on with other connections
    expect(await db.value('select 2')).toBe(2);
  } finally {
    await other.close();
  }
});
