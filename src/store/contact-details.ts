// Replacing a contact's addresses from the console or API: keeps the rows (and their bounce and
// opt-out marks) of addresses that stay, removes the others, adds the new ones.
import { and, eq, inArray, ne, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactEmails, contactPhones } from '../db/schema.ts';

/** Addresses among `emails` that belong to other contacts. */
export async function listEmailsOfOthers(db: Db, contactId: number | null, emails: string[]): Promise<{ email: string; contactId: number }[]> {
  if (emails.length === 0) return [];
  const q = db.select({ email: contactEmails.email, contactId: contactEmails.contactId }).from(contactEmails);
  return await q.where(contactId === null ? inArray(contactEmails.email, emails) : and(inArray(contactEmails.email, emails), ne(contactEmails.contactId, contactId))).all();
}

export async function listPhonesOfOthers(db: Db, contactId: number | null, phones: string[]): Promise<{ phone: string; contactId: number }[]> {
  if (phones.length === 0) return [];
  const q = db.select({ phone: contactPhones.phone, contactId: contactPhones.contactId }).from(contactPhones);
  return await q.where(contactId === null ? inArray(contactPhones.phone, phones) : and(inArray(contactPhones.phone, phones), ne(contactPhones.contactId, contactId))).all();
}

export async function replaceContactEmails(db: Db, contactId: number, emails: string[]): Promise<void> {
  const keep = emails.map((e) => e.toLowerCase());
  await db.delete(contactEmails).where(keep.length ? and(eq(contactEmails.contactId, contactId), notInArray(contactEmails.email, keep)) : eq(contactEmails.contactId, contactId)).run();
  for (const [i, email] of keep.entries()) {
    await db.insert(contactEmails).values({ contactId, email, isPrimary: i === 0 }).onConflictDoUpdate({ target: contactEmails.email, set: { isPrimary: i === 0 } }).run();
  }
}

export async function replaceContactPhones(db: Db, contactId: number, phones: string[]): Promise<void> {
  await db.delete(contactPhones).where(phones.length ? and(eq(contactPhones.contactId, contactId), notInArray(contactPhones.phone, phones)) : eq(contactPhones.contactId, contactId)).run();
  for (const [i, phone] of phones.entries()) {
    await db.insert(contactPhones).values({ contactId, phone, isPrimary: i === 0 }).onConflictDoUpdate({ target: contactPhones.phone, set: { isPrimary: i === 0 } }).run();
  }
}
