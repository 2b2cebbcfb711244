// The text of an HTML-only mail without the parts mail clients mark as quote or signature
// (Gmail's gmail_quote and gmail_signature, Apple Mail's and Thunderbird's <blockquote
// type="cite">, Yahoo's yahoo_quoted). What is left goes through the text rules (Outlook's
// "From:/Sent:" header, Russian "От:"…).
import sanitizeHtml from 'sanitize-html';

const QUOTE_CLASS = /\b(x_)?(gmail_quote|gmail_quote_container|gmail_attr|gmail_signature|gmail_extra|yahoo_quoted|moz-cite-prefix|moz-signature|protonmail_quote|protonmail_signature_block|zmail_extra|ms-outlook-mobile-signature)\b/i;
const BLOCK = ['p', 'div', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'table', 'ul', 'ol'];

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code = e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

/** "<li>" becomes "- item" in a <ul> and "1. item" in an <ol>, so lists keep their structure. */
function listBullets(html: string): string {
  const lists: { ordered: boolean; n: number }[] = [];
  return html.replace(/<(\/?)(ul|ol|li)\b[^>]*>/gi, (tag, close: string, name: string) => {
    const kind = name.toLowerCase();
    if (kind !== 'li') {
      if (close) lists.pop();
      else lists.push({ ordered: kind === 'ol', n: 0 });
      return tag;
    }
    if (close) return tag;
    const list = lists[lists.length - 1];
    const indent = '\u00a0\u00a0'.repeat(Math.max(0, lists.length - 1));
    return `${tag}${indent}${list?.ordered ? `${++list.n}.` : '-'} `;
  });
}

export function htmlReplyText(html: string): string {
  const kept = sanitizeHtml(html, {
    allowedTags: [...BLOCK, 'br', 'span', 'a', 'b', 'i', 'strong', 'em', 'td', 'th', 'tbody', 'thead', 'font', 'hr'],
    allowedAttributes: { '*': ['class', 'type', 'id'] },
    nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
    exclusiveFilter: (frame) => QUOTE_CLASS.test(frame.attribs.class ?? '') || (frame.tag === 'blockquote' && /cite/i.test(frame.attribs.type ?? '')),
  });
  const text = listBullets(kept)
    // (from the start of a run of spaces only: a long run without a newline is not rescanned from each position)
    .replace(/(?<![^\S\n])[^\S\n]*\n\s*/g, ' ')
    .replace(/<\/li\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<hr[^>]*>/gi, '\n----\n')
    .replace(new RegExp(`</?(${BLOCK.join('|')})\\b[^>]*>`, 'gi'), '\n')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(text)
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
