// A mail over MAX_MAIL_BYTES seen in a mailbox: only (the start of) its header block is read, and
// this says what the quarantine list shows about it: sender, subject, Message-ID, a plain reason.
import { simpleParser } from 'mailparser';
import type { RemoteRef } from '../../db/schema.ts';
import { sizeText } from './mail-limits.ts';
import { stripAngles } from './parse-email.ts';

/** the most of an oversized mail's header block that is read */
export const OVERSIZED_HEADER_BYTES = 64 * 1024;

export type OversizedSummary = { fromAddress: string | null; subject: string | null; externalId: string | null; reason: string };

/** `listedSize`: the size the server gave; when that is within the limit, reading showed otherwise */
export async function oversizedMailSummary(headers: Buffer, ref: RemoteRef, limitBytes: number, listedSize = ref.size): Promise<OversizedSummary> {
  const size =
    listedSize > limitBytes
      ? `mail is ${sizeText(ref.size)}, over the ${sizeText(limitBytes)} limit (MAX_MAIL_BYTES)`
      : `mail is over the ${sizeText(limitBytes)} limit (MAX_MAIL_BYTES), though the server gave its size as ${sizeText(listedSize)}`;
  const reason = `${size}: only its headers were read; it is still in the mailbox (folder "${ref.folder}", UID ${ref.uid})`;
  try {
    // the header block alone, ended so that the parser finds no body
    const parsed = await simpleParser(Buffer.concat([headers, Buffer.from('\r\n\r\n')]), { skipHtmlToText: true, maxChildNodes: 1 });
    const from = parsed.from?.value.find((a) => a.address)?.address?.trim().toLowerCase() ?? null;
    return { fromAddress: from, subject: parsed.subject?.replace(/\s+/g, ' ').trim().slice(0, 500) ?? null, externalId: parsed.messageId ? stripAngles(parsed.messageId) : null, reason };
  } catch {
    // headers that cannot be read still leave the size and the place of the mail to report
    return { fromAddress: null, subject: null, externalId: null, reason };
  }
}
