// Replacing a contact's addresses from the console or API: keeps the rows (and their bounce and
// opt-out marks) of addresses that stay, removes the others, adds the new ones.
import { and, eq, inArray, ne, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactEmails, contactPhones } from '../db/schema.ts';

/** Addresses among `emails` that belong to other contacts. */
export function listEmailsOfOthers(db: Db, contactId: number | null, emails: string[]): { email: string; contactId: number }[] {
  if (emails.length === 0) return [];
  const q = db.select({ email: contactEmails.email, contactId: contactEmails.contactId }).from(contactEmails);
  return q.where(contactId === null ? inArray(contactEmails.email, emails) : and(inArray(contactEmails.email, emails), ne(contactEmails.contactId, contactId))).all();
}

export function listPhonesOfOthers(db: Db, contactId: number | null, phones: string[]): { phone: string; contactId: number }[] {
  if (phones.length === 0) return [];
  const q = db.select({ phone: contactPhones.phone, contactId: contactPhones.contactId }).from(contactPhones);
  return q.where(contactId === null ? inArray(contactPhones.phone, phones) : and(inArray(contactPhones.phone, phones), ne(contactPhones.contactId, contactId))).all();
}

export function replaceContactEmails(db: Db, contactId: number, emails: string[]): void {
  const keep = emails.map((e) => e.toLowerCase());
  db.delete(contactEmails).where(keep.length ? and(eq(contactEmails.contactId, contactId), notInArray(contactEmails.email, keep)) : eq(contactEmails.contactId, contactId)).run();
  keep.forEach((email, i) => {
    db.insert(contactEmails).values({ contactId, email, isPrimary: i === 0 }).onConflictDoUpdate({ target: contactEmails.email, set: { isPrimary: i === 0 } }).run();
  });
}

export function replaceContactPhones(db: Db, contactId: number, phones: string[]): void {
  db.delete(contactPhones).where(phones.length ? and(eq(contactPhones.contactId, contactId), notInArray(contactPhones.phone, phones)) : eq(contactPhones.contactId, contactId)).run();
  phones.forEach((phone, i) => {
    db.insert(contactPhones).values({ contactId, phone, isPrimary: i === 0 }).onConflictDoUpdate({ target: contactPhones.phone, set: { isPrimary: i === 0 } }).run();
  });
}
