import { expect, it } from 'vitest';
import { openDb } from './client.ts';
import { migrateDb } from './migrate.ts';
import { stemmedText } from '../domain/search-words.ts';

it('migrates an empty database, twice without harm, with WAL, foreign keys and full-text search', async () => {
  const db = openDb(':memory:');
  await migrateDb(db);
  await migrateDb(db);
  const tables = ((await db.all("select name from sqlite_master where type in ('table') order by name")) as { name: string }[]).map((r) => r.name);
  for (const t of ['users', 'contacts', 'contact_emails', 'contact_phones', 'organizations', 'components', 'tickets', 'messages', 'attachments', 'inbound_messages', 'outbox', 'events', 'worklogs', 'sessions', 'api_tokens', 'tickets_fts', 'messages_fts', 'kb_articles', 'kb_article_versions', 'kb_categories', 'kb_votes', 'kb_deflections', 'kb_articles_fts']) {
    expect(tables).toContain(t);
  }
  expect(db.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
  const now = Date.now();
  await db.run("insert into tickets (number, subject, channel, last_activity_at, created_at, updated_at) values (1, 'Принтер не печатает', 'email', ?, ?, ?)", now, now, now);
  await db.run("insert into messages (ticket_id, kind, direction, channel, body_text, created_at) values (1, 'reply', 'in', 'email', 'Зажёвывает БУМАГУ на каждом листе', ?)", now);
  // the index holds stems: another form of the word finds it
  expect(await db.all('select rowid from messages_fts where messages_fts match ?', stemmedText('бумага'))).toHaveLength(1);
  expect(await db.all('select rowid from tickets_fts where tickets_fts match ?', stemmedText('принтеры'))).toHaveLength(1);
  await db.run("update messages set body_text = 'fixed' where id = 1");
  expect(await db.all('select rowid from messages_fts where messages_fts match ?', stemmedText('бумага'))).toHaveLength(0);
  db.sqlite.exec("insert into messages_fts(messages_fts, rank) values('integrity-check', 1)");
  await expect(db.run("insert into messages (ticket_id, kind, direction, channel, body_text, created_at) values (99, 'reply', 'in', 'email', 'x', 0)")).rejects.toThrow(/FOREIGN KEY/);
});
