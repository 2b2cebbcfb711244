// Who else has a ticket open, and who is writing a reply: kept in memory for a short while and
// refreshed by the ticket page's polling. One instance per app; it only needs to be roughly right.
export type PresenceMode = 'viewing' | 'replying';

export type Presence = {
  touch(ticketId: number, user: { id: number; name: string }, mode: PresenceMode, now: number): void;
  others(ticketId: number, userId: number, now: number): { userId: number; name: string; mode: PresenceMode }[];
  leave(ticketId: number, userId: number): void;
};

export const PRESENCE_TTL_MS = 30_000;

export function createPresence(ttl = PRESENCE_TTL_MS): Presence {
  const tickets = new Map<number, Map<number, { name: string; mode: PresenceMode; at: number }>>();
  let lastSweep = 0;
  const sweep = (now: number) => {
    if (now - lastSweep < ttl) return;
    lastSweep = now;
    for (const [id, people] of tickets) {
      for (const [u, p] of people) if (now - p.at > ttl) people.delete(u);
      if (people.size === 0) tickets.delete(id);
    }
  };
  return {
    touch(ticketId, user, mode, now) {
      sweep(now);
      let people = tickets.get(ticketId);
      if (!people) tickets.set(ticketId, (people = new Map()));
      people.set(user.id, { name: user.name, mode, at: now });
    },
    others(ticketId, userId, now) {
      const people = tickets.get(ticketId);
      if (!people) return [];
      return [...people]
        .filter(([u, p]) => u !== userId && now - p.at <= ttl)
        .map(([u, p]) => ({ userId: u, name: p.name, mode: p.mode }))
        .sort((a, b) => (a.mode === b.mode ? a.name.localeCompare(b.name) : a.mode === 'replying' ? -1 : 1));
    },
    leave(ticketId, userId) {
      tickets.get(ticketId)?.delete(userId);
    },
  };
}
