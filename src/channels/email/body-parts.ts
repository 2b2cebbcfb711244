// The text parts mailparser folds into the body although they are files of their own: a text
// part with a file name (Netscape's inline "HasenundFrösche.txt") and every HTML part after the
// first (Apple Mail's and Outlook's extra HTML between attachments). Listed as attachments too,
// so the agent can open each one as the sender sent it.
import libmime from 'libmime';
import { splitEntity, transferDecode } from './mime-entity.ts';

export type ExtraPart = { contentType: string; filename: string; content: Buffer; contentId: string | null };

const MAX_PARTS = 500;

function headerValue(head: string, name: string): string {
  const m = new RegExp(`^${name}:[ \\t]*([^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*)`, 'im').exec(head);
  return m ? m[1].replace(/\r?\n[ \t]+/g, ' ').trim() : '';
}

type Leaf = { contentType: string; disposition: string; filename: string; content: () => Buffer; contentId: string | null };

function walk(entity: string, depth: number, out: Leaf[]): void {
  if (out.length >= MAX_PARTS || depth > 20) return;
  const { head, body } = splitEntity(entity);
  const type = libmime.parseHeaderValue(headerValue(head, 'content-type') || 'text/plain');
  const contentType = (type.value || 'text/plain').toLowerCase();
  if (contentType.startsWith('multipart/')) {
    const boundary = type.params.boundary;
    if (!boundary) return;
    const parts = body.split(new RegExp(`(?:^|\\r?\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:--)?[ \\t]*(?=\\r?\\n|$)`));
    // before the first delimiter is the preamble, after the closing one the epilogue
    for (const part of parts.slice(1, -1)) walk(part.replace(/^\r?\n/, ''), depth + 1, out);
    return;
  }
  const disposition = libmime.parseHeaderValue(headerValue(head, 'content-disposition'));
  let filename = disposition.params.filename || type.params.name || '';
  try {
    filename = libmime.decodeWords(filename);
  } catch {
    // kept as written
  }
  const cte = headerValue(head, 'content-transfer-encoding').toLowerCase();
  const cid = headerValue(head, 'content-id');
  out.push({
    contentType,
    disposition: (disposition.value || '').toLowerCase(),
    filename: filename.trim(),
    content: () => transferDecode(body, cte),
    contentId: cid ? cid.replace(/^<+|>+$/g, '').trim() : null,
  });
}

/** The text parts of a mail that mailparser shows as body but are files of their own (see above). */
export function extraTextParts(raw: Buffer): ExtraPart[] {
  const text = raw.toString('latin1');
  if (!/^content-type:[ \t]*multipart\//im.test(text.slice(0, text.search(/\r?\n\r?\n/) >>> 0))) return [];
  const leaves: Leaf[] = [];
  walk(text, 0, leaves);
  const extra: ExtraPart[] = [];
  let htmlSeen = false;
  for (const leaf of leaves) {
    if (leaf.disposition === 'attachment') continue; // mailparser lists these
    if (leaf.contentType === 'text/html') {
      if (htmlSeen) extra.push({ contentType: leaf.contentType, filename: leaf.filename, content: leaf.content(), contentId: leaf.contentId });
      htmlSeen = true;
      continue;
    }
    if (leaf.contentType === 'text/plain' && leaf.filename) {
      extra.push({ contentType: leaf.contentType, filename: leaf.filename, content: leaf.content(), contentId: leaf.contentId });
    }
  }
  return extra;
}
