import { inArray, like, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactEmails, contactPhones, contacts, type Locale } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, insertRow, insertRowOnly, listRows, placeholders, updateRows } from './rows.ts';

export type Contact = typeof contacts.$inferSelect;
export type ContactEmail = typeof contactEmails.$inferSelect;
export type ContactPhone = typeof contactPhones.$inferSelect;

export function findContact(db: Db, id: number): Contact | undefined {
  return findRow(db, contacts, 'where id = ?', id);
}

export function getContact(db: Db, id: number): Contact {
  const c = findContact(db, id);
  if (!c) throw notFound('Contact');
  return c;
}

export function findContactEmail(db: Db, email: string): ContactEmail | undefined {
  return findRow(db, contactEmails, 'where email = ?', email.trim().toLowerCase());
}

export function findContactPhone(db: Db, phone: string): ContactPhone | undefined {
  return findRow(db, contactPhones, 'where phone = ?', phone);
}

export function listContactEmails(db: Db, contactId: number): ContactEmail[] {
  return listRows(db, contactEmails, 'where contact_id = ? order by id', contactId);
}

export function listContactPhones(db: Db, contactId: number): ContactPhone[] {
  return listRows(db, contactPhones, 'where contact_id = ? order by id', contactId);
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
  return db.$client.prepare('select organization_id from organization_domains where domain = ?').pluck().get(domain.trim().toLowerCase()) as number | undefined;
}

export function insertContact(
  db: Db,
  c: { name: string; organizationId?: number | null; locale?: Locale | null; emails?: string[]; phones?: string[] },
  now: number,
): Contact {
  const contact = insertRow(db, contacts, { name: c.name, organizationId: c.organizationId ?? null, locale: c.locale ?? null, createdAt: now, updatedAt: now });
  (c.emails ?? []).forEach((email, i) => {
    insertRowOnly(db, contactEmails, { contactId: contact.id, email: email.trim().toLowerCase(), isPrimary: i === 0 });
  });
  (c.phones ?? []).forEach((phone, i) => {
    insertRowOnly(db, contactPhones, { contactId: contact.id, phone, isPrimary: i === 0 });
  });
  return contact;
}

export function updateContact(db: Db, id: number, patch: Partial<Omit<Contact, 'id' | 'createdAt'>>, now: number): void {
  updateRows(db, contacts, { ...patch, updatedAt: now }, 'where id = ?', id);
}

export function insertContactEmail(db: Db, contactId: number, email: string): void {
  insertRowOnly(db, contactEmails, { contactId, email: email.trim().toLowerCase() }, 'on conflict do nothing');
}

export function insertContactPhone(db: Db, contactId: number, phone: string): void {
  insertRowOnly(db, contactPhones, { contactId, phone }, 'on conflict do nothing');
}

export function markEmailUndeliverable(db: Db, email: string, reason: string, now: number): void {
  updateRows(db, contactEmails, { undeliverableAt: now, undeliverableReason: reason }, 'where email = ?', email.trim().toLowerCase());
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

/** Names of the given contacts (lookups for lists of tickets). */
export function listContactNames(db: Db, ids: number[]): { id: number; name: string }[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return db.$client.prepare(`select id, name from contacts where id in (${placeholders(unique.length)})`).all(...unique) as { id: number; name: string }[];
}
