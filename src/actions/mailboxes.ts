// Mailbox settings from the console: add, edit, enable or disable. The intake role notices a change
// by the row's updatedAt and restarts that mailbox's poller.
import { parseInput } from './validate.ts';
import { z } from 'zod';
import { inTransaction } from '../db/client.ts';
import { AppError, invalid } from '../domain/errors.ts';
import { findComponent } from '../store/components.ts';
import { sealSecret, UnreadableSecretError } from '../domain/stored-secret.ts';
import { BACKLOG_MS, findMailboxByAddress, getMailbox, insertMailbox, mailboxPassword, updateMailbox, type Mailbox } from '../store/mailboxes.ts';
import type { User } from '../store/users.ts';
import type { Ctx } from './context.ts';
import { requirePermission } from './tickets.ts';
import { pickFields, recordAudit } from './audit.ts';

const AUDITED = ['name', 'address', 'host', 'port', 'secure', 'allowPlaintext', 'username', 'password', 'folder', 'markSeen', 'moveTo', 'componentId', 'enabled'] as const;

/** A mailbox's settings as the audit log keeps them (the sealed password only as "set" or "changed"). */
function auditMailbox(ctx: Ctx, by: User, action: string, before: Mailbox | null, after: Mailbox): Promise<void> {
  return recordAudit(ctx, by, { kind: 'mailbox', id: after.id, label: `${after.name} <${after.address}>` }, action, {
    before: before && pickFields(before, AUDITED), after: pickFields(after, AUDITED),
  });
}

const checkbox = z.preprocess((v) => v === true || v === 'on' || v === '1' || v === 'true', z.boolean());
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().max(300).optional());

export const mailboxSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(200),
  address: z.email({ message: 'Enter the address people write to' }).transform((v) => v.toLowerCase()),
  host: z.string().trim().min(1, 'Enter the IMAP server').max(255).regex(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i, 'Enter a host name, without imap:// or a port'),
  port: z.coerce.number({ message: 'Enter a port number' }).int().min(1, 'Enter a port number').max(65535),
  secure: checkbox,
  /** without TLS from the start: read the mailbox without STARTTLS (insecure) */
  allowPlaintext: checkbox,
  username: z.string().trim().min(1, 'Enter the user name').max(300),
  password: z.string().max(500).optional(),
  folder: z.string().trim().min(1, 'Enter the folder, usually INBOX').max(300),
  markSeen: checkbox,
  moveTo: optionalText,
  componentId: z.preprocess((v) => (v === '' || v === undefined || v === null ? null : Number(v)), z.number().int().positive().nullable()),
  enabled: checkbox,
  /** on creation: also import what is already in the folder (else only the last day's mail) */
  importExisting: checkbox,
});

/** Raw form input; the schema checks and converts every field. */
export type MailboxForm = Record<string, unknown>;

const parseForm = (input: unknown) => parseInput(mailboxSchema, input);

/**
 * The stored password is only ever sent to the server and user it was saved for: with another host
 * or user name, an empty password field would hand it to whoever runs that other server.
 */
function storedPasswordApplies(stored: Mailbox, v: { host: string; username: string }): boolean {
  return stored.fromEnv || (v.host.toLowerCase() === stored.host.toLowerCase() && v.username === stored.username);
}

const PASSWORD_AGAIN = 'Enter the password again: the server or user name changed, and the stored password is only sent to the server and user it was saved for';
/** `key` names the console's translation of the message. */
const passwordAgain = () => new AppError('validation', PASSWORD_AGAIN, { fields: { password: PASSWORD_AGAIN }, key: 'intake.mailboxes.passwordAgain' });

async function checkRefs(ctx: Ctx, v: ReturnType<typeof parseForm>, id: number | null) {
  const other = await findMailboxByAddress(ctx.db, v.address);
  if (other && other.id !== id) throw invalid(`${v.address} is already a mailbox`, { address: 'Already used by another mailbox' });
  if (v.componentId !== null && !await findComponent(ctx.db, v.componentId)) throw invalid('Unknown component', { componentId: 'Unknown component' });
  if (v.moveTo && v.moveTo === v.folder) throw invalid('Moving mail to the folder it is read from would read it again', { moveTo: 'Choose another folder' });
}

export async function createMailbox(ctx: Ctx, user: User, input: MailboxForm): Promise<Mailbox> {
  requirePermission(user, 'mailbox.manage');
  const v = parseForm(input);
  if (!v.password) throw invalid('Enter the password', { password: 'Enter the password' });
  return await inTransaction(ctx.db, async () => {
    await checkRefs(ctx, v, null);
    const { importExisting, ...fields } = v;
    fields.allowPlaintext = !v.secure && v.allowPlaintext;
    const now = ctx.clock.now();
    const made = await insertMailbox(ctx.db, { ...fields, password: sealSecret(ctx.secrets.credentials, v.password!), moveTo: v.moveTo ?? null, fromEnv: false, importSince: importExisting ? null : now - BACKLOG_MS }, now);
    await auditMailbox(ctx, user, 'created', null, made);
    return made;
  });
}

export async function editMailbox(ctx: Ctx, user: User, id: number, input: MailboxForm): Promise<Mailbox> {
  requirePermission(user, 'mailbox.manage');
  const v = parseForm(input);
  return await inTransaction(ctx.db, async () => {
    const mb = await getMailbox(ctx.db, id);
    if (!v.password && !storedPasswordApplies(mb, v)) throw passwordAgain();
    await checkRefs(ctx, v, id);
    const own = { name: v.name, markSeen: v.markSeen, moveTo: v.moveTo ?? null, componentId: v.componentId, enabled: v.enabled };
    // the connection of the IMAP_* mailbox comes from the environment and is refreshed at start
    const connection = mb.fromEnv
      ? {}
      : { address: v.address, host: v.host, port: v.port, secure: v.secure, allowPlaintext: !v.secure && v.allowPlaintext, username: v.username, folder: v.folder, ...(v.password ? { password: sealSecret(ctx.secrets.credentials, v.password) } : {}) };
    const moved = !mb.fromEnv && (v.host !== mb.host || v.username !== mb.username || v.folder !== mb.folder);
    // another server or folder: its UIDs mean nothing against the old cursor
    await updateMailbox(ctx.db, id, { ...own, ...connection, ...(moved ? { uidValidity: null, lastUid: 0 } : {}) }, ctx.clock.now());
    const after = await getMailbox(ctx.db, id);
    await auditMailbox(ctx, user, 'updated', mb, after);
    return after;
  });
}

export async function setMailboxEnabled(ctx: Ctx, user: User, id: number, enabled: boolean): Promise<Mailbox> {
  requirePermission(user, 'mailbox.manage');
  return await inTransaction(ctx.db, async () => {
    const mb = await getMailbox(ctx.db, id);
    if (mb.enabled === enabled) return mb;
    await updateMailbox(ctx.db, id, { enabled }, ctx.clock.now());
    const after = await getMailbox(ctx.db, id);
    await auditMailbox(ctx, user, enabled ? 'enabled' : 'disabled', mb, after);
    return after;
  });
}

/** The settings to try a connection with: the form's, with the stored password when left empty. */
export async function connectionToTest(ctx: Ctx, user: User, id: number | null, input: MailboxForm) {
  requirePermission(user, 'mailbox.manage');
  const v = parseForm(input);
  const stored = id ? await getMailbox(ctx.db, id) : null;
  const base = stored?.fromEnv ? stored : v;
  let password = v.password;
  if (!password && stored && !storedPasswordApplies(stored, v)) throw passwordAgain();
  if (!password && stored) {
    try {
      password = mailboxPassword(stored, ctx.secrets.credentials);
    } catch (err) {
      if (!(err instanceof UnreadableSecretError)) throw err;
      throw new AppError('validation', err.message.charAt(0).toUpperCase() + err.message.slice(1), { fields: { password: 'Enter the password' } });
    }
  }
  if (!password) throw new AppError('validation', 'Enter the password', { fields: { password: 'Enter the password' } });
  return { host: base.host, port: base.port, secure: base.secure, allowPlaintext: !base.secure && base.allowPlaintext, username: base.username, password, folder: base.folder, moveTo: v.moveTo ?? null };
}
