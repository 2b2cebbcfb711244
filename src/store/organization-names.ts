import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts, tickets } from '../db/schema.ts';
import { eq } from 'drizzle-orm';
import { placeholders } from './rows.ts';

export function listOrganizationsByIds(db: Db, ids: number[]): { id: number; name: string }[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return db.$client.prepare(`select id, name from organizations where id in (${placeholders(unique.length)})`).all(...unique) as { id: number; name: string }[];
}

/** id and name of every organisation, for filter and form selects. */
export function listOrganizationOptions(db: Db): { id: number; name: string }[] {
  return db.$client.prepare('select id, name from organizations order by name collate nocase, id').all() as { id: number; name: string }[];
}

export function countOrganizationContacts(db: Db, organizationId: number): number {
  return db.select({ n: sql<number>`count(*)` }).from(contacts).where(eq(contacts.organizationId, organizationId)).get()?.n ?? 0;
}

export function countOrganizationOpenTickets(db: Db, organizationId: number): number {
  return db.select({ n: sql<number>`count(*)` }).from(tickets).where(sql`${tickets.organizationId} = ${organizationId} and ${tickets.isOpen} = 1`).get()?.n ?? 0;
}
