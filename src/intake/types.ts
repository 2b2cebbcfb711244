// The types every intake channel and step shares: one InboundMessage per channel input, one typed
// Draft that the ordered steps annotate, and the read-only context steps look things up in.
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import type { Channel, TicketStatus } from '../db/schema.ts';
import type { Clock, Secrets } from '../deps.ts';
import type { SenderCheck, SenderEvidence } from '../domain/sender-trust.ts';

export type Address = { address: string; name: string };

export type InboundSource = 'imap' | 'smtp' | 'pipe' | 'twilio' | 'web' | 'api';

export type InboundAttachment = {
  filename: string;
  contentType: string;
  content: Buffer;
  size: number;
  contentId: string | null;
  inline: boolean;
};

/** What a channel adapter hands to the pipeline: transport details already normalised. */
export type InboundMessage = {
  channel: Channel;
  source: InboundSource;
  mailboxId: number | null;
  receivedAt: number;
  /** the input exactly as received (raw mail, or the webhook's form as JSON) */
  raw: Buffer;
  rawSha256: string;
  /** Message-ID without angle brackets, or Twilio MessageSid; synthesised when missing */
  externalId: string;
  externalIdSynthesized: boolean;
  /** email address (lower-case) or E.164 phone */
  from: Address | null;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  /** envelope recipients: SMTP RCPT TO, Delivered-To / X-Original-To, or the Twilio number */
  deliveredTo: string[];
  subject: string;
  text: string;
  /** HTML as received; sanitised before it is stored */
  html: string | null;
  /** email: the mail has no text/plain part, `text` was made from the HTML */
  textFromHtml?: boolean;
  date: number | null;
  inReplyTo: string[];
  references: string[];
  /** lower-case header name → decoded values, for the detection steps */
  headers: Record<string, string[]>;
  attachments: InboundAttachment[];
  /** non-fatal problems met while parsing (charset fallback, oversized part…) */
  problems: string[];
  /** attachments not stored because they are over MAX_ATTACHMENT_BYTES (kept in the raw mail) */
  omittedAttachments?: { filename: string; contentType: string; size: number }[];
  /** what the channel established about the sender's domain (email: DKIM/SPF/DMARC); absent when not checked */
  senderAuth?: SenderEvidence;
};

export type MatchVia = 'signed-message-id' | 'message-id' | 'reply-token' | 'body-marker' | 'subject-tag' | 'sms-ref' | 'sms-recent';

export type BounceInfo = {
  permanent: boolean;
  status: string | null; // e.g. 5.1.1
  recipients: string[];
  originalMessageId: string | null;
  /** the remote server's answer (Diagnostic-Code), when the report has one */
  diagnostic?: string | null;
  /** DSN Action: failed, delayed, delivered, relayed, expanded */
  action?: string | null;
};

/** An inbound message that stops here: stored as a record with this outcome, no ticket change. */
export type Drop = { outcome: 'ignored' | 'duplicate'; reason: string; ticketId?: number | null };

export type Draft = {
  readonly msg: InboundMessage;
  dedupeKey: string;
  /** the quarantined inbound record being processed again, if any */
  reprocessOf: number | null;
  drop: Drop | null;
  autoReply: { reason: string } | null;
  /** mail from a mailing list (List-Id, List-Unsubscribe…): becomes a ticket but is never acknowledged */
  mailingList: { listId: string | null } | null;
  bounce: BounceInfo | null;
  match: { ticketId: number; via: MatchVia } | null;
  requester: {
    address: string;
    name: string;
    contactId: number | null;
    organizationId: number | null;
    /** the sender is one of our agents (their replies by mail are agent replies) */
    userId: number | null;
  } | null;
  /** what intake concluded about the sender (null: not checked) and whether this mail needs it verified */
  sender: (SenderCheck & { required: boolean }) | null;
  /** for a follow-up: the status to set (null: leave it) and whether it counts as a reopen */
  statusChange: { to: TicketStatus; reopen: boolean } | null;
  /** set when a follow-up must open a new ticket linked to the old one (reopen limits) */
  followUpOf: { ticketId: number; reason: string } | null;
  content: { text: string; newText: string | null; html: string | null };
  route: { componentId: number | null; reason: string | null };
  /** why each decision was taken, kept on the inbound record */
  notes: string[];
  /** SMS control keyword (STOP/START/HELP) and what to do about it; written by the SMS hook */
  sms?: SmsEffect;
};

export type SmsEffect = {
  keyword: 'stop' | 'start' | 'help';
  word: string;
  /** record the number as opted out (set) or opted in again (clear) */
  optOut: 'set' | 'clear' | null;
  /** the text to answer with (templates/sms/<locale>/<reply>.hbs), if any */
  reply: 'help' | 'opted-out' | 'opted-in' | null;
  locale: 'en' | 'ru';
};

export type StepContext = {
  db: Db; // read only: steps never write
  config: Config;
  secrets: Secrets;
  clock: Clock;
  log: Logger;
};

export type Step = {
  name: string;
  run(draft: Draft, ctx: StepContext): Promise<void> | void;
};
