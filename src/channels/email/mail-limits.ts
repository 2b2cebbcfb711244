// The fixed limits on what parsing one mail may cost (the configurable ones are MAX_MAIL_BYTES,
// MAX_ATTACHMENT_BYTES and MAX_ATTACHMENTS_PER_MAIL), and the plain words for a mail that breaks
// one: an admin reads them in the quarantine list.
/** MIME parts in one mail (every multipart level counts); more and the mail is quarantined */
export const MAX_PARTS = 1000;
/** one header block (the mail's or a part's); a bigger one and the mail is quarantined */
export const MAX_HEADER_BYTES = 1024 * 1024;
/** characters of text kept on the ticket; the rest stays in the original mail */
export const MAX_TEXT_CHARS = 1024 * 1024;
/** characters of HTML kept (and turned into text when the mail has no text part) */
export const MAX_HTML_CHARS = 2 * 1024 * 1024;
/** elements nested in the HTML; deeper HTML is not kept (sanitizing it costs the square of the depth) */
export const MAX_HTML_DEPTH = 1000;
/** characters of the subject kept */
export const MAX_SUBJECT_CHARS = 1000;
/** Message-IDs kept from References (the newest), for threading */
export const MAX_REFERENCES = 100;

/** The options that bound mailparser (and the MIME splitter under it) by the limits above. */
export const PARSER_LIMITS = { maxChildNodes: MAX_PARTS, maxHeadSize: MAX_HEADER_BYTES, maxHtmlLengthToParse: MAX_HTML_CHARS } as const;

/** 1 MB, 2.5 MB, 640 KB: sizes as people write them. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KB'] : [bytes / 1024 / 1024, 'MB'];
  return `${value.toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

/**
 * The plain reason for a parser error caused by one of the limits (undefined for any other error).
 * The MIME splitter says "Max allowed child nodes exceeded", which tells an admin nothing.
 */
export function limitReason(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string } | null;
  if (e?.code !== 'EMAXLEN') return undefined;
  if (/child nodes/i.test(e.message ?? '')) return `mail has more than ${MAX_PARTS.toLocaleString('en-US')} parts`;
  if (/header size/i.test(e.message ?? '')) return `mail has a header block larger than ${sizeText(MAX_HEADER_BYTES)}`;
  return `mail has a line or part longer than the desk reads (${e.message ?? 'no detail'})`;
}

/** `text` cut to `max` characters, with the problem to report when it was cut. */
export function capChars(text: string, max: number, what: string): { text: string; problem: string | null } {
  if (text.length <= max) return { text, problem: null };
  return {
    text: text.slice(0, max),
    problem: `the ${what} has ${text.length.toLocaleString('en-US')} characters; the first ${max.toLocaleString('en-US')} are kept, the whole ${what} is in the original mail`,
  };
}
