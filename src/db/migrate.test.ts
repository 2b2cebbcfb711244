import { expect, it } from 'vitest';
import { openDb } from './client.ts';
import { migrateDb } from './migrate.ts';

it('migrates an empty database, twice without harm, with WAL, foreign keys and full-text search', () => {
  const db = openDb(':memory:');
  migrateDb(db);
  migrateDb(db);
  const tables = (db.$client.prepare("select name from sqlite_master where type in ('table') order by name").all() as { name: string }[]).map((r) => r.name);
  for (const t of ['users', 'contacts', 'contact_emails', 'contact_phones', 'organizations', 'components', 'tickets', 'messages', 'attachments', 'inbound_messages', 'outbox', 'events', 'worklogs', 'sessions', 'api_tokens', 'tickets_fts', 'messages_fts']) {
    expect(tables).toContain(t);
  }
  expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
  const now = Date.now();
  db.$client.prepare("insert into tickets (number, subject, channel, last_activity_at, created_at, updated_at) values (1, 'Принтер не печатает', 'email', ?, ?, ?)").run(now, now, now);
  db.$client.prepare("insert into messages (ticket_id, kind, direction, channel, body_text, created_at) values (1, 'reply', 'in', 'email', 'Зажёвывает БУМАГУ на каждом листе', ?)").run(now);
  expect(db.$client.prepare("select rowid from messages_fts where messages_fts match 'бумагу'").all()).toHaveLength(1);
  expect(db.$client.prepare("select rowid from tickets_fts where tickets_fts match 'принтер'").all()).toHaveLength(1);
  db.$client.prepare("update messages set body_text = 'fixed' where id = 1").run();
  expect(db.$client.prepare("select rowid from messages_fts where messages_fts match 'бумагу'").all()).toHaveLength(0);
  expect(() => db.$client.prepare("insert into messages (ticket_id, kind, direction, channel, body_text, created_at) values (99, 'reply', 'in', 'email', 'x', 0)").run()).toThrow(/FOREIGN KEY/);
});
