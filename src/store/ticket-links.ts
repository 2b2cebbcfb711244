// Links between tickets (related, follow-up, merged) beyond what intake writes, and the moves a merge makes.
import { and, eq, inArray, ne, or } from 'drizzle-orm';
import { changed, type Db } from '../db/client.ts';
import { messages, ticketLinks, ticketParticipants } from '../db/schema.ts';

export async function deleteTicketLink(db: Db, a: number, b: number): Promise<number> {
  return changed(await db
    .delete(ticketLinks)
    .where(and(ne(ticketLinks.kind, 'merged'), or(and(eq(ticketLinks.ticketId, a), eq(ticketLinks.linkedTicketId, b)), and(eq(ticketLinks.ticketId, b), eq(ticketLinks.linkedTicketId, a)))))
    .run());
}

export async function linkExists(db: Db, a: number, b: number): Promise<boolean> {
  return !!await db
    .select({ k: ticketLinks.kind })
    .from(ticketLinks)
    .where(or(and(eq(ticketLinks.ticketId, a), eq(ticketLinks.linkedTicketId, b)), and(eq(ticketLinks.ticketId, b), eq(ticketLinks.linkedTicketId, a))))
    .get();
}

/** Moves the conversation (replies and notes, with their attachments) of one ticket to another. */
export async function moveConversation(db: Db, fromTicketId: number, toTicketId: number): Promise<number> {
  return changed(await db
    .update(messages)
    .set({ ticketId: toTicketId })
    .where(and(eq(messages.ticketId, fromTicketId), inArray(messages.kind, ['reply', 'note'])))
    .run());
}

export async function copyParticipants(db: Db, fromTicketId: number, toTicketId: number): Promise<void> {
  const rows = await db.select().from(ticketParticipants).where(eq(ticketParticipants.ticketId, fromTicketId)).all();
  for (const r of rows) await db.insert(ticketParticipants).values({ ...r, ticketId: toTicketId }).onConflictDoNothing().run();
}
