// Knowledge-base articles' Markdown as HTML safe to show: markdown-it with raw HTML off (HTML typed
// into an article shows as text) and its own link check, then sanitize-html, which keeps only the
// tags below and links to http(s), mail addresses and pages of the desk itself (relative links).
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'a', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 's', 'strong',
    'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], td: ['style'], th: ['style'] },
  allowedStyles: { td: { 'text-align': [/^(left|right|center)$/] }, th: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }),
  },
};

/** The article's Markdown as sanitised HTML. */
export function renderMarkdown(markdown: string): string {
  return sanitizeHtml(md.render(markdown), OPTIONS);
}

type MdToken = { type: string; content: string; children: MdToken[] | null };

/**
 * An article's words as plain text, as markdown-it reads them (marks, link addresses and code
 * blocks left out; inline code kept): for a short excerpt.
 */
export function markdownText(markdown: string): string {
  const words: string[] = [];
  const walk = (tokens: MdToken[]) => {
    for (const t of tokens) {
      if (t.type === 'text' || t.type === 'code_inline') words.push(t.content);
      else if (t.type === 'softbreak' || t.type === 'hardbreak' || t.type === 'paragraph_close' || t.type === 'heading_close') words.push(' ');
      else if (t.children) walk(t.children);
    }
  };
  walk(md.parse(markdown, {}) as MdToken[]);
  return words.join('').replace(/\s+/g, ' ').trim();
}
