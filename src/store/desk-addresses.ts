// The desk's own mail addresses as the database knows them: mailbox addresses and component aliases.
import type { Db } from '../db/client.ts';

export function findMailboxAddress(db: Db, mailboxId: number): string | undefined {
  return db.$client.prepare('select address from mailboxes where id = ?').pluck().get(mailboxId) as string | undefined;
}

/** Every address mail to the desk arrives at: mailboxes and the aliases of active components. */
export function listDeskAddresses(db: Db): string[] {
  const boxes = db.$client.prepare('select address from mailboxes').pluck().all() as string[];
  const aliases = (db.$client.prepare('select email_aliases from components where active = 1').pluck().all() as string[]).flatMap((a) => JSON.parse(a) as string[]);
  return [...boxes, ...aliases].map((a) => a.trim().toLowerCase()).filter(Boolean);
}
