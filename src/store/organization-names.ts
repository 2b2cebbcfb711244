import { inArray, sql, asc } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts, organizations, tickets } from '../db/schema.ts';
import { eq } from 'drizzle-orm';

export function listOrganizationsByIds(db: Db, ids: number[]): { id: number; name: string }[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, unique)).all();
}

/** id and name of every organisation, for filter and form selects. */
export function listOrganizationOptions(db: Db): { id: number; name: string }[] {
  return db.select({ id: organizations.id, name: organizations.name }).from(organizations).orderBy(sql`${organizations.name} collate nocase`, asc(organizations.id)).all();
}

export function countOrganizationContacts(db: Db, organizationId: number): number {
  return db.select({ n: sql<number>`count(*)` }).from(contacts).where(eq(contacts.organizationId, organizationId)).get()?.n ?? 0;
}

export function countOrganizationOpenTickets(db: Db, organizationId: number): number {
  return db.select({ n: sql<number>`count(*)` }).from(tickets).where(sql`${tickets.organizationId} = ${organizationId} and ${tickets.isOpen} = 1`).get()?.n ?? 0;
}
