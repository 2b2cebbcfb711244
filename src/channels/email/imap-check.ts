// "Test connection" for a mailbox: a real IMAP login, the folder opened read-only, the folder
// to move mail to looked up; the answer names what went wrong in words an admin can act on.
import { imapClientFor, imapErrorText } from './imap-poller.ts';

export type ImapCheck = { ok: true; messages: number; folders: string[] } | { ok: false; error: string };

export async function checkImapConnection(s: {
  host: string; port: number; secure: boolean; allowPlaintext: boolean; username: string; password: string; folder: string; moveTo?: string | null;
}, opts: { timeoutMs?: number } = {}): Promise<ImapCheck> {
  const client = imapClientFor(s, { idle: false });
  client.on('error', () => undefined);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(Object.assign(new Error('no answer from the server'), { code: 'ETIMEDOUT' })), opts.timeoutMs ?? 20_000).unref(),
  );
  try {
    return await Promise.race([
      (async (): Promise<ImapCheck> => {
        await client.connect();
        const folders = (await client.list()).map((f) => f.path);
        if (!folders.some((f) => f.toLowerCase() === s.folder.toLowerCase())) {
          return { ok: false, error: `Logged in, but there is no folder "${s.folder}". Folders: ${folders.slice(0, 20).join(', ')}` };
        }
        if (s.moveTo && !folders.some((f) => f.toLowerCase() === s.moveTo!.toLowerCase())) {
          return { ok: false, error: `Logged in, but the folder to move mail to, "${s.moveTo}", does not exist. Folders: ${folders.slice(0, 20).join(', ')}` };
        }
        const box = await client.mailboxOpen(s.folder, { readOnly: true });
        return { ok: true, messages: box.exists, folders };
      })(),
      timeout,
    ]);
  } catch (err) {
    return { ok: false, error: imapErrorText(err) };
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}
