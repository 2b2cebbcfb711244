import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { mailboxes } from '../db/schema.ts';
import { isSealed, openSecret, sealSecret, UnreadableSecretError } from '../domain/stored-secret.ts';
import { notFound } from '../domain/errors.ts';

export type Mailbox = typeof mailboxes.$inferSelect;

/** Mail already in a folder when it is connected is imported back to this age; older mail is left alone. */
export const BACKLOG_MS = 24 * 3600 * 1000;
export type MailboxInput = Omit<typeof mailboxes.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export async function findMailbox(db: Db, id: number): Promise<Mailbox | undefined> {
  return await db.select().from(mailboxes).where(eq(mailboxes.id, id)).get();
}

export async function getMailbox(db: Db, id: number): Promise<Mailbox> {
  const m = await findMailbox(db, id);
  if (!m) throw notFound('Mailbox');
  return m;
}

export async function findMailboxByAddress(db: Db, address: string): Promise<Mailbox | undefined> {
  return await db.select().from(mailboxes).where(eq(mailboxes.address, address.trim().toLowerCase())).get();
}

export async function listMailboxes(db: Db, opts: { enabledOnly?: boolean } = {}): Promise<Mailbox[]> {
  const q = db.select().from(mailboxes);
  return await (opts.enabledOnly ? q.where(eq(mailboxes.enabled, true)) : q).orderBy(asc(mailboxes.id)).all();
}

/** Mailbox settings changed: the intake roles of every desk process apply them at once (db.notify), not at their next check. */
export const MAILBOXES_CHANGED = 'mailboxes';

export async function insertMailbox(db: Db, m: MailboxInput, now: number): Promise<Mailbox> {
  const row = await db.insert(mailboxes).values({ ...m, address: m.address.trim().toLowerCase(), createdAt: now, updatedAt: now }).returning().get();
  await db.notify(MAILBOXES_CHANGED);
  return row;
}

export async function updateMailbox(db: Db, id: number, patch: Partial<MailboxInput>, now: number): Promise<void> {
  const p = patch.address ? { ...patch, address: patch.address.trim().toLowerCase() } : patch;
  await db.update(mailboxes).set({ ...p, updatedAt: now }).where(eq(mailboxes.id, id)).run();
  await db.notify(MAILBOXES_CHANGED);
}

/**
 * The poller's bookkeeping (cursor, last success/error). It leaves updatedAt alone: updatedAt
 * tells the intake role that an admin changed the settings and the poller must restart.
 */
export async function updateMailboxState(
  db: Db,
  id: number,
  patch: Partial<Pick<Mailbox, 'uidValidity' | 'lastUid' | 'lastSuccessAt' | 'lastError' | 'lastErrorAt'>>,
): Promise<void> {
  await db.update(mailboxes).set(patch).where(eq(mailboxes.id, id)).run();
}

/**
 * The mailbox from IMAP_* settings: created once, its connection settings refreshed at every start.
 * What an admin set in the console (enabled, mark as read, move to, component) is kept. The
 * password is stored sealed with `credentialsKey`.
 */
export async function upsertEnvMailbox(
  db: Db,
  m: { name: string; address: string; host: string; port: number; secure: boolean; allowPlaintext: boolean; username: string; password: string; folder: string },
  now: number,
  credentialsKey: string,
): Promise<Mailbox> {
  const connection = { address: m.address.trim().toLowerCase(), host: m.host, port: m.port, secure: m.secure, allowPlaintext: m.allowPlaintext, username: m.username, folder: m.folder };
  const sealed = () => ({ password: sealSecret(credentialsKey, m.password) });
  let existing = await db.select().from(mailboxes).where(eq(mailboxes.fromEnv, true)).get() ?? await findMailboxByAddress(db, m.address);
  if (!existing) {
    // desk processes sharing a database start together: the first one creates the mailbox, the others update it
    // (a mailbox that already holds years of mail must not turn all of it into tickets: importSince)
    const created = await db.insert(mailboxes)
      .values({ ...connection, ...sealed(), name: m.name, fromEnv: true, importSince: now - BACKLOG_MS, createdAt: now, updatedAt: now })
      .onConflictDoNothing({ target: mailboxes.address }).returning().get();
    if (created) {
      await db.notify(MAILBOXES_CHANGED);
      return created;
    }
    existing = await findMailboxByAddress(db, m.address);
    if (!existing) throw new Error(`The mailbox ${m.address} could neither be created nor found`);
  }
  let samePassword: boolean;
  try {
    samePassword = isSealed(existing.password) && openSecret(credentialsKey, existing.password) === m.password;
  } catch (err) {
    if (!(err instanceof UnreadableSecretError)) throw err;
    samePassword = false; // sealed under another key: the environment's password replaces it
  }
  const changed = (Object.keys(connection) as (keyof typeof connection)[]).some((k) => existing[k] !== connection[k]) || !existing.fromEnv || !samePassword;
  if (changed) await updateMailbox(db, existing.id, { ...connection, ...(samePassword ? {} : sealed()), fromEnv: true }, now);
  return await getMailbox(db, existing.id);
}

/**
 * Seals the mailbox passwords stored before sealing existed (run at every start; a no-op once done).
 * Returns how many were sealed.
 */
export async function sealStoredPasswords(db: Db, credentialsKey: string): Promise<number> {
  let n = 0;
  for (const mb of await db.select({ id: mailboxes.id, password: mailboxes.password }).from(mailboxes).all()) {
    if (isSealed(mb.password)) continue;
    await db.update(mailboxes).set({ password: sealSecret(credentialsKey, mb.password) }).where(eq(mailboxes.id, mb.id)).run();
    n++;
  }
  return n;
}

/** The password to log in with. Throws UnreadableSecretError when the desk's secret changed. */
export function mailboxPassword(mb: Pick<Mailbox, 'password'>, credentialsKey: string): string {
  return openSecret(credentialsKey, mb.password, 'mailbox password');
}
