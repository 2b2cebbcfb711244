import { expect, it } from 'vitest';
import { toPostgres } from './postgres.ts';

it('numbers the placeholders, leaving quoted text and names alone', () => {
  expect(toPostgres("select * from t where a = ? and b = '?' and \"c?\" = ? and d = 'it''s ?'")).toBe(
    "select * from t where a = $1 and b = '?' and \"c?\" = $2 and d = 'it''s ?'",
  );
});

it('writes conflict targets without the table name, and keeps camelCase aliases as written', () => {
  expect(toPostgres('insert into "settings" ("key", "value") values (?, ?) on conflict ("settings"."key") do update set "value" = ?')).toBe(
    'insert into "settings" ("key", "value") values ($1, $2) on conflict ("key") do update set "value" = $3',
  );
  expect(toPostgres('select ticket_id as ticketId, count(*) as n from messages')).toBe('select ticket_id as "ticketId", count(*) as n from messages');
});
