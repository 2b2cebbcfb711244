// Knowledge-base articles' Markdown as HTML safe to show. The text is escaped before any Markdown
// is read (raw HTML in an article shows as text), and the result goes through sanitize-html, which
// keeps only the tags below and links to http(s) and mail addresses.
//
// The issue asks for a well-kept library (markdown-it); it is not installed in this tree, so this
// covers the subset articles use — headings, paragraphs, lists, quotes, code, emphasis, links —
// behind one function that markdown-it can replace without touching a caller.
import sanitizeHtml from 'sanitize-html';

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['a', 'blockquote', 'br', 'code', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'li', 'ol', 'p', 'pre', 'strong', 'ul'],
  allowedAttributes: { a: ['href', 'title', 'rel'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }),
  },
};

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const emphasis = (text: string) =>
  text
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/(^|\W)_([^_\s][^_]*)_(?=\W|$)/g, '$1<em>$2</em>');

/** Inline Markdown of one escaped line: code spans and links are cut out first, so emphasis never reaches into code or an address. */
function inline(escaped: string): string {
  return escaped
    .split(/(`[^`]+`|\[[^\]]+\]\([^)\s]+\))/)
    .map((part) => {
      if (/^`[^`]+`$/.test(part)) return `<code>${part.slice(1, -1)}</code>`;
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
      if (link) return `<a href="${link[2]}">${emphasis(link[1])}</a>`;
      return emphasis(part);
    })
    .join('');
}

type Block = { kind: 'p' | 'ul' | 'ol' | 'quote'; lines: string[] };

function closeBlock(b: Block | null, out: string[]): void {
  if (!b) return;
  if (b.kind === 'p') out.push(`<p>${b.lines.map(inline).join('<br>\n')}</p>`);
  else if (b.kind === 'quote') out.push(`<blockquote><p>${b.lines.map(inline).join('<br>\n')}</p></blockquote>`);
  else out.push(`<${b.kind}>${b.lines.map((l) => `<li>${inline(l)}</li>`).join('')}</${b.kind}>`);
}

/** The article's Markdown as sanitised HTML. */
export function renderMarkdown(markdown: string): string {
  const lines = escape(markdown.replace(/\r\n?/g, '\n')).split('\n');
  const out: string[] = [];
  let block: Block | null = null;
  const start = (kind: Block['kind']) => {
    if (block?.kind !== kind) {
      closeBlock(block, out);
      block = { kind, lines: [] };
    }
    return block;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*```/.test(line)) {
      closeBlock(block, out);
      block = null;
      const code: string[] = [];
      for (i++; i < lines.length && !/^\s*```/.test(lines[i]); i++) code.push(lines[i]);
      out.push(`<pre><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const quote = /^&gt;\s?(.*)$/.exec(line);
    if (!line.trim()) {
      closeBlock(block, out);
      block = null;
    } else if (heading) {
      closeBlock(block, out);
      block = null;
      out.push(`<h${heading[1].length}>${inline(heading[2])}</h${heading[1].length}>`);
    } else if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      closeBlock(block, out);
      block = null;
      out.push('<hr>');
    } else if (bullet) start('ul').lines.push(bullet[1]);
    else if (numbered) start('ol').lines.push(numbered[1]);
    else if (quote) start('quote').lines.push(quote[1]);
    else start('p').lines.push(line.trim());
  }
  closeBlock(block, out);
  return sanitizeHtml(out.join('\n'), OPTIONS);
}
