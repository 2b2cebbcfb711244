// Sanitises HTML from mail before it is stored or shown: no scripts, no event handlers, no
// remote resources that track the reader, no styles that escape their box.
import sanitizeHtml from 'sanitize-html';

/**
 * Bump whenever OPTIONS (or the sanitize-html version) changes what is let through: HTML is
 * sanitised again when it is shown, and what was sanitised by an older version is not reused.
 */
export const SANITIZER_VERSION = 1;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt', 'em',
    'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'ol', 'p', 'pre', 'q', 's',
    'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign'],
    font: ['color'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['style', 'script', 'textarea', 'option', 'noscript', 'title', 'head'],
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
  },
  // An image shows one of the mail's own parts (cid:) or inline data. Anything else is dropped:
  // a relative URL has no base in a mail, so it could only point at the desk's own pages and make
  // every reader's browser request them with their session (and tell the sender it was read).
  exclusiveFilter: (frame) => frame.tag === 'img' && !!frame.attribs.src && !/^(cid:|data:image\/(png|gif|jpe?g|webp);)/i.test(frame.attribs.src.trim()),
};

export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, { ...OPTIONS, allowedAttributes: { ...OPTIONS.allowedAttributes, a: ['href', 'title', 'rel', 'target'] } });
}
