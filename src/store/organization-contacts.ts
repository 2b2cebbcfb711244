import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contacts } from '../db/schema.ts';

export function listContactsOfOrganization(db: Db, organizationId: number, limit: number): { id: number; name: string }[] {
  return db
    .select({ id: contacts.id, name: contacts.name })
    .from(contacts)
    .where(eq(contacts.organizationId, organizationId))
    .orderBy(sql`${contacts.name} collate nocase`, asc(contacts.id))
    .limit(limit)
    .all();
}
