import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts, tickets } from '../db/schema.ts';
import { eq } from 'drizzle-orm';
import { placeholders } from './rows.ts';

export async function listOrganizationsByIds(db: Db, ids: number[]): Promise<{ id: number; name: string }[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return (await db.all(`select id, name from organizations where id in (${placeholders(unique.length)})`, ...unique)) as { id: number; name: string }[];
}

/** id and name of every organisation, for filter and form selects. */
export async function listOrganizationOptions(db: Db): Promise<{ id: number; name: string }[]> {
  return (await db.all('select id, name from organizations order by lower(name), id')) as { id: number; name: string }[];
}

export async function countOrganizationContacts(db: Db, organizationId: number): Promise<number> {
  return (await db.select({ n: sql<number>`count(*)` }).from(contacts).where(eq(contacts.organizationId, organizationId)).get())?.n ?? 0;
}

export async function countOrganizationOpenTickets(db: Db, organizationId: number): Promise<number> {
  return (await db.select({ n: sql<number>`count(*)` }).from(tickets).where(sql`${tickets.organizationId} = ${organizationId} and ${tickets.isOpen} = 1`).get())?.n ?? 0;
}
