import { inArray, like, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { contactEmails, contactPhones, contacts, type Locale } from '../db/schema.ts';
import { notFound } from '../domain/errors.ts';
import { findRow, insertRow, insertRowOnly, listRows, placeholders, updateRows } from './rows.ts';

export type Contact = typeof contacts.$inferSelect;
export type ContactEmail = typeof contactEmails.$inferSelect;
export type ContactPhone = typeof contactPhones.$inferSelect;

export async function findContact(db: Db, id: number): Promise<Contact | undefined> {
  return await findRow(db, contacts, 'where id = ?', id);
}

export async function getContact(db: Db, id: number): Promise<Contact> {
  const c = await findContact(db, id);
  if (!c) throw notFound('Contact');
  return c;
}

export async function findContactEmail(db: Db, email: string): Promise<ContactEmail | undefined> {
  return await findRow(db, contactEmails, 'where email = ?', email.trim().toLowerCase());
}

/** The contacts writing from an address, or from any address of a domain (`client.example`); at most `limit`. */
export async function listContactIdsByEmail(db: Db, by: { email: string } | { domain: string }, limit = 1000): Promise<number[]> {
  const rows = 'email' in by
    ? await db.all<{ id: number }>('select distinct contact_id as id from contact_emails where email = ? limit ?', by.email.trim().toLowerCase(), limit)
    : await db.all<{ id: number }>("select distinct contact_id as id from contact_emails where email like ? escape '\\' limit ?", `%@${by.domain.trim().toLowerCase().replace(/[\\%_]/g, '\\$&')}`, limit);
  return rows.map((r) => Number(r.id));
}

export async function findContactPhone(db: Db, phone: string): Promise<ContactPhone | undefined> {
  return await findRow(db, contactPhones, 'where phone = ?', phone);
}

export async function listContactEmails(db: Db, contactId: number): Promise<ContactEmail[]> {
  return await listRows(db, contactEmails, 'where contact_id = ? order by id', contactId);
}

export async function listContactPhones(db: Db, contactId: number): Promise<ContactPhone[]> {
  return await listRows(db, contactPhones, 'where contact_id = ? order by id', contactId);
}

/** The primary email of a contact (else its first), for replies. */
export async function findPrimaryEmail(db: Db, contactId: number): Promise<ContactEmail | undefined> {
  const list = await listContactEmails(db, contactId);
  return list.find((e) => e.isPrimary) ?? list[0];
}

export async function findPrimaryPhone(db: Db, contactId: number): Promise<ContactPhone | undefined> {
  const list = await listContactPhones(db, contactId);
  return list.find((e) => e.isPrimary) ?? list[0];
}

export async function findOrganizationIdByDomain(db: Db, domain: string): Promise<number | undefined> {
  return (await db.value('select organization_id from organization_domains where domain = ?', domain.trim().toLowerCase())) as number | undefined;
}

export async function insertContact(
  db: Db,
  c: { name: string; organizationId?: number | null; locale?: Locale | null; emails?: string[]; phones?: string[] },
  now: number,
): Promise<Contact> {
  const contact = await insertRow(db, contacts, { name: c.name, organizationId: c.organizationId ?? null, locale: c.locale ?? null, createdAt: now, updatedAt: now });
  for (const [i, email] of (c.emails ?? []).entries()) {
    await insertRowOnly(db, contactEmails, { contactId: contact.id, email: email.trim().toLowerCase(), isPrimary: i === 0 });
  }
  for (const [i, phone] of (c.phones ?? []).entries()) {
    await insertRowOnly(db, contactPhones, { contactId: contact.id, phone, isPrimary: i === 0 });
  }
  return contact;
}

export async function updateContact(db: Db, id: number, patch: Partial<Omit<Contact, 'id' | 'createdAt'>>, now: number): Promise<void> {
  await updateRows(db, contacts, { ...patch, updatedAt: now }, 'where id = ?', id);
}

export async function insertContactEmail(db: Db, contactId: number, email: string): Promise<void> {
  await insertRowOnly(db, contactEmails, { contactId, email: email.trim().toLowerCase() }, 'on conflict do nothing');
}

export async function insertContactPhone(db: Db, contactId: number, phone: string): Promise<void> {
  await insertRowOnly(db, contactPhones, { contactId, phone }, 'on conflict do nothing');
}

export async function markEmailUndeliverable(db: Db, email: string, reason: string, now: number): Promise<void> {
  await updateRows(db, contactEmails, { undeliverableAt: now, undeliverableReason: reason }, 'where email = ?', email.trim().toLowerCase());
}

export async function listContacts(db: Db, opts: { q?: string; limit: number; offset?: number }): Promise<Contact[]> {
  const q = opts.q?.trim();
  const base = db.select().from(contacts);
  const filtered = q
    ? base.where(
        or(
          // case-insensitive on both engines, in every alphabet (SQLite's lower() is ours, db/client.ts)
          like(sql`lower(${contacts.name})`, `%${q.toLowerCase()}%`),
          inArray(
            contacts.id,
            db.select({ id: contactEmails.contactId }).from(contactEmails).where(like(contactEmails.email, `%${q.toLowerCase()}%`)),
          ),
          inArray(contacts.id, db.select({ id: contactPhones.contactId }).from(contactPhones).where(like(contactPhones.phone, `%${q}%`))),
        ),
      )
    : base;
  return await filtered.orderBy(sql`lower(${contacts.name})`).limit(opts.limit).offset(opts.offset ?? 0).all();
}

/** Names of the given contacts (lookups for lists of tickets). */
export async function listContactNames(db: Db, ids: number[]): Promise<{ id: number; name: string }[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  return (await db.all(`select id, name from contacts where id in (${placeholders(unique.length)})`, ...unique)) as { id: number; name: string }[];
}

/** Ends every portal session of the contact (a new generation; sessions of earlier ones are refused); the new generation. */
export async function raisePortalSessionEpoch(db: Db, id: number, now: number): Promise<number> {
  const row = await db.get<{ epoch: number }>('update contacts set portal_session_epoch = portal_session_epoch + 1, updated_at = ? where id = ? returning portal_session_epoch as epoch', now, id);
  if (!row) throw notFound('Contact');
  return Number(row.epoch);
}
