import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts } from '../db/schema.ts';

export async function listContactsOfOrganization(db: Db, organizationId: number, limit: number): Promise<{ id: number; name: string }[]> {
  return await db
    .select({ id: contacts.id, name: contacts.name })
    .from(contacts)
    .where(eq(contacts.organizationId, organizationId))
    .orderBy(sql`lower(${contacts.name})`, asc(contacts.id))
    .limit(limit)
    .all();
}
