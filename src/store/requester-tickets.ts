// What the requester portal lists: a contact's own tickets (and, for a designated contact, their
// organisation's), newest activity first, with the desk's last public answer on each.
import type { Db } from '../db/client.ts';
import { tickets } from '../db/schema.ts';
import { listRows } from './rows.ts';
import type { Ticket } from './tickets.ts';

export type Viewer = { contactId: number; organizationId: number | null; seesOrganizationRequests: boolean };

/** The tickets a portal viewer may see, merged ones left out (their requests live on elsewhere). */
export async function listRequesterTickets(db: Db, viewer: Viewer, limit: number): Promise<Ticket[]> {
  if (viewer.seesOrganizationRequests && viewer.organizationId !== null) {
    return await listRows(db, tickets, 'where (requester_id = ? or organization_id = ?) and merged_into_id is null order by last_activity_at desc, id desc limit ?', viewer.contactId, viewer.organizationId, limit);
  }
  return await listRows(db, tickets, 'where requester_id = ? and merged_into_id is null order by last_activity_at desc, id desc limit ?', viewer.contactId, limit);
}

export type PublicAnswer = { text: string; createdAt: number };

/** The desk's last reply to the requester on a ticket (never a note or an automatic mail). */
export async function findLastPublicAnswer(db: Db, ticketId: number): Promise<PublicAnswer | undefined> {
  const row = await db.get<{ text: string; createdAt: number }>(
    `select coalesce(new_text, body_text) as text, created_at as "createdAt" from messages
     where ticket_id = ? and kind = 'reply' and direction = 'out' order by id desc limit 1`, ticketId);
  return row ? { text: row.text, createdAt: Number(row.createdAt) } : undefined;
}
