// Keyset pages of contacts by id, for the API.
import { and, asc, gt, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactEmails, contactPhones, contacts } from '../db/schema.ts';
import type { Contact } from './contacts.ts';

export async function listContactsAfter(db: Db, opts: { q?: string; organizationId?: number; afterId?: number; limit: number }): Promise<Contact[]> {
  const where: SQL[] = [];
  const q = opts.q?.trim();
  if (q) {
    where.push(
      or(
        like(sql`lower(${contacts.name})`, `%${q.toLowerCase()}%`),
        inArray(contacts.id, db.select({ id: contactEmails.contactId }).from(contactEmails).where(like(contactEmails.email, `%${q.toLowerCase()}%`))),
        inArray(contacts.id, db.select({ id: contactPhones.contactId }).from(contactPhones).where(like(contactPhones.phone, `%${q}%`))),
      )!,
    );
  }
  if (opts.organizationId !== undefined) where.push(inArray(contacts.organizationId, [opts.organizationId]));
  if (opts.afterId !== undefined) where.push(gt(contacts.id, opts.afterId));
  return await db.select().from(contacts).where(where.length ? and(...where) : undefined).orderBy(asc(contacts.id)).limit(opts.limit).all();
}
