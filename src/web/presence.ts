// Who else has a ticket open, and who is writing a reply: refreshed by the ticket page's polling
// and current for half a minute. Kept in the database, so that people served by different desk
// processes see each other; it only needs to be roughly right.
import type { Db } from '../db/client.ts';
import { deletePresence, listPresence, purgePresence, touchPresence, type PresenceMode } from '../store/presence.ts';

export type { PresenceMode };

export type Presence = {
  touch(ticketId: number, user: { id: number; name: string }, mode: PresenceMode, now: number): Promise<void>;
  others(ticketId: number, userId: number, now: number): Promise<{ userId: number; name: string; mode: PresenceMode }[]>;
  leave(ticketId: number, userId: number): Promise<void>;
};

export const PRESENCE_TTL_MS = 30_000;

export function createPresence(db: Db, ttl = PRESENCE_TTL_MS): Presence {
  let lastSweep = 0;
  return {
    async touch(ticketId, user, mode, now) {
      if (now - lastSweep >= ttl) {
        lastSweep = now;
        await purgePresence(db, now - ttl);
      }
      await touchPresence(db, { ticketId, userId: user.id, name: user.name, mode, at: now });
    },
    async others(ticketId, userId, now) {
      return (await listPresence(db, ticketId, userId, now - ttl))
        .map((p) => ({ userId: p.userId, name: p.name, mode: p.mode }))
        .sort((a, b) => (a.mode === b.mode ? a.name.localeCompare(b.name) : a.mode === 'replying' ? -1 : 1));
    },
    async leave(ticketId, userId) {
      await deletePresence(db, ticketId, userId);
    },
  };
}
