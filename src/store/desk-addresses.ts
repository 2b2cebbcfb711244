// The desk's own mail addresses as the database knows them: mailbox addresses and component aliases.
import type { Db } from '../db/client.ts';

export async function findMailboxAddress(db: Db, mailboxId: number): Promise<string | undefined> {
  return (await db.value('select address from mailboxes where id = ?', mailboxId)) as string | undefined;
}

/** Every address mail to the desk arrives at: mailboxes and the aliases of active components. */
export async function listDeskAddresses(db: Db): Promise<string[]> {
  const boxes = (await db.column('select address from mailboxes')) as string[];
  const aliases = ((await db.column('select email_aliases from components where active = 1')) as string[]).flatMap((a) => JSON.parse(a) as string[]);
  return [...boxes, ...aliases].map((a) => a.trim().toLowerCase()).filter(Boolean);
}
