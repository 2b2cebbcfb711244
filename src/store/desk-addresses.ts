// The desk's own mail addresses as the database knows them: mailbox addresses and component aliases.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { components, mailboxes } from '../db/schema.ts';

export function findMailboxAddress(db: Db, mailboxId: number): string | undefined {
  return db.select({ a: mailboxes.address }).from(mailboxes).where(eq(mailboxes.id, mailboxId)).get()?.a;
}

/** Every address mail to the desk arrives at: mailboxes and the aliases of active components. */
export function listDeskAddresses(db: Db): string[] {
  const boxes = db.select({ a: mailboxes.address }).from(mailboxes).all().map((r) => r.a);
  const aliases = db.select({ a: components.emailAliases }).from(components).where(eq(components.active, true)).all().flatMap((r) => r.a);
  return [...boxes, ...aliases].map((a) => a.trim().toLowerCase()).filter(Boolean);
}
