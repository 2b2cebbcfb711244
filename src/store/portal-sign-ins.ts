// The requester portal's one-time sign-ins (links by mail, codes by SMS): only their hashes.
import type { Db } from '../db/client.ts';
import { portalSignIns } from '../db/schema.ts';
import { findRow, insertRow, updateRows } from './rows.ts';

export type PortalSignIn = typeof portalSignIns.$inferSelect;

/** A new sign-in; its hash is set once the row (id, time) it is derived from exists. */
export async function insertPortalSignIn(db: Db, input: { contactId: number; channel: 'email' | 'sms'; expiresAt: number }, now: number): Promise<PortalSignIn> {
  return await insertRow(db, portalSignIns, { contactId: input.contactId, channel: input.channel, secretHash: '', createdAt: now, expiresAt: input.expiresAt });
}

export async function updatePortalSignInHash(db: Db, id: number, secretHash: string): Promise<void> {
  await updateRows(db, portalSignIns, { secretHash }, 'where id = ?', id);
}

export async function findPortalSignIn(db: Db, id: number): Promise<PortalSignIn | undefined> {
  return await findRow(db, portalSignIns, 'where id = ?', id);
}

/** The latest SMS sign-in of a contact still open, if any (a code names no row). */
export async function findOpenSmsSignIn(db: Db, contactId: number, now: number): Promise<PortalSignIn | undefined> {
  return await findRow(db, portalSignIns, "where contact_id = ? and channel = 'sms' and used_at is null and expires_at > ? order by id desc limit 1", contactId, now);
}

/** Marks a sign-in used; false when someone used it first (it opens once). */
export async function markPortalSignInUsed(db: Db, id: number, now: number): Promise<boolean> {
  return (await db.run('update portal_sign_ins set used_at = ? where id = ? and used_at is null', now, id)).changes === 1;
}

export async function countPortalSignInAttempt(db: Db, id: number): Promise<void> {
  await db.run('update portal_sign_ins set attempts = attempts + 1 where id = ?', id);
}

/** Forgets the sign-ins that stopped working before `now` (used or not); the rows deleted. */
export async function purgePortalSignIns(db: Db, now: number): Promise<number> {
  return (await db.run('delete from portal_sign_ins where expires_at <= ?', now)).changes;
}
