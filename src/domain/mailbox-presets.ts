// Where the common mail services keep IMAP: a preset fills the mailbox form's server, port and
// security, and says what the service asks for before it lets a program in.
export type MailboxPreset = {
  id: 'gmail' | 'yandex' | 'mailru' | 'exchange' | 'microsoft365';
  label: string;
  /** empty: the admin types the server (an on-premises Exchange has its own name) */
  host: string;
  port: number;
  secure: boolean;
  /** i18n key of what to know before connecting */
  noteKey: string;
  /** the desk cannot read this service with a password yet */
  unsupported?: boolean;
};

export const MAILBOX_PRESETS: readonly MailboxPreset[] = [
  { id: 'gmail', label: 'Gmail / Google Workspace', host: 'imap.gmail.com', port: 993, secure: true, noteKey: 'intake.mailboxes.presets.gmail' },
  { id: 'yandex', label: 'Яндекс Почта / Yandex 360', host: 'imap.yandex.ru', port: 993, secure: true, noteKey: 'intake.mailboxes.presets.yandex' },
  { id: 'mailru', label: 'Mail.ru / VK WorkSpace', host: 'imap.mail.ru', port: 993, secure: true, noteKey: 'intake.mailboxes.presets.mailru' },
  { id: 'exchange', label: 'Microsoft Exchange Server', host: '', port: 993, secure: true, noteKey: 'intake.mailboxes.presets.exchange' },
  { id: 'microsoft365', label: 'Microsoft 365 / Exchange Online', host: 'outlook.office365.com', port: 993, secure: true, noteKey: 'intake.mailboxes.presets.microsoft365', unsupported: true },
];

export function findMailboxPreset(id: unknown): MailboxPreset | undefined {
  return MAILBOX_PRESETS.find((p) => p.id === id);
}
