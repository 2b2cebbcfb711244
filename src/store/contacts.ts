import { asc, eq, inArray, like, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactEmails, contactPhones, contacts, organizationDomains, type Locale } from '../db/schema.ts';
import { notFound } from './errors.ts';

export type Contact = typeof contacts.$inferSelect;
export type ContactEmail = typeof contactEmails.$inferSelect;
export type ContactPhone = typeof contactPhones.$inferSelect;

export function findContact(db: Db, id: number): Contact | undefined {
  return db.select().from(contacts).where(eq(contacts.id, id)).get();
}

export function getContact(db: Db, id: number): Contact {
  const c = findContact(db, id);
  if (!c) throw notFound('Contact');
  return c;
}

export function findContactEmail(db: Db, email: string): ContactEmail | undefined {
  return db.select().from(contactEmails).where(eq(contactEmails.email, email.trim().toLowerCase())).get();
}

export function findContactPhone(db: Db, phone: string): ContactPhone | undefined {
  return db.select().from(contactPhones).where(eq(contactPhones.phone, phone)).get();
}

export function listContactEmails(db: Db, contactId: number): ContactEmail[] {
  return db.select().from(contactEmails).where(eq(contactEmails.contactId, contactId)).orderBy(asc(contactEmails.id)).all();
}

export function listContactPhones(db: Db, contactId: number): ContactPhone[] {
  return db.select().from(contactPhones).where(eq(contactPhones.contactId, contactId)).orderBy(asc(contactPhones.id)).all();
}

/** The primary email of a contact (else its first), for replies. */
export function findPrimaryEmail(db: Db, contactId: number): ContactEmail | undefined {
  const list = listContactEmails(db, contactId);
  return list.find((e) => e.isPrimary) ?? list[0];
}

export function findPrimaryPhone(db: Db, contactId: number): ContactPhone | undefined {
  const list = listContactPhones(db, contactId);
  return list.find((e) => e.isPrimary) ?? list[0];
}

export function findOrganizationIdByDomain(db: Db, domain: string): number | undefined {
  return db
    .select({ id: organizationDomains.organizationId })
    .from(organizationDomains)
    .where(eq(organizationDomains.domain, domain.trim().toLowerCase()))
    .get()?.id;
}

export function insertContact(
  db: Db,
  c: { name: string; organizationId?: number | null; locale?: Locale | null; emails?: string[]; phones?: string[] },
  now: number,
): Contact {
  const contact = db
    .insert(contacts)
    .values({ name: c.name, organizationId: c.organizationId ?? null, locale: c.locale ?? null, createdAt: now, updatedAt: now })
    .returning()
    .get();
  (c.emails ?? []).forEach((email, i) => {
    db.insert(contactEmails).values({ contactId: contact.id, email: email.trim().toLowerCase(), isPrimary: i === 0 }).run();
  });
  (c.phones ?? []).forEach((phone, i) => {
    db.insert(contactPhones).values({ contactId: contact.id, phone, isPrimary: i === 0 }).run();
  });
  return contact;
}

export function updateContact(db: Db, id: number, patch: Partial<Omit<Contact, 'id' | 'createdAt'>>, now: number): void {
  db.update(contacts).set({ ...patch, updatedAt: now }).where(eq(contacts.id, id)).run();
}

export function insertContactEmail(db: Db, contactId: number, email: string): void {
  db.insert(contactEmails).values({ contactId, email: email.trim().toLowerCase() }).onConflictDoNothing().run();
}

export function insertContactPhone(db: Db, contactId: number, phone: string): void {
  db.insert(contactPhones).values({ contactId, phone }).onConflictDoNothing().run();
}

export function markEmailUndeliverable(db: Db, email: string, reason: string, now: number): void {
  db.update(contactEmails)
    .set({ undeliverableAt: now, undeliverableReason: reason })
    .where(eq(contactEmails.email, email.trim().toLowerCase()))
    .run();
}

export function listContacts(db: Db, opts: { q?: string; limit: number; offset?: number }): Contact[] {
  const q = opts.q?.trim();
  const base = db.select().from(contacts);
  const filtered = q
    ? base.where(
        or(
          like(contacts.name, `%${q}%`),
          inArray(
            contacts.id,
            db.select({ id: contactEmails.contactId }).from(contactEmails).where(like(contactEmails.email, `%${q.toLowerCase()}%`)),
          ),
          inArray(contacts.id, db.select({ id: contactPhones.contactId }).from(contactPhones).where(like(contactPhones.phone, `%${q}%`))),
        ),
      )
    : base;
  return filtered.orderBy(sql`${contacts.name} collate nocase`).limit(opts.limit).offset(opts.offset ?? 0).all();
}

export function listContactsByIds(db: Db, ids: number[]): Contact[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return db.select().from(contacts).where(inArray(contacts.id, unique)).all();
}
