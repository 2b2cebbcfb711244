// Who has a ticket open in the console and who is writing a reply, per ticket and person (the
// ticket page's polling refreshes it).
import type { Db } from '../db/client.ts';

export type PresenceMode = 'viewing' | 'replying';
export type PresenceRow = { userId: number; name: string; mode: PresenceMode; at: number };

export async function touchPresence(db: Db, p: { ticketId: number; userId: number; name: string; mode: PresenceMode; at: number }): Promise<void> {
  await db.run(
    `insert into presence (ticket_id, user_id, name, mode, at) values (?, ?, ?, ?, ?)
     on conflict (ticket_id, user_id) do update set name = excluded.name, mode = excluded.mode, at = excluded.at`,
    p.ticketId, p.userId, p.name, p.mode, p.at,
  );
}

/** The people on a ticket seen since `since`, but one. */
export async function listPresence(db: Db, ticketId: number, exceptUserId: number, since: number): Promise<PresenceRow[]> {
  return await db.all<PresenceRow>('select user_id as userId, name, mode, at from presence where ticket_id = ? and user_id <> ? and at >= ?', ticketId, exceptUserId, since);
}

export async function deletePresence(db: Db, ticketId: number, userId: number): Promise<void> {
  await db.run('delete from presence where ticket_id = ? and user_id = ?', ticketId, userId);
}

/** Forgets everyone seen before `before`; the rows deleted. */
export async function purgePresence(db: Db, before: number): Promise<number> {
  return (await db.run('delete from presence where at < ?', before)).changes;
}
